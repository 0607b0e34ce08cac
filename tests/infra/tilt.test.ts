/**
 * Proof for the Tiltfile without Tilt: it is evaluated by tests/infra/support/tilt_eval.py against stub
 * built-ins that record its declarations, and those are checked against the repository (Dockerfiles,
 * paths) and the rendered dev overlay (`kubectl kustomize k8s/overlays/dev`). Every check is also shown
 * to fire on a copy of the Tiltfile broken on purpose. What only a real `tilt up`/`tilt ci` proves is
 * listed in docs/tilt.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  allTiltErrors,
  deployedObjects,
  dockerfileErrors,
  dockerignoreErrors,
  dockerignoreExcludes,
  enabledResources,
  evaluateTiltfiles,
  evaluationErrors,
  fallBackErrors,
  hmrErrors,
  imageErrors,
  labelErrors,
  labelSelectionErrors,
  localResourceErrors,
  manifestErrors,
  objectErrors,
  onlyErrors,
  parseDockerfile,
  portForwardErrors,
  RESOURCE_LABELS,
  resourceDepErrors,
  settingsErrors,
  stageChain,
  syncErrors,
  TILTFILE,
  type TiltEvaluation,
  type TiltJob,
  toRunErrors,
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
  otherOverlay: ["kustomize('k8s/overlays/dev')", "kustomize('k8s/overlays/staging')"],
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
  labelGroupIncomplete: ["'backend': ['migrate', 'api', 'worker']", "'backend': ['migrate', 'api']"],
  noCiSettings: [/^ci_settings\([^)]*\)/m, "print('no ci settings')"],
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
    expect(real.docker_builds.map((b) => b.ref).sort()).toEqual(['osint-api', 'osint-web']);
    expect(real.docker_builds.every((b) => b.target === 'dev')).toBe(true);
  });

  it('orders start-up postgres, redis -> migrate -> api/worker -> web', () => {
    const deps = Object.fromEntries(
      real.k8s_resources.map((r) => [r.new_name || r.workload, r.resource_deps]),
    );
    expect(deps.migrate).toEqual(['postgres']);
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

  it('notes the k6 smoke script (written by the performance work) when it is not there yet', () => {
    const k6 = real.local_resources.find((r) => r.name === 'k6-smoke');
    expect(k6?.cmd).toBe('k6 run tests/perf/smoke.js');
    expect(k6?.resource_deps).toEqual(['api']);
  });
});

describe('each check fires on a broken Tiltfile', () => {
  it('Starlark subset: an f-string is rejected', () => {
    const ev = broken('fString', false);
    expect(ev.starlark_errors.join('\n')).toMatch(/f-strings/);
  });

  it('evaluation: an unknown keyword argument fails like Tilt does', () => {
    const ev = broken('unknownKwarg', false);
    expect(evaluationErrors(ev).join('\n')).toMatch(/unexpected keyword argument\(s\) resource_dep/);
  });

  it('manifests: deploying another overlay', () => {
    const ev = broken('otherOverlay');
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

  it('resource_deps: a dependency on a resource that does not exist', () => {
    const ev = broken('missingDep');
    expect(resourceDepErrors(ev, deployedObjects(ev)).join('\n')).toMatch(/web: resource_deps names 'apii'/);
  });

  it('resource_deps: a cycle', () => {
    const ev = broken('cycle');
    expect(resourceDepErrors(ev, deployedObjects(ev)).join('\n')).toMatch(/dependency cycle/);
  });

  it('k8s_resource: a workload that is not deployed', () => {
    const ev = broken('unknownWorkload');
    expect(resourceDepErrors(ev, deployedObjects(ev)).join('\n')).toMatch(
      /k8s_resource\('workers'\): no such workload/,
    );
  });

  it('objects: a selector that matches nothing, and an object left uncategorized', () => {
    const ev = broken('badSelector');
    const errors = objectErrors(ev, deployedObjects(ev)).join('\n');
    expect(errors).toMatch(/'osint-cfg:configmap' matches 0 objects/);
    expect(errors).toMatch(/ConfigMap\/osint-config is in no resource/);
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
