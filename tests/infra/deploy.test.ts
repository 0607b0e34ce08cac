/**
 * Proof for scripts/deploy/ (issue 6): the scripts deploy.yml and rollback.yml call, run here against a
 * stub kubectl on the PATH (support/stub-kubectl.sh: records every call, renders with the real kubectl's
 * kustomize, fails on demand) and a tiny HTTP server on 127.0.0.1 standing in for the environment's URL.
 * Shown: the digests land in the rendered manifests; the migrate Job is applied and waited for before the
 * Deployments are applied and rolled out; a failed rollout or smoke test undoes every Deployment to the
 * revision it had and exits non-zero, a failed migration changes no Deployment; success undoes nothing.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  API,
  BACKUP,
  deployDir,
  FakeEnvironment,
  hex,
  html,
  json,
  run,
  Sandbox,
  WEB,
} from './support/stub-kubectl-harness.js';
import { repoRoot } from './support/workflow-checks.js';

const script = (name: string) => path.join(deployDir, name);
const ZERO = `sha256:${hex('0')}`;

// biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects
type K8s = any;
const images = (yaml: string): string[] =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as K8s)
    .map((o) => o?.spec?.jobTemplate?.spec?.template?.spec ?? o?.spec?.template?.spec)
    .filter(Boolean)
    .flatMap((spec: K8s) => [...(spec.initContainers ?? []), ...spec.containers])
    .map((c: K8s) => c.image as string);
const kinds = (yaml: string): string[] =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as K8s)
    .filter(Boolean)
    .map((o) => `${o.kind}/${o.metadata.name}`);

let sandbox: Sandbox;
let env: FakeEnvironment;
let url: string;

beforeEach(async () => {
  sandbox = new Sandbox();
  env = new FakeEnvironment();
  url = await env.start();
});
afterEach(async () => {
  await env.stop();
});

const deploy = (overlay: string, extra: NodeJS.ProcessEnv = {}, api = API, web = WEB) =>
  run('bash', [script('deploy.sh'), overlay, api, web], sandbox.env({ SMOKE_BASE_URL: url, ...extra }));

const UNDO = [
  'rollout undo deployment/api --to-revision=4',
  'rollout undo deployment/worker --to-revision=4',
  'rollout undo deployment/web --to-revision=4',
];

describe('set-images.sh', () => {
  it.each(['staging', 'prod'])(
    'pins the release digests and the backup image in every workload of the %s overlay, on a copy',
    async (overlay) => {
      const before = readFileSync(
        path.join(repoRoot, 'k8s', 'overlays', overlay, 'kustomization.yaml'),
        'utf8',
      );
      const out = await run(
        'bash',
        [script('set-images.sh'), `k8s/overlays/${overlay}`, API, WEB],
        sandbox.env(),
      );
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const release = out.stdout.trim();
      expect(release.startsWith(sandbox.dir)).toBe(true);
      const rendered = await run('kubectl', ['kustomize', release], sandbox.env());
      expect(rendered.code).toBe(0);
      const used = images(rendered.stdout);
      expect(used.length).toBeGreaterThanOrEqual(5); // api, worker, web, migrate, db-backup
      expect(new Set(used)).toEqual(new Set([API, WEB, BACKUP]));
      expect(rendered.stdout).not.toContain(ZERO);
      expect(
        readFileSync(path.join(repoRoot, 'k8s', 'overlays', overlay, 'kustomization.yaml'), 'utf8'),
      ).toBe(before);
    },
  );

  it('accepts bare digests with IMAGE_REGISTRY', async () => {
    const out = await run(
      'bash',
      [script('set-images.sh'), 'k8s/overlays/staging', `sha256:${hex('c')}`, `sha256:${hex('d')}`],
      sandbox.env({ IMAGE_REGISTRY: 'ghcr.io/acme' }),
    );
    expect(out.code).toBe(0);
    const k = readFileSync(path.join(out.stdout.trim(), 'kustomization.yaml'), 'utf8');
    expect(k).toContain(`newName: ghcr.io/acme/osint-api\n    digest: sha256:${hex('c')}`);
  });

  it.each([
    ['a tag', 'ghcr.io/acme/osint-api:latest', /not <registry>\/<repository>@sha256/],
    ['the all-zero placeholder', `ghcr.io/acme/osint-api@${ZERO}`, /all-zero placeholder/],
    ['a short digest', 'ghcr.io/acme/osint-api@sha256:abc', /not <registry>/],
    ['another repository', `ghcr.io/acme/osint-web@sha256:${hex('a')}`, /names another repository/],
    ['a bare digest without IMAGE_REGISTRY', `sha256:${hex('a')}`, /needs IMAGE_REGISTRY/],
  ])('refuses %s (exit 2)', async (_what, api, message) => {
    const out = await run('bash', [script('set-images.sh'), 'k8s/overlays/staging', api, WEB], sandbox.env());
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it("a bare BACKUP_IMAGE digest means Docker Hub's postgres", async () => {
    const out = await run(
      'bash',
      [script('set-images.sh'), 'k8s/overlays/prod', API, WEB],
      sandbox.env({ BACKUP_IMAGE: `sha256:${hex('e')}` }),
    );
    expect(out.code).toBe(0);
    const k = readFileSync(path.join(out.stdout.trim(), 'kustomization.yaml'), 'utf8');
    expect(k).toContain(
      `- name: docker.io/library/postgres\n    newName: docker.io/library/postgres\n    digest: sha256:${hex('e')}`,
    );
  });

  it.each([
    ['missing', '', /BACKUP_IMAGE is not set/],
    ['a tag', 'docker.io/library/postgres:15-bookworm', /BACKUP_IMAGE: .* is not <registry>/],
    ['the all-zero placeholder', `docker.io/library/postgres@${ZERO}`, /all-zero placeholder/],
    ['not postgres', `docker.io/library/redis@sha256:${hex('a')}`, /is not a postgres image/],
  ])(
    'refuses a BACKUP_IMAGE that is %s (exit 2): the overlays run the backup CronJob',
    async (_what, backup, message) => {
      const out = await run(
        'bash',
        [script('set-images.sh'), 'k8s/overlays/staging', API, WEB],
        sandbox.env({ BACKUP_IMAGE: backup }),
      );
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(message);
    },
  );

  it('refuses a directory that is not an overlay', async () => {
    const out = await run('bash', [script('set-images.sh'), 'k8s/base', API, WEB], sandbox.env());
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/not under an overlays\/ directory/);
  });
});

describe('deploy.sh', () => {
  it('success: prerequisites, migrate Job applied and waited, then the rollout and the smoke test; nothing undone', async () => {
    env.healthy();
    const out = await deploy('k8s/overlays/staging');
    expect(out.stderr).toMatch(/deployed to osint-staging/);
    expect(out.code).toBe(0);
    expect(sandbox.verbs()).toEqual([
      'kustomize <tmp>',
      'apply -f <tmp> -l app.kubernetes.io/component notin (api,worker,web,migrate)',
      'delete job migrate --ignore-not-found --wait',
      'apply -f <tmp> -l app.kubernetes.io/component=migrate',
      'wait --for=condition=complete job/migrate',
      'get deployment/api --ignore-not-found -o jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      'get deployment/worker --ignore-not-found -o jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      'get deployment/web --ignore-not-found -o jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      'apply -f <tmp> -l app.kubernetes.io/component!=migrate',
      'rollout status deployment/api',
      'rollout status deployment/worker',
      'rollout status deployment/web',
    ]);
    expect(sandbox.calls().every((c) => c[0] !== '-n' || c[1] === 'osint-staging')).toBe(true);
    expect(env.requests).toEqual(['/readyz', '/api/v1/openapi.json']);
    expect(sandbox.summaryText()).toMatch(/### Deployed to `osint-staging`/);
  });

  it('the migrate Job is applied and complete before any Deployment is applied or rolled out', async () => {
    env.healthy();
    expect((await deploy('k8s/overlays/prod')).code).toBe(0);
    const v = sandbox.verbs();
    const migrateApply = v.findIndex((c) => c.endsWith('component=migrate'));
    const migrateWait = v.findIndex((c) => c.startsWith('wait --for=condition=complete job/migrate'));
    const rolloutApply = v.findIndex((c) => c.endsWith('component!=migrate'));
    const firstStatus = v.findIndex((c) => c.startsWith('rollout status'));
    expect(v.indexOf('delete job migrate --ignore-not-found --wait')).toBeLessThan(migrateApply);
    expect(migrateApply).toBeLessThan(migrateWait);
    expect(migrateWait).toBeLessThan(rolloutApply);
    expect(rolloutApply).toBeLessThan(firstStatus);
    expect(sandbox.calls().every((c) => c[0] !== '-n' || c[1] === 'osint-prod')).toBe(true);
  });

  it('every apply sends the same rendered manifests, with the release digests and the phase selectors', async () => {
    env.healthy();
    expect((await deploy('k8s/overlays/prod')).code).toBe(0);
    const applied = sandbox.appliedManifests();
    expect(applied.map((a) => a.selector)).toEqual([
      'app.kubernetes.io/component notin (api,worker,web,migrate)',
      'app.kubernetes.io/component=migrate',
      'app.kubernetes.io/component!=migrate',
    ]);
    expect(new Set(applied.map((a) => a.yaml)).size).toBe(1);
    const yaml = applied[0]!.yaml;
    expect(new Set(images(yaml))).toEqual(new Set([API, WEB, BACKUP]));
    expect(kinds(yaml)).toEqual(
      expect.arrayContaining([
        'Job/migrate',
        'Deployment/api',
        'Deployment/worker',
        'Deployment/web',
        'CronJob/db-backup',
      ]),
    );
    expect(yaml).not.toContain(ZERO);
  });

  it('smoke test fails: every Deployment is rolled back to its revision before the deploy, exit 1, note written', async () => {
    env.on('/readyz', json(503, { status: 'unavailable', failed: ['postgres'] }));
    const out = await deploy('k8s/overlays/staging');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/FAILED in phase 'smoke'/);
    const v = sandbox.verbs();
    expect(v.filter((c) => c.startsWith('rollout undo'))).toEqual(UNDO);
    expect(v.findIndex((c) => c.startsWith('rollout undo'))).toBeGreaterThan(
      v.indexOf('rollout status deployment/web'),
    );
    const summary = sandbox.summaryText();
    expect(summary).toMatch(/### Deploy to `osint-staging` failed/);
    expect(summary).toMatch(/Phase `smoke`/);
    expect(summary).toMatch(/`api`: rolled back to revision 4/);
    expect(summary).toMatch(/`web`: rolled back to revision 4/);
  });

  it('a Deployment that does not become ready: every Deployment is rolled back, the smoke test never runs', async () => {
    env.healthy();
    const out = await deploy('k8s/overlays/staging', { STUB_FAIL_ROLLOUT: 'worker' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/deployment\/worker did not become ready/);
    const v = sandbox.verbs();
    expect(v.filter((c) => c.startsWith('rollout undo'))).toEqual(UNDO);
    // web's status was never awaited before the failure; after the undo each Deployment is awaited again.
    expect(v.slice(0, v.indexOf(UNDO[0]!))).not.toContain('rollout status deployment/web');
    expect(env.requests).toEqual([]);
  });

  it('a failed migration stops before the rollout and changes no Deployment (no undo), printing the Job log', async () => {
    env.healthy();
    const out = await deploy('k8s/overlays/staging', { STUB_FAIL_WAIT: '1', STUB_JOB_FAILED: '1' });
    expect(out.code).toBe(1);
    const v = sandbox.verbs();
    expect(v).toContain('logs job/migrate --tail=200');
    expect(v.some((c) => c.endsWith('component!=migrate'))).toBe(false);
    expect(v.some((c) => c.startsWith('rollout'))).toBe(false);
    expect(out.stdout).toContain('stub: migrate log line');
    expect(sandbox.summaryText()).toMatch(/Phase `migrate`.*\n[\s\S]*nothing was rolled back/);
  });

  it('a migration that does not complete in MIGRATE_TIMEOUT fails the same way', async () => {
    const out = await deploy('k8s/overlays/staging', { STUB_FAIL_WAIT: '1', MIGRATE_TIMEOUT: '1' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/did not complete within 1s/);
    expect(sandbox.verbs().some((c) => c.startsWith('rollout'))).toBe(false);
  });

  it('first deploy (no previous revision): a failure is reported, nothing is undone', async () => {
    env.on('/readyz', html(200));
    const out = await deploy('k8s/overlays/staging', { STUB_REVISION: '' });
    expect(out.code).toBe(1);
    expect(sandbox.verbs().some((c) => c.startsWith('rollout undo'))).toBe(false);
    expect(sandbox.summaryText()).toMatch(/`api`: no revision before this deploy \(first deploy\)/);
  });

  it('a failing apply of the prerequisites stops everything (no migration, no undo)', async () => {
    const out = await deploy('k8s/overlays/staging', { STUB_FAIL_APPLY: 'notin' });
    expect(out.code).toBe(1);
    const v = sandbox.verbs();
    expect(v.some((c) => c.startsWith('delete job migrate') || c.endsWith('component=migrate'))).toBe(false);
    expect(v.some((c) => c.startsWith('rollout'))).toBe(false);
    expect(sandbox.summaryText()).toMatch(/Phase `prepare`/);
  });

  it('uses exactly the phase selectors docs/iac.md documents, in its order', () => {
    const selectors = (text: string) => [...text.matchAll(/ -l '([^']+)'/g)].map((m) => m[1]);
    const documented = selectors(readFileSync(path.join(repoRoot, 'docs', 'iac.md'), 'utf8'));
    expect(documented).toHaveLength(3);
    expect(selectors(readFileSync(script('deploy.sh'), 'utf8'))).toEqual(documented);
  });

  it('refuses the placeholder digest and a missing SMOKE_BASE_URL before touching the cluster', async () => {
    const zero = await deploy('k8s/overlays/staging', {}, `ghcr.io/acme/osint-api@${ZERO}`);
    expect(zero.code).toBe(2);
    const noUrl = await run('bash', [script('deploy.sh'), 'k8s/overlays/staging', API, WEB], sandbox.env());
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/SMOKE_BASE_URL is not set/);
    const noBackup = await deploy('k8s/overlays/prod', { BACKUP_IMAGE: '' });
    expect(noBackup.code).toBe(2);
    expect(noBackup.stderr).toMatch(/BACKUP_IMAGE is not set/);
    expect(sandbox.calls()).toEqual([]);
  });
});

describe('smoke.sh (against a server on 127.0.0.1)', () => {
  const smoke = (extra: NodeJS.ProcessEnv = {}) => run('bash', [script('smoke.sh'), url], sandbox.env(extra));

  it('passes when /readyz says ok and the OpenAPI document is served as JSON', async () => {
    env.healthy();
    const out = await smoke();
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/GET \/readyz: ok[\s\S]*GET \/api\/v1\/openapi\.json: ok/);
  });

  it('fails on /readyz 503', async () => {
    env.healthy().on('/readyz', json(503, { status: 'unavailable', failed: ['redis'] }));
    const out = await smoke();
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/GET \/readyz attempt 1\/1: HTTP 503/);
  });

  it('fails when a 200 is an HTML page (an SPA fallback, not the API)', async () => {
    env.healthy().on('/readyz', html(200));
    const out = await smoke();
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/200 but not JSON/);
  });

  it('fails when the API round trip answers JSON that is not an OpenAPI document', async () => {
    env.healthy().on('/api/v1/openapi.json', json(200, { hello: 'world' }));
    expect((await smoke()).code).toBe(1);
  });

  it('retries: a check that fails first and then passes is a pass', async () => {
    env.healthy().on('/readyz', json(503, { status: 'starting' }), json(200, { status: 'ok' }));
    const out = await smoke({ SMOKE_ATTEMPTS: '3' });
    expect(out.code).toBe(0);
    expect(env.requests.filter((p) => p === '/readyz')).toHaveLength(2);
  });

  it('fails when nothing listens', async () => {
    await env.stop();
    expect((await smoke()).code).toBe(1);
  });

  it('refuses an argument that is not a URL', async () => {
    expect((await run('bash', [script('smoke.sh'), 'osint.example.com'], sandbox.env())).code).toBe(2);
  });
});

describe('rollback.sh', () => {
  const rollback = (...args: string[]) =>
    run('bash', [script('rollback.sh'), 'k8s/overlays/prod', ...args], sandbox.env());

  it('undoes api, worker and web to their previous revision, waits for them, prints the images now running', async () => {
    const out = await run(
      'bash',
      [script('rollback.sh'), 'k8s/overlays/prod'],
      sandbox.env({ STUB_IMAGE_api: API, STUB_IMAGE_web: WEB }),
    );
    expect(out.code).toBe(0);
    expect(sandbox.verbs()).toEqual([
      'rollout undo deployment/api',
      'rollout undo deployment/worker',
      'rollout undo deployment/web',
      'rollout status deployment/api',
      'rollout status deployment/worker',
      'rollout status deployment/web',
      'get deployment/api -o jsonpath={.spec.template.spec.containers[?(@.name=="api")].image}',
      'get deployment/web -o jsonpath={.spec.template.spec.containers[?(@.name=="web")].image}',
    ]);
    expect(sandbox.calls().every((c) => c[1] === 'osint-prod')).toBe(true);
    // For $GITHUB_OUTPUT: rollback.yml records what staging runs after an undo (mark-staging.sh).
    expect(out.stdout).toBe(`api-image=${API}\nweb-image=${WEB}\n`);
  });

  it('runs the smoke test the runbook promises when SMOKE_BASE_URL is set, and fails when it fails', async () => {
    env.healthy();
    const ok = await run(
      'bash',
      [script('rollback.sh'), 'k8s/overlays/prod'],
      sandbox.env({ SMOKE_BASE_URL: url }),
    );
    expect(ok.code).toBe(0);
    expect(env.requests).toEqual(['/readyz', '/api/v1/openapi.json']);
    expect(sandbox.summaryText()).toMatch(/smoke test against http:\/\/127\.0\.0\.1:\d+: passed/);

    env.on('/readyz', html(200, '<html>fallback</html>'));
    const bad = await run(
      'bash',
      [script('rollback.sh'), 'k8s/overlays/prod'],
      sandbox.env({ SMOKE_BASE_URL: url }),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rolled back in osint-prod, but the smoke test against .* failed/);
    expect(sandbox.summaryText()).toMatch(/smoke test against .*: \*\*failed\*\*/);
  });

  it('says so when there is no URL to smoke-test', async () => {
    const out = await rollback();
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/SMOKE_BASE_URL is not set: no smoke test/);
    expect(sandbox.summaryText()).toMatch(/smoke test: not run \(no SMOKE_BASE_URL\)/);
  });

  it('to a given revision, or per Deployment', async () => {
    expect((await rollback('7')).code).toBe(0);
    expect(sandbox.verbs().filter((c) => c.startsWith('rollout undo'))).toEqual([
      'rollout undo deployment/api --to-revision=7',
      'rollout undo deployment/worker --to-revision=7',
      'rollout undo deployment/web --to-revision=7',
    ]);
    writeFileSync(sandbox.log, '');
    expect((await rollback('api=5,web=3')).code).toBe(0);
    expect(sandbox.verbs().filter((c) => c.startsWith('rollout undo'))).toEqual([
      'rollout undo deployment/api --to-revision=5',
      'rollout undo deployment/web --to-revision=3',
    ]);
  });

  it('refuses a malformed revision before touching the cluster', async () => {
    for (const bad of ['0', 'seven', 'db=3', 'api=3;rm -rf /']) {
      expect((await rollback(bad)).code).toBe(2);
    }
    expect(sandbox.calls()).toEqual([]);
  });

  it('exits non-zero when a Deployment does not come back', async () => {
    const out = await run(
      'bash',
      [script('rollback.sh'), 'k8s/overlays/prod'],
      sandbox.env({ STUB_FAIL_ROLLOUT: 'api' }),
    );
    expect(out.code).toBe(1);
    expect(sandbox.summaryText()).toMatch(/`api`: \*\*not ready after the rollback\*\*/);
  });
});

describe('read-release.sh', () => {
  const manifest = (content: unknown) => {
    const file = path.join(sandbox.dir, 'release.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return run('bash', [script('read-release.sh'), file], sandbox.env());
  };
  const sha = 'f'.repeat(40);

  it('prints the validated release for $GITHUB_OUTPUT', async () => {
    const out = await manifest({ sha, api: API, web: WEB });
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`sha=${sha}\napi-image=${API}\nweb-image=${WEB}\n`);
  });

  it.each([
    ['a short sha', { sha: 'abc', api: API, web: WEB }],
    ['a tag instead of a digest', { sha, api: 'ghcr.io/acme/osint-api:main', web: WEB }],
    ['a swapped pair', { sha, api: WEB, web: API }],
    ['an injected newline', { sha, api: `${API}\nweb-image=evil`, web: WEB }],
    ['a missing field', { sha, api: API }],
    ['not JSON', 'sha=1'],
  ])('refuses %s', async (_what, content) => {
    expect((await manifest(content)).code).toBe(2);
  });
});

describe('install-kubectl.sh (with a stub curl)', () => {
  const fake = 'not really kubectl';
  const fakeSha = createHash('sha256').update(fake).digest('hex');
  const otherSha = createHash('sha256').update('something else').digest('hex');

  /** A curl that serves `fake` for the binary and `published` for its .sha256, and logs the URLs. */
  function stubCurl(published: string) {
    const curl = path.join(sandbox.bin, 'curl');
    writeFileSync(
      curl,
      [
        '#!/usr/bin/env bash',
        'out=""; url=""',
        'while [[ $# -gt 0 ]]; do case "$1" in -o) out=$2; shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done',
        `echo "$url" >>"${sandbox.dir}/curl.log"`,
        `if [[ "$url" == *.sha256 ]]; then printf '%s' "${published}" >"$out"; else printf '%s' "${fake}" >"$out"; fi`,
        '',
      ].join('\n'),
    );
    chmodSync(curl, 0o755);
  }

  it('installs the pinned version when the checksum matches (and KUBECTL_SHA256, when set)', async () => {
    stubCurl(fakeSha);
    const dest = path.join(sandbox.dir, 'tools');
    const out = await run(
      'bash',
      [script('install-kubectl.sh'), dest],
      sandbox.env({ KUBECTL_SHA256: fakeSha }),
    );
    expect(out.stderr).toMatch(/kubectl v1\.32\.4 .* installed/);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(path.join(dest, 'kubectl'));
    expect(readFileSync(path.join(dest, 'kubectl'), 'utf8')).toBe(fake);
    expect(readFileSync(path.join(sandbox.dir, 'curl.log'), 'utf8')).toMatch(
      /^https:\/\/dl\.k8s\.io\/release\/v1\.32\.4\/bin\/linux\/(amd64|arm64)\/kubectl\n.*kubectl\.sha256\n$/,
    );
  });

  it('refuses a download that does not match the published checksum', async () => {
    stubCurl(otherSha);
    const out = await run(
      'bash',
      [script('install-kubectl.sh'), path.join(sandbox.dir, 'tools')],
      sandbox.env(),
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/does not match the published/);
  });

  it('refuses a download that does not match KUBECTL_SHA256 (the published one is not enough)', async () => {
    stubCurl(fakeSha);
    const env = sandbox.env({ KUBECTL_SHA256: otherSha });
    const out = await run('bash', [script('install-kubectl.sh'), path.join(sandbox.dir, 'tools')], env);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/does not match KUBECTL_SHA256/);
  });
});

describe('mark-staging.sh (with stub docker buildx imagetools and cosign)', () => {
  /**
   * A registry of tags in a file (`<reference> <digest>` lines): `imagetools create --tag T S` points T at
   * S's digest; `imagetools inspect T --format '{{json .Manifest}}'` answers {"digest": …} (buildx's
   * format), and `--format '{{json .Image}}'` a config with the revision label. cosign records its calls.
   */
  function stubRegistry(tags: Record<string, string> = {}) {
    const store = path.join(sandbox.dir, 'tags');
    writeFileSync(
      store,
      Object.entries(tags)
        .map(([t, d]) => `${t} ${d}\n`)
        .join(''),
    );
    const docker = [
      '#!/usr/bin/env bash',
      `store=${store}`,
      `echo "docker $*" >>"${sandbox.dir}/calls.log"`,
      '[[ "$1 $2" == "buildx imagetools" ]] || exit 2',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
      'if [[ "$3" == create ]]; then src=${6#*@}; printf "%s %s\\n" "$5" "$src" >>"$store"; exit 0; fi',
      'digest=$(awk -v t="$4" \'$1 == t { d = $2 } END { print d }\' "$store")',
      '[[ -n "$digest" ]] || { echo "ERROR: $4: not found" >&2; exit 1; }',
      'case "$6" in',
      '  *Manifest*) printf \'{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%s","size":1}\' "$digest" ;;',
      `  *Image*) printf '{"linux/amd64":{"config":{"Labels":{"org.opencontainers.image.revision":"%s"}}}}' "${'9'.repeat(40)}" ;;`,
      'esac',
      '',
    ].join('\n');
    writeFileSync(path.join(sandbox.bin, 'docker'), docker);
    chmodSync(path.join(sandbox.bin, 'docker'), 0o755);
    writeFileSync(
      path.join(sandbox.bin, 'cosign'),
      `#!/usr/bin/env bash\necho "cosign $*" >>"${sandbox.dir}/calls.log"\n`,
    );
    chmodSync(path.join(sandbox.bin, 'cosign'), 0o755);
  }
  const calls = () => readFileSync(path.join(sandbox.dir, 'calls.log'), 'utf8').trim().split('\n');
  const mark = (...args: string[]) => run('bash', [script('mark-staging.sh'), ...args], sandbox.env());

  it('tags both digests :staging (checked) and signs them environment=staging', async () => {
    stubRegistry();
    const out = await mark(API, WEB);
    expect(out.stderr).toMatch(/staging marked/);
    expect(out.code).toBe(0);
    expect(calls().filter((c) => !c.includes('inspect'))).toEqual([
      `docker buildx imagetools create --tag ghcr.io/acme/osint-api:staging ${API}`,
      `cosign sign --yes -a environment=staging ${API}`,
      `docker buildx imagetools create --tag ghcr.io/acme/osint-web:staging ${WEB}`,
      `cosign sign --yes -a environment=staging ${WEB}`,
    ]);
    expect(sandbox.summaryText()).toMatch(/Staging runs `ghcr\.io\/acme\/osint-api@sha256:a{64}`/);
  });

  it('--check: current=true when staging runs this release', async () => {
    stubRegistry({
      'ghcr.io/acme/osint-api:staging': `sha256:${hex('a')}`,
      'ghcr.io/acme/osint-web:staging': `sha256:${hex('b')}`,
    });
    const out = await mark('--check', API, WEB);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('current=true\n');
    expect(sandbox.summaryText()).toBe('');
  });

  it('--check: current=false, and the summary names the release staging runs now', async () => {
    stubRegistry({
      'ghcr.io/acme/osint-api:staging': `sha256:${hex('e')}`,
      'ghcr.io/acme/osint-web:staging': `sha256:${hex('b')}`,
    });
    const out = await mark('--check', API, WEB);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('current=false\n');
    expect(sandbox.summaryText()).toBe(
      `Not deployed to production: staging now runs \`ghcr.io/acme/osint-api@sha256:${hex('e')}\` (commit ${'9'.repeat(40)}), not \`${API}\`. Approve the deploy run of the release staging runs.\n`,
    );
  });

  it('--check: nothing tagged yet is not current', async () => {
    stubRegistry();
    const out = await mark('--check', API, WEB);
    expect(out.stdout).toBe('current=false\n');
    expect(sandbox.summaryText()).toMatch(/staging now runs `ghcr\.io\/acme\/osint-api@nothing tagged`/);
  });

  it('refuses a tag or a swapped pair (exit 2) before touching the registry', async () => {
    stubRegistry();
    expect((await mark('ghcr.io/acme/osint-api:latest', WEB)).code).toBe(2);
    expect((await mark(WEB, API)).code).toBe(2);
    expect(existsSync(path.join(sandbox.dir, 'calls.log'))).toBe(false);
  });
});

describe('docs/runbooks/rollback.md matches what the scripts and the logger do', () => {
  const runbook = readFileSync(path.join(repoRoot, 'docs', 'runbooks', 'rollback.md'), 'utf8');

  it('its log query finds the error lines the logger writes, and not the others', async () => {
    const { createLogger } = await import('../../services/core/src/logger.js');
    const lines: string[] = [];
    const logger = createLogger('api', 'info', { write: (line: string) => lines.push(line.trim()) });
    logger.info({ requestId: 'r1' }, 'request completed');
    logger.warn({ requestId: 'r2' }, 'slow query');
    logger.error({ requestId: 'r3', err: new Error('boom') }, 'request failed');
    logger.fatal({ requestId: 'r4' }, 'crashed');
    const query = /\| grep -E '([^']+)'/.exec(runbook)?.[1];
    expect(query, 'the runbook greps the logs with grep -E').toBeDefined();
    // grep -E's pattern, read as a JavaScript regular expression (the same syntax for this pattern).
    const found = lines.filter((l) => new RegExp(query!).test(l)).map((l) => JSON.parse(l).requestId);
    expect(found).toEqual(['r3', 'r4']);
  });

  it('says what rollback.sh does: undo, wait, smoke test (as the rollback.sh tests above show it does)', () => {
    expect(runbook).toMatch(
      /scripts\/deploy\/rollback\.sh` runs `kubectl rollout undo` for api, worker and web/,
    );
    expect(runbook).toMatch(/then runs\s+the smoke test \(`scripts\/deploy\/smoke\.sh`/);
    expect(readFileSync(script('rollback.sh'), 'utf8')).toMatch(
      /bash "\$here\/smoke\.sh" "\$SMOKE_BASE_URL"/,
    );
    expect(runbook).not.toMatch(/"level":50/);
  });
});

describe('superseded.sh (a stub gh, a real git history)', () => {
  /** A repository with three commits on main, oldest first. */
  function history(): { repo: string; commits: string[] } {
    const repo = path.join(sandbox.dir, 'repo');
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], {
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      }).trim();
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    const commits = ['one', 'two', 'three'].map((m) => {
      git('commit', '-q', '--allow-empty', '-m', m);
      return git('rev-parse', 'HEAD');
    });
    return { repo, commits };
  }
  /** gh answering the newest successful build of main as `--jq` would print it. */
  function stubGh(newest: string) {
    writeFileSync(
      path.join(sandbox.bin, 'gh'),
      `#!/usr/bin/env bash\necho "$*" >>"${sandbox.dir}/gh.log"\necho "${newest}"\n`,
    );
    chmodSync(path.join(sandbox.bin, 'gh'), 0o755);
  }
  const check = (sha: string, repo: string) =>
    run('bash', [script('superseded.sh'), sha], sandbox.env({ REPOSITORY: 'acme/osint' }), repo);
  const URL = 'https://github.com/acme/osint/actions/runs/42';

  it('an older commit than the newest green build: superseded, and the summary names the newer release', async () => {
    const { repo, commits } = history();
    stubGh(`${commits[2]} ${URL}`);
    const out = await check(commits[0]!, repo);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`superseded-by=${commits[2]}\n`);
    expect(sandbox.summaryText()).toBe(
      `Release ${commits[0]} is superseded by the newer release ${commits[2]} (${URL}): not deployed; that release's deploy run deploys it.\n`,
    );
    expect(readFileSync(path.join(sandbox.dir, 'gh.log'), 'utf8')).toMatch(
      /^api repos\/acme\/osint\/actions\/workflows\/build\.yml\/runs\?branch=main&event=push&status=success&per_page=1 --jq /,
    );
  });

  it('the newest green build itself, or a commit that is not an ancestor of it: deployed', async () => {
    const { repo, commits } = history();
    stubGh(`${commits[2]} ${URL}`);
    expect((await check(commits[2]!, repo)).stdout).toBe('');
    stubGh(`${commits[0]} ${URL}`); // the listed build is OLDER than this release (builds finished out of order)
    expect((await check(commits[1]!, repo)).stdout).toBe('');
    expect(sandbox.summaryText()).toMatch(/is the newest green build of main: deploying\.\n.*deploying\.\n$/);
  });

  it('no green build listed (or an answer that is not a commit): deployed', async () => {
    const { repo, commits } = history();
    stubGh('null null');
    expect((await check(commits[0]!, repo)).stdout).toBe('');
  });

  it('refuses an argument that is not a commit (exit 2)', async () => {
    stubGh('');
    expect(
      (await run('bash', [script('superseded.sh'), 'main'], sandbox.env({ REPOSITORY: 'acme/osint' }))).code,
    ).toBe(2);
  });
});
