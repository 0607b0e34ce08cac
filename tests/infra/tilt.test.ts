/**
 * Proof for the Tiltfile without Tilt: it is evaluated by tests/infra/support/tilt_eval.py against stub
 * built-ins that follow Tilt's own source rule by rule (each cites the file) and assemble the resources
 * as Tilt does from the rendered dev overlay; the declarations are then checked against the repository
 * (Dockerfiles, paths). Every rule and check is also shown to fire on a copy of the Tiltfile broken on
 * purpose; the stub's rules fail with Tilt's own error text, and each test names the Tilt source it
 * follows. What only a real `tilt up`/`tilt ci` proves is listed in docs/tilt.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFlowAllowed, podEndpointOf } from './support/k8s-netpol.js';
import { repoRoot } from './support/k8s-render.js';
import {
  allTiltErrors,
  buttonErrors,
  deployedObjects,
  dockerfileErrors,
  dockerignoreErrors,
  dockerignoreExcludes,
  enabledResources,
  evaluateTiltfiles,
  evaluationErrors,
  fallBackErrors,
  hmrErrors,
  hotRunnerPodErrors,
  imageErrors,
  labelErrors,
  labelSelectionErrors,
  liveUpdateErrors,
  localResourceErrors,
  loopErrors,
  manifestErrors,
  migrateImageErrors,
  objectErrors,
  onlyErrors,
  parseDockerfile,
  portForwardErrors,
  RESOURCE_LABELS,
  resourceDepErrors,
  SMOKE_RESOURCE,
  settingsErrors,
  sharedDependencyLayerErrors,
  stageChain,
  syncErrors,
  TILTFILE,
  type TiltEvaluation,
  type TiltJob,
  toRunErrors,
  warningErrors,
  workdirOf,
} from './support/tilt-checks.js';

/**
 * Broken copies of the Tiltfile, one per check: `from` is replaced by `to`. Each replacement must apply;
 * when the Tiltfile changes so that `from` no longer occurs, collecting this file fails loudly instead of
 * a test passing vacuously.
 */
const BROKEN = {
  fString: ["name='api')]", "name=f'api')]"],
  unknownKwarg: ["k8s_resource('migrate', resource_deps", "k8s_resource('migrate', resource_dep"],
  kustomizePathToDir: ['kustomize(DEV_OVERLAY)', 'kustomize(pathToDir=DEV_OVERLAY)'],
  objectsPattern: [
    "generated_name('ConfigMap', 'postgres-config-') + ':configmap'",
    "'postgres-config-[a-z0-9]+:configmap'",
  ],
  objectsNotUnique: ["        'api:networkpolicy',\n", "        'api',\n"],
  objectsOfAWorkload: [
    "        'api:poddisruptionbudget',\n",
    "        'api:poddisruptionbudget',\n        'api:service',\n",
  ],
  onlyGlob: [
    "only=INSTALL_INPUTS + ['packages/contracts/src', 'db/src'],",
    "only=INSTALL_INPUTS + ['packages/contracts/src', 'db/src/**'],",
  ],
  fallBackOutsideContext: [
    'fall_back_on(INSTALL_INPUTS + [WEB_DOCKERFILE])',
    "fall_back_on(INSTALL_INPUTS + [WEB_DOCKERFILE, '../package.json'])",
  ],
  liveUpdateOnJobImage: [
    "target='migrate',\n    only=INSTALL_INPUTS + MIGRATE_SOURCES,",
    "target='migrate',\n    only=INSTALL_INPUTS + MIGRATE_SOURCES,\n    live_update=[sync('db/migrations', APP_DIR + '/db/migrations')],",
  ],
  buttonWithoutResource: ["    'seed-load',\n    resource='seed',\n", "    'seed-load',\n"],
  seedBeforeMigrations: [
    "    'seed',\n    resource_deps=['migrate'],",
    "    'seed',\n    resource_deps=['postgres'],",
  ],
  smokeNotInCi: [
    "cmd='node scripts/dev/tilt-smoke.mjs',\n    env={'BASE_URL': 'http://localhost:5173'},\n    resource_deps=['api', 'web', 'seed'],\n    trigger_mode=TRIGGER_MODE_MANUAL,\n    auto_init=True,",
    "cmd='node scripts/dev/tilt-smoke.mjs',\n    env={'BASE_URL': 'http://localhost:5173'},\n    resource_deps=['api', 'web'],\n    trigger_mode=TRIGGER_MODE_MANUAL,\n    auto_init=False,",
  ],
  resetWithoutConfirmation: [
    "    inputs=[bool_input('CONFIRM_RESET'",
    "    inputs=[] and [bool_input('CONFIRM_RESET'",
  ],
  otherOverlay: ["DEV_OVERLAY = 'k8s/overlays/dev'", "DEV_OVERLAY = 'k8s/overlays/staging'"],
  unusedImage: ["docker_build(\n    'osint-web'", "docker_build(\n    'osint-webapp'"],
  unknownTarget: ["DEV_TARGET = 'dev'", "DEV_TARGET = 'develop'"],
  missingDockerfile: [/API_DOCKERFILE = '[^']+'/, "API_DOCKERFILE = 'docker/missing.Dockerfile'"],
  missingOnly: ["        'biome.json',\n", "        'biome.jsonc',\n"],
  onlyOmitsCopied: ["    'package-lock.json',\n", ''],
  dockerignored: ["        'biome.json',\n", "        'biome.json',\n        'README.md',\n"],
  missingSync: ["sync('services/core/src'", "sync('services/core/source'"],
  syncOutsideWorkdir: ["APP_DIR + '/web/src'", "'/srv/web/src'"],
  syncOutsideOnly: ["sync('db/src'", "sync('tests/infra'"],
  missingFallBack: [
    'fall_back_on(INSTALL_INPUTS + [WEB_DOCKERFILE])',
    "fall_back_on(INSTALL_INPUTS + [WEB_DOCKERFILE, 'web/package.lock'])",
  ],
  missingDep: ["resource_deps=['api'],\n    port_forwards", "resource_deps=['apii'],\n    port_forwards"],
  cycle: [
    "k8s_resource('migrate', resource_deps=['postgres']",
    "k8s_resource('migrate', resource_deps=['postgres', 'api']",
  ],
  unknownWorkload: ["k8s_resource(\n    'worker'", "k8s_resource(\n    'workers'"],
  badSelector: ["'osint-config:configmap'", "'osint-cfg:configmap'"],
  portCollision: ['port_forward(4001, 4001', 'port_forward(4000, 4001'],
  tiltUiPort: ['port_forward(5173, 5173', 'port_forward(10350, 5174'],
  hmrPort: ['port_forward(5173, 5173', 'port_forward(5174, 5173'],
  badLabel: ["labels=['frontend']", "labels=['ui']"],
  autoTest: [
    "cmd='npm run lint',\n    trigger_mode=TRIGGER_MODE_MANUAL,\n    auto_init=False",
    "cmd='npm run lint',\n    trigger_mode=TRIGGER_MODE_AUTO,\n    auto_init=True",
  ],
  noToRun: [
    "config.define_string_list('to-run', args=True, usage='resources or labels to run (default: all)')",
    "config.define_string_list('run-only', usage='resources to run')",
  ],
  labelGroupIncomplete: [
    "'backend': ['migrate', 'seed', 'api', 'worker']",
    "'backend': ['migrate', 'seed', 'api']",
  ],
  noCiSettings: [/^ci_settings\([^)]*\)/m, "print('no ci settings')"],
  autoWithoutInit: [
    "cmd='npm run typecheck',\n    trigger_mode=TRIGGER_MODE_MANUAL,",
    "cmd='npm run typecheck',\n    trigger_mode=TRIGGER_MODE_AUTO,",
  ],
} satisfies Record<string, [string | RegExp, string]>;
type Broken = keyof typeof BROKEN;

const source = readFileSync(TILTFILE, 'utf8');
const scratch = mkdtempSync(path.join(tmpdir(), 'tiltfile-broken-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const jobs: TiltJob[] = [
  { tiltfile: TILTFILE },
  { tiltfile: TILTFILE, args: ['api'] },
  { tiltfile: TILTFILE, args: ['frontend'] },
  { tiltfile: TILTFILE, args: ['apy'] },
  { tiltfile: TILTFILE, subcommand: 'ci' },
];
for (const label of RESOURCE_LABELS) jobs.push({ tiltfile: TILTFILE, args: [label] });
const brokenNames = Object.keys(BROKEN) as Broken[];
const brokenFiles = new Map<Broken, string>();
for (const name of brokenNames) {
  const [from, to] = BROKEN[name];
  const text = source.replace(from, to);
  if (text === source)
    throw new Error(`broken variant ${name}: ${String(from)} no longer occurs in the Tiltfile`);
  const file = path.join(scratch, `Tiltfile.${name}`);
  writeFileSync(file, text);
  brokenFiles.set(name, file);
  jobs.push({ tiltfile: file });
}
// The broken label group, evaluated like `tilt up backend`.
jobs.push({ tiltfile: brokenFiles.get('labelGroupIncomplete') as string, args: ['backend'] });

// The loop as it was: the migrate Job on osint-api, whose live_update then targets the Job's pod. An
// overlay on top of the dev one puts the image back; the Tiltfile deploys it instead.
const oldLoop = path.join(scratch, 'migrate-on-osint-api');
mkdirSync(oldLoop);
writeFileSync(
  path.join(oldLoop, 'kustomization.yaml'),
  [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    // kustomize takes a relative path to another kustomization only.
    `  - ${path.relative(oldLoop, path.join(repoRoot, 'k8s', 'overlays', 'dev'))}`,
    'patches:',
    '  - target: {kind: Job, name: migrate}',
    '    patch: |-',
    '      - op: replace',
    '        path: /spec/template/spec/containers/0/image',
    '        value: osint-api:dev',
    '',
  ].join('\n'),
);
const oldLoopTiltfile = path.join(scratch, 'Tiltfile.migrateOnApiImage');
writeFileSync(
  oldLoopTiltfile,
  source.replace("DEV_OVERLAY = 'k8s/overlays/dev'", `DEV_OVERLAY = '${oldLoop}'`),
);
jobs.push({ tiltfile: oldLoopTiltfile });
jobs.push({ tiltfile: TILTFILE, subcommand: 'down' });
const results = evaluateTiltfiles(jobs);
const [real, upApi, upFrontend, upTypo, ciRun] = results as [
  TiltEvaluation,
  TiltEvaluation,
  TiltEvaluation,
  TiltEvaluation,
  TiltEvaluation,
];
const upByLabel = results.slice(5, 5 + RESOURCE_LABELS.length);
const brokenResults = results.slice(5 + RESOURCE_LABELS.length);
const brokenEvaluations = new Map(brokenNames.map((name, i) => [name, brokenResults[i] as TiltEvaluation]));
const upBackendBroken = brokenResults[brokenNames.length] as TiltEvaluation;
const migrateOnApiImage = brokenResults[brokenNames.length + 1] as TiltEvaluation;
const down = brokenResults[brokenNames.length + 2] as TiltEvaluation;

/** The broken variant's evaluation; by default it must still run, so the failure seen is the check's. */
function broken(name: Broken, mustEvaluate = true): TiltEvaluation {
  const ev = brokenEvaluations.get(name);
  if (!ev) throw new Error(`no evaluation for ${name}`);
  if (mustEvaluate) expect(evaluationErrors(ev)).toEqual([]);
  return ev;
}

describe('the Tiltfile, evaluated against stub Tilt built-ins', () => {
  it('runs to the end inside the Starlark subset', () => {
    expect(evaluationErrors(real)).toEqual([]);
  });

  it('passes every check against the repository and the rendered dev overlay', () => {
    const findings = allTiltErrors(real);
    expect(Object.values(findings).flat()).toEqual([]);
    // Sanity: the evaluation saw what the Tiltfile is about.
    expect(Object.fromEntries(real.docker_builds.map((b) => [b.ref, b.target]))).toEqual({
      'osint-api': 'dev',
      'osint-web': 'dev',
      'osint-migrate': 'migrate',
      'osint-seed': 'seed',
    });
    expect(real.warnings).toEqual([]);
    expect(real.unresourced).toEqual([]);
  });

  it('assembles the resources Tilt would show, each with its objects and images', () => {
    const byName = Object.fromEntries(real.resources.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(
      ['api', 'cluster-config', 'migrate', 'postgres', 'redis', 'seed', 'web', 'worker'].sort(),
    );
    expect(byName.api?.images).toEqual(['osint-api']);
    expect(byName.worker?.images).toEqual(['osint-api']);
    expect(byName.migrate?.images).toEqual(['osint-migrate']);
    expect(byName.seed?.images).toEqual(['osint-seed']);
    // The generated ConfigMap, found by its exact (hash-suffixed) name, and the Services Tilt attaches.
    expect(byName.postgres?.objects).toEqual(
      expect.arrayContaining([
        'StatefulSet/postgres',
        'Service/postgres',
        expect.stringMatching(/^ConfigMap\/postgres-config-[a-z0-9]{10}$/),
      ]),
    );
    expect(byName.api?.objects).toEqual(['Deployment/api', 'Service/api']);
  });

  it('the loop stays live: api/worker live-update; migrate and seed run their own images without live_update', () => {
    const withLiveUpdate = real.docker_builds.filter((b) => b.live_update.length > 0).map((b) => b.ref);
    expect(withLiveUpdate.sort()).toEqual(['osint-api', 'osint-web']);
    expect(real.live_update_failures).toEqual([]);
    expect(loopErrors(real, deployedObjects(real))).toEqual([]);
    expect(migrateImageErrors(real)).toEqual([]);
    // Only a new migration (or an install input) rebuilds osint-migrate and so re-runs the Job.
    const migrate = real.docker_builds.find((b) => b.ref === 'osint-migrate');
    expect(migrate?.only.filter((p) => p.startsWith('db/'))).toEqual([
      'db/package.json',
      'db/migrations',
      'db/src/cli.ts',
      'db/src/migrate.cli.ts',
      'db/src/migrate.ts',
      'db/src/roles.ts',
      'db/src/url.ts',
    ]);
  });

  it('seeds after the migrations, once, then on request; the smoke check and k6 wait for the seed', () => {
    const seed = real.k8s_resources.find((r) => r.workload === 'seed');
    expect(seed).toMatchObject({ resource_deps: ['migrate'], trigger_mode: 'manual', auto_init: true });
    const smoke = real.local_resources.find((r) => r.name === SMOKE_RESOURCE);
    expect(smoke).toMatchObject({
      cmd: 'node scripts/dev/tilt-smoke.mjs',
      resource_deps: ['api', 'web', 'seed'],
      auto_init: true,
      env: { BASE_URL: 'http://localhost:5173' },
    });
    expect(real.local_resources.find((r) => r.name === 'k6-smoke')?.resource_deps).toEqual(['api', 'seed']);
    // `tilt ci` runs what has auto_init: the smoke check is among them.
    expect(ciRun.local_resources.filter((r) => r.auto_init).map((r) => r.name)).toEqual([SMOKE_RESOURCE]);
  });

  it('the seed Job can reach PostgreSQL (and nothing else) under the dev NetworkPolicies', () => {
    const objects = deployedObjects(real);
    const seedPod = podEndpointOf(objects, 'seed');
    expect(
      isFlowAllowed(objects, { from: seedPod, to: podEndpointOf(objects, 'postgres'), port: 5432 }),
    ).toBe(true);
    expect(isFlowAllowed(objects, { from: seedPod, to: podEndpointOf(objects, 'redis'), port: 6379 })).toBe(
      false,
    );
  });

  it('buttons: run migrations, load the seed, reset the dev data behind a confirmation, run the unit tests', () => {
    expect(buttonErrors(real)).toEqual([]);
    expect(real.buttons.map((b) => [b.name, b.location, b.resource, b.argv.join(' ')])).toEqual([
      ['migrate-run', 'resource', 'migrate', 'tilt trigger migrate'],
      ['seed-load', 'resource', 'seed', 'tilt trigger seed'],
      ['dev-data-reset', 'resource', 'postgres', 'sh scripts/dev/tilt-reset.sh'],
      ['unit-tests-run', 'nav', '', 'tilt trigger unit-tests'],
    ]);
    // uibutton/Tiltfile: cmd_button does nothing under `tilt down`.
    expect(evaluationErrors(down)).toEqual([]);
    expect(down.buttons).toEqual([]);
  });

  it('the api and worker pods run the hot runner `npm start` runs, promoting on the readiness path their probe asks', () => {
    // tests/integration/hot-runner.test.ts proves that runner keeps the old process serving through a
    // start-up crash; this ties the pods (and the native mode) to that same runner.
    const objects = deployedObjects(real);
    expect(hotRunnerPodErrors(objects)).toEqual([]);
    const start = readFileSync(path.join(repoRoot, 'scripts', 'dev', 'start.ts'), 'utf8');
    for (const svc of ['api', 'worker'])
      expect(start).toContain(`hotRunner('${svc}', 'services/${svc}/src/main.ts')`);
    // It fires on a pod that runs the built service instead, and on a probe the runner does not promote on.
    const changed = structuredClone(objects);
    const containerOf = (name: string) =>
      (
        changed.find((o) => o.kind === 'Deployment' && o.metadata.name === name)?.spec as unknown as {
          template: {
            spec: { containers: { command?: string[]; readinessProbe: { httpGet: { path: string } } }[] };
          };
        }
      )?.template.spec.containers[0];
    const api = containerOf('api');
    const worker = containerOf('worker');
    if (!api || !worker) throw new Error('no api/worker container');
    api.command = ['node', 'services/api/dist/main.js'];
    worker.readinessProbe.httpGet.path = '/healthz';
    const errors = hotRunnerPodErrors(changed).join('\n');
    expect(errors).toMatch(
      /Deployment\/api: runs `node services\/api\/dist\/main\.js`, not the workspace's dev script/,
    );
    expect(errors).toMatch(
      /Deployment\/worker: readiness probe asks \/healthz, the runner promotes on \/readyz/,
    );
  });

  it('`tilt down` keeps the exports volume (tilt.dev/down-policy: keep), and the check fires without it', () => {
    const objects = deployedObjects(real);
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'exports');
    expect(
      (pvc?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations,
    ).toMatchObject({
      'tilt.dev/down-policy': 'keep',
    });
    const without = structuredClone(objects);
    const copy = without.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'exports');
    const annotations = (copy?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
    if (!annotations) throw new Error('the exports PVC has no annotations');
    delete annotations['tilt.dev/down-policy'];
    expect(loopErrors(real, without).join('\n')).toMatch(
      /exports: needs the annotation tilt\.dev\/down-policy: keep/,
    );
  });

  it('the API and web images share their dependency layer (identical node-base and deps stages)', () => {
    expect(sharedDependencyLayerErrors()).toEqual([]);
    const api = readFileSync(path.join(repoRoot, 'docker', 'api.Dockerfile'), 'utf8');
    const web = readFileSync(path.join(repoRoot, 'docker', 'web.Dockerfile'), 'utf8');
    // The check fires on the difference that once kept them apart: an extra command in the API's RUN.
    const apart = api.replace(
      'chown osint:osint /app\n',
      'chown osint:osint /app; \\\n    install -d -m 0750 /data/exports\n',
    );
    expect(apart).not.toBe(api);
    expect(sharedDependencyLayerErrors(apart, web).join('\n')).toMatch(
      /node-base\/deps differ at instruction 2/,
    );
  });

  it('orders start-up postgres, redis -> migrate -> api/worker -> web', () => {
    const deps = Object.fromEntries(
      real.k8s_resources.map((r) => [r.new_name || r.workload, r.resource_deps]),
    );
    expect(deps.migrate).toEqual(['postgres']);
    expect(deps.seed).toEqual(['migrate']);
    expect(deps.api).toEqual(expect.arrayContaining(['migrate', 'redis']));
    expect(deps.worker).toEqual(expect.arrayContaining(['migrate', 'redis']));
    expect(deps.web).toEqual(['api']);
  });

  it('`tilt up api` enables api and exactly what it depends on', () => {
    const { enabled, errors } = enabledResources(upApi, deployedObjects(upApi));
    expect(errors).toEqual([]);
    expect(enabled).toEqual(['api', 'cluster-config', 'migrate', 'postgres', 'redis']);
  });

  it('`tilt up frontend` (a label) enables web and its chain; `tilt up` alone enables everything', () => {
    expect(enabledResources(upFrontend, deployedObjects(upFrontend)).enabled).toEqual(
      ['api', 'cluster-config', 'migrate', 'postgres', 'redis', 'web'].sort(),
    );
    const all = enabledResources(real, deployedObjects(real)).enabled;
    expect(all).toEqual(expect.arrayContaining(['api', 'worker', 'web', 'unit-tests', 'lint', 'k6-smoke']));
  });

  it('live_update lands where the Dockerfiles put the sources (their dev targets WORKDIR)', () => {
    for (const b of real.docker_builds) {
      const chain = stageChain(
        parseDockerfile(readFileSync(path.resolve(b.context, b.dockerfile), 'utf8')),
        'dev',
      );
      const workdir = workdirOf(chain);
      for (const s of b.live_update.filter((step) => step.step === 'sync')) {
        expect(s.remote_path).toBe(`${workdir}/${s.local_path}`);
      }
    }
  });

  it('reads .dockerignore as Docker does (last match wins, parents count, ! re-includes)', () => {
    const ignore = '*\n!services/\n**/node_modules\n!web/\nweb/e2e/\n';
    expect(dockerignoreExcludes('services/api/src/main.ts', ignore)).toBe(false);
    expect(dockerignoreExcludes('services/api/node_modules/x', ignore)).toBe(true);
    expect(dockerignoreExcludes('README.md', ignore)).toBe(true);
    expect(dockerignoreExcludes('web/e2e/a.spec.ts', ignore)).toBe(true);
    expect(dockerignoreExcludes('web/src/main.tsx', ignore)).toBe(false);
  });

  it('`tilt up <label>` enables every resource with that label', () => {
    expect(upByLabel.map((ev) => ev.args[0])).toEqual([...RESOURCE_LABELS]);
    expect(labelSelectionErrors(upByLabel, deployedObjects(real))).toEqual([]);
  });

  it('`tilt ci` sees the same resources and has a deadline', () => {
    expect(evaluationErrors(ciRun)).toEqual([]);
    expect(ciRun.k8s_resources).toEqual(real.k8s_resources);
    expect(ciRun.settings.ci_settings?.timeout).toMatch(/^\d+m$/);
  });

  it("k6-smoke runs the performance suite's smoke scenario as the seed user", () => {
    const k6 = real.local_resources.find((r) => r.name === 'k6-smoke');
    expect(k6?.cmd).toBe('k6 run tests/perf/smoke.js');
    const scenarios = JSON.parse(
      readFileSync(path.join(repoRoot, 'tests', 'perf', 'scenarios.json'), 'utf8'),
    );
    expect(scenarios.auth).toMatchObject({ email: 'alice@example.com', password: 'osint-dev-password' });
  });
});

/**
 * The stub's rules: each test is named after the Tilt source the rule follows (tilt_eval.py cites the
 * same function), and shows the stub refusing what Tilt refuses, with Tilt's own error text.
 */
describe("the stub rejects what Tilt rejects, with Tilt's error text", () => {
  it('go.starlark.net starlark/unpack.go UnpackArgs (tiltfile_state.go unpackArgs): an unknown keyword argument', () => {
    const ev = broken('unknownKwarg', false);
    expect(ev.error).toMatch(
      /^k8s_resource: unexpected keyword argument "resource_dep"( \(did you mean .*\?\))?$/,
    );
  });

  it('internal/tiltfile/files.go kustomize: the parameter is `paths`, not `pathToDir`', () => {
    const ev = broken('kustomizePathToDir', false);
    expect(ev.error).toMatch(/^kustomize: unexpected keyword argument "pathToDir"/);
  });

  it('internal/tiltfile/tiltfile_state.go assembleK8sV2 + internal/k8s/names.go FragmentsToEntities: a pattern in objects= is no fragment', () => {
    const ev = broken('objectsPattern', false);
    expect(ev.error).toMatch(
      /^No object identified by the fragment "postgres-config-\[a-z0-9\]\+:configmap" could be found\. Possible objects are: /,
    );
    // Tilt lists the real name:Kind:namespace, the hash suffix included.
    expect(ev.error).toMatch(/"postgres-config-[a-z0-9]{10}:ConfigMap:osint-dev"/);
  });

  it('internal/tiltfile/tiltfile_state.go assembleK8sV2 + internal/k8s/names.go FragmentsToEntities: a fragment that names several objects', () => {
    const ev = broken('objectsNotUnique', false);
    expect(ev.error).toMatch(/^"api" is not a unique fragment\. Objects that match "api" are /);
    for (const kind of ['Deployment', 'Service', 'NetworkPolicy', 'PodDisruptionBudget'])
      expect(ev.error).toContain(`"api:${kind}:osint-dev"`);
  });

  it("internal/tiltfile/tiltfile_state.go assembleK8sV2: an object already in a workload's resource", () => {
    const ev = broken('objectsOfAWorkload', false);
    expect(ev.error).toMatch(
      /^No object identified by the fragment "api:service" could be found in remaining YAML\. Valid remaining fragments are: /,
    );
  });

  it('internal/tiltfile/tiltfile_state.go assembleK8sV2: a name no object has; an object left uncategorized', () => {
    const ev = broken('badSelector', false);
    expect(ev.error).toMatch(/^No object identified by the fragment "osint-cfg:configmap" could be found\./);
    const kept = { ...real, unresourced: ['ConfigMap/osint-config'] };
    expect(objectErrors(kept).join('\n')).toMatch(/ConfigMap\/osint-config is in no resource/);
  });

  it('internal/tiltfile/tiltfile_state.go assembleK8sV2: k8s_resource() of a workload that is not deployed', () => {
    const ev = broken('unknownWorkload', false);
    expect(ev.error).toMatch(
      /^k8s_resource at Tiltfile\.unknownWorkload:\d+ specified unknown resource "workers"\. known resources: .*\bworker\b/,
    );
  });

  it('internal/tiltfile/docker.go parseOnly: globs in docker_build(only=…)', () => {
    const ev = broken('onlyGlob', false);
    expect(ev.error).toBe("'only' does not support '*' file globs. Must be a real path: db/src/**");
  });

  it('internal/tiltfile/tiltfile_state.go validateLiveUpdate: a fall_back_on path outside the watched build context', () => {
    const ev = broken('fallBackOutsideContext', false);
    expect(ev.error).toBe(
      `fall_back_on paths '${path.resolve(repoRoot, '..', 'package.json')}' is not a child of any watched filepaths ([${repoRoot}])`,
    );
  });

  it('internal/controllers/core/liveupdate/reconciler.go: a live_update on an image a Job runs fails on its stopped container, so every save is a full rebuild', () => {
    const ev = broken('liveUpdateOnJobImage');
    expect(liveUpdateErrors(ev).join('\n')).toMatch(
      /docker_build\('osint-migrate'\): its live_update would fail on resource migrate \(a Job\): "Container for live update is stopped\. Pod name: migrate-/,
    );
    expect(loopErrors(ev, deployedObjects(ev)).join('\n')).toMatch(
      /osint-migrate'\): a Job's image has no live_update/,
    );
    // The loop as it was: the migrate Job on osint-api.
    expect(evaluationErrors(migrateOnApiImage)).toEqual([]);
    expect(migrateOnApiImage.live_update_failures).toEqual([
      expect.objectContaining({ image: 'osint-api', resource: 'migrate' }),
    ]);
  });

  it('internal/tiltfile/tiltfile_state.go sanitizeDependencies (tilt-dev/tilt#5488, #5775): a resource_deps name that is no resource is warned about and ignored', () => {
    const ev = broken('missingDep');
    expect(ev.warnings).toEqual([
      'resource web specified a dependency on unknown resource apii - dependency ignored',
    ]);
    // Tilt would load it and start web without waiting for api: the check refuses any warning.
    expect(warningErrors(ev)).toHaveLength(1);
    expect(resourceDepErrors(ev, deployedObjects(ev)).join('\n')).toMatch(/web: resource_deps names 'apii'/);
  });

  it('internal/tiltfile/tiltfile_state.go sanitizeDependencies: a resource_deps cycle', () => {
    const ev = broken('cycle', false);
    expect(ev.error).toMatch(/^cycle detected in resource dependency graph: (\w+ -> )+\w+$/);
    expect(ev.error).toMatch(/api -> migrate -> api|migrate -> api -> migrate/);
  });

  it('internal/tiltfile/tiltfile_state.go starlarkTriggerModeToModel: TRIGGER_MODE_AUTO with auto_init=False loads (Tilt accepts it)', () => {
    // Tilt maps it to TriggerModeAutoWithManualInit; the stub must not refuse what Tilt accepts. The
    // project's own check still wants the test resources manual.
    const ev = broken('autoWithoutInit');
    expect(ev.local_resources.find((r) => r.name === 'typecheck')).toMatchObject({
      trigger_mode: 'auto',
      auto_init: false,
    });
    expect(localResourceErrors(ev).join('\n')).toMatch(
      /typecheck: test resource must use TRIGGER_MODE_MANUAL/,
    );
  });

  it('tilt-dev/tilt-extensions uibutton/Tiltfile cmd_button: a resource button without its resource', () => {
    const ev = broken('buttonWithoutResource', false);
    expect(ev.error).toBe('Must provide a resource name');
  });
});

/** The project's own checks of the Tiltfile against the repository: each fires on a broken copy. */
describe('each project check fires on a broken Tiltfile', () => {
  it('Starlark subset (go.starlark.net doc/spec.md has no f-strings): an f-string is reported before Tilt would fail to parse it', () => {
    const ev = broken('fString', false);
    expect(ev.starlark_errors.join('\n')).toMatch(/f-strings/);
  });

  it('buttons: a reset without its confirmation input', () => {
    const ev = broken('resetWithoutConfirmation');
    expect(buttonErrors(ev).join('\n')).toMatch(/no button resets the dev data behind a confirmation/);
  });

  it('the seed must wait for the migrations', () => {
    const ev = broken('seedBeforeMigrations');
    expect(loopErrors(ev, deployedObjects(ev)).join('\n')).toMatch(/seed: must wait for the migrations/);
  });

  it('the smoke check must wait for the seed and run under `tilt ci`', () => {
    const ev = broken('smokeNotInCi');
    expect(loopErrors(ev, deployedObjects(ev)).join('\n')).toMatch(/smoke: must wait for seed/);
    expect(localResourceErrors(ev).join('\n')).toMatch(/smoke: must run at start-up/);
  });

  it('manifests: deploying another overlay', () => {
    // It stops at the first generated name the staging overlay lacks; k8s_yaml has run by then.
    const ev = broken('otherOverlay', false);
    expect(ev.error).toMatch(/k8s\/overlays\/staging renders 0 ConfigMap objects named postgres-config-/);
    expect(manifestErrors(ev).join('\n')).toMatch(/k8s\/overlays\/dev/);
  });

  it('images: building an image no workload uses', () => {
    const ev = broken('unusedImage');
    const errors = imageErrors(ev, deployedObjects(ev)).join('\n');
    expect(errors).toMatch(/osint-webapp.*no workload/);
    expect(errors).toMatch(/Deployment\/web run\(s\) osint-web, which no docker_build builds/);
  });

  it('Dockerfiles: an unknown target', () => {
    const ev = broken('unknownTarget');
    expect(dockerfileErrors(ev).join('\n')).toMatch(/has no stage 'develop'/);
  });

  it('Dockerfiles: a Dockerfile that does not exist', () => {
    const ev = broken('missingDockerfile');
    expect(dockerfileErrors(ev).join('\n')).toMatch(/docker\/missing\.Dockerfile does not exist/);
  });

  it('only=: a path that does not exist', () => {
    const ev = broken('missingOnly');
    expect(onlyErrors(ev).join('\n')).toMatch(/only= path biome\.jsonc does not exist/);
  });

  it('only=: leaving out something the Dockerfile copies', () => {
    const ev = broken('onlyOmitsCopied');
    expect(onlyErrors(ev).join('\n')).toMatch(/copies package-lock\.json, which only= leaves out/);
  });

  it('.dockerignore: a path the build needs that the context excludes', () => {
    const ev = broken('dockerignored');
    expect(dockerignoreErrors(ev).join('\n')).toMatch(/only= path README\.md is excluded by \.dockerignore/);
  });

  it('sync: a source path that does not exist', () => {
    const ev = broken('missingSync');
    expect(syncErrors(ev).join('\n')).toMatch(/sync source services\/core\/source does not exist/);
  });

  it('sync: a destination outside the image working directory', () => {
    const ev = broken('syncOutsideWorkdir');
    expect(syncErrors(ev).join('\n')).toMatch(/\/srv\/web\/src is not under the image's working directory/);
  });

  it('sync: a source the build context leaves out', () => {
    const ev = broken('syncOutsideOnly');
    expect(syncErrors(ev).join('\n')).toMatch(/sync source tests\/infra is not in only=/);
  });

  it('fall_back_on: a file that does not exist', () => {
    const ev = broken('missingFallBack');
    expect(fallBackErrors(ev).join('\n')).toMatch(/fall_back_on file web\/package\.lock does not exist/);
  });

  it('port forwards: two resources on one local port', () => {
    const ev = broken('portCollision');
    expect(portForwardErrors(ev, deployedObjects(ev)).join('\n')).toMatch(
      /worker: local port 4000 is already forwarded by api/,
    );
  });

  it("port forwards: the Tilt UI's port, and a container port nothing listens on", () => {
    const ev = broken('tiltUiPort');
    const errors = portForwardErrors(ev, deployedObjects(ev)).join('\n');
    expect(errors).toMatch(/local port 10350 is already forwarded by the Tilt UI/);
    expect(errors).toMatch(/forwards to container port 5174; the containers declare 5173/);
  });

  it('HMR: a web forward that changes the port breaks Vite HMR', () => {
    const ev = broken('hmrPort');
    expect(hmrErrors(ev, deployedObjects(ev)).join('\n')).toMatch(/HMR would dial 5174/);
  });

  it('labels: a resource without one of infra/backend/frontend/test', () => {
    const ev = broken('badLabel');
    const errors = labelErrors(ev, deployedObjects(ev)).join('\n');
    expect(errors).toMatch(/web: unknown label 'ui'/);
    expect(errors).toMatch(/no resource is labelled 'frontend'/);
  });

  it('local resources: a test resource that runs at start-up', () => {
    const ev = broken('autoTest');
    const errors = localResourceErrors(ev).join('\n');
    expect(errors).toMatch(/lint: test resource must use TRIGGER_MODE_MANUAL/);
    expect(errors).toMatch(/lint: test resource must not run at startup/);
  });

  it('to-run: without the config setting, `tilt up api` cannot select resources', () => {
    const ev = broken('noToRun');
    expect(toRunErrors(ev).join('\n')).toMatch(/define_string_list\('to-run', args=True\) is missing/);
  });

  it('to-run: a name that is neither a resource nor a label', () => {
    expect(enabledResources(upTypo, deployedObjects(upTypo)).errors.join('\n')).toMatch(
      /no resource named 'apy'/,
    );
  });

  it('to-run: a label group that misses a resource carrying the label', () => {
    expect(evaluationErrors(upBackendBroken)).toEqual([]);
    expect(labelSelectionErrors([upBackendBroken], deployedObjects(upBackendBroken)).join('\n')).toMatch(
      /tilt up backend: does not enable worker, which is labelled backend/,
    );
  });

  it('settings: `tilt ci` without a timeout', () => {
    const ev = broken('noCiSettings');
    expect(settingsErrors(ev).join('\n')).toMatch(/ci_settings\(timeout=/);
  });
});

describe("the reset button's script (scripts/dev/tilt-reset.sh), against a recording kubectl", () => {
  const bin = path.join(scratch, 'kubectl-recorder');
  const log = path.join(scratch, 'kubectl.log');
  writeFileSync(
    bin,
    // Answers `get secret` as kubectl would (base64 of the dev overlay's owner URL, or nothing).
    `#!/bin/sh\necho "$*" >> "${log}"\n[ -z "$FAIL_ON" ] || case "$*" in *"$FAIL_ON"*) exit 3;; esac\ncase "$*" in *"get secret"*) printf %s "$SECRET_B64";; esac\n`,
    {
      mode: 0o755,
    },
  );
  // The owner URL as the dev overlay's Secret holds it (base64, as kubectl prints it): the migrate Job's.
  const secret = deployedObjects(real).find(
    (o) => o.kind === 'Secret' && o.metadata.name === 'osint-secrets',
  ) as { data?: Record<string, string> } | undefined;
  const ownerUrlB64 = secret?.data?.MIGRATION_DATABASE_URL ?? '';
  const ownerUrl = Buffer.from(ownerUrlB64, 'base64').toString('utf8');
  const reset = (env: Record<string, string>) => {
    rmSync(log, { force: true });
    const r = spawnSync('sh', ['scripts/dev/tilt-reset.sh'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', KUBECTL: bin, SECRET_B64: ownerUrlB64, ...env },
      encoding: 'utf8',
    });
    return {
      code: r.status,
      out: r.stdout + r.stderr,
      calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [],
    };
  };

  it('without the confirmation it deletes nothing and says how to confirm', () => {
    for (const env of [{}, { CONFIRM_RESET: 'no' }, { CONFIRM_RESET: 'true' }] as Record<string, string>[]) {
      const r = reset(env);
      expect(r.code).toBe(1);
      expect(r.calls).toEqual([]);
      expect(r.out).toMatch(/nothing deleted.*\n.*Yes, delete all development data/);
    }
  });

  it('confirmed: drops and recreates the database, empties Redis, migrates as the owner, seeds, in that order', () => {
    // The api pod's own DATABASE_URL is the runtime role, which may not create tables: the migrations
    // get the owner URL the migrate Job gets.
    expect(ownerUrl).toMatch(/^postgres:\/\/osint:[^@]+@postgres:5432\/osint$/);
    const r = reset({ CONFIRM_RESET: 'yes' });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([
      '-n osint-dev get secret osint-secrets -o jsonpath={.data.MIGRATION_DATABASE_URL}',
      '-n osint-dev exec statefulset/postgres -c postgres -- psql -U osint -d postgres -v ON_ERROR_STOP=1 -c DROP DATABASE IF EXISTS osint WITH (FORCE) -c CREATE DATABASE osint OWNER osint',
      '-n osint-dev exec statefulset/redis -c redis -- redis-cli FLUSHALL',
      `-n osint-dev exec deploy/api -c api -- env MIGRATION_DATABASE_URL=${ownerUrl} npm run --silent db:migrate`,
      '-n osint-dev exec deploy/api -c api -- npm run --silent db:seed',
    ]);
  });

  it('without the owner URL (the Secret unreadable) it deletes nothing', () => {
    for (const env of [{ SECRET_B64: '' }, { FAIL_ON: 'get secret' }] as Record<string, string>[]) {
      const r = reset({ CONFIRM_RESET: 'yes', ...env });
      expect(r.code).toBe(1);
      expect(r.calls).toEqual([
        '-n osint-dev get secret osint-secrets -o jsonpath={.data.MIGRATION_DATABASE_URL}',
      ]);
      expect(r.out).toMatch(/no MIGRATION_DATABASE_URL; nothing deleted/);
    }
  });

  it('stops at the first failing step', () => {
    const r = reset({ CONFIRM_RESET: 'yes', FAIL_ON: 'FLUSHALL' });
    expect(r.code).toBe(3);
    expect(r.calls).toHaveLength(3);
    expect(r.out).not.toMatch(/applying the migrations/);
  });
});
