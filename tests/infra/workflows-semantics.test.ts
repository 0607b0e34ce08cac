/**
 * What the workflows DO when GitHub runs them, computed from the parsed YAML (support/workflow-semantics.ts
 * evaluates `if:` expressions, the `needs` graph per trigger, concurrency groups and path globs as GitHub
 * documents them): concurrency per workflow, the job graph per trigger (push, tag, manual staging, manual
 * production, rollback), the production condition, the path filters against the files the tests read,
 * the rollback step's environment, `tilt ci`, one dev container image per run, zizmor, one k6 version.
 *
 * Each check is a function returning findings, applied to the workflows (no findings) and to their
 * earlier copies in tests/infra/fixtures/workflows-before/ (the findings each one was written to catch),
 * so every test is shown to fail on the workflows as they were. ADR 0022 explains the design.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluateTiltfile } from './support/tilt-checks.js';
import { repoRoot, workflowsDir } from './support/workflow-checks.js';
import {
  concurrencyOf,
  evaluate,
  filterMatches,
  globToRegExp,
  interpolate,
  pathsTrigger,
  ran,
  runJobs,
  type Trigger,
  unwrap,
} from './support/workflow-semantics.js';

// biome-ignore lint/suspicious/noExplicitAny: workflow YAML
type Json = any;

const beforeDir = path.join(repoRoot, 'tests', 'infra', 'fixtures', 'workflows-before');
const load = (dir: string, name: string): Json | null =>
  existsSync(path.join(dir, name)) ? parse(readFileSync(path.join(dir, name), 'utf8')) : null;
const now = (name: string) => load(workflowsDir, name);
const earlier = (name: string) => load(beforeDir, name);

const SHA = 'a'.repeat(40);
const main = (runId: string, event = 'push') => ({
  event_name: event,
  ref: 'refs/heads/main',
  ref_name: 'main',
  ref_type: 'branch',
  run_id: runId,
  sha: SHA,
  repository: 'acme/osint',
  event: {},
});
const workflowRun = (conclusion = 'success') => ({
  ...main('300', 'workflow_run'),
  event: {
    workflow_run: {
      id: 200,
      conclusion,
      event: 'push',
      head_repository: { full_name: 'acme/osint' },
    },
  },
});
const dispatch = () => main('400', 'workflow_dispatch');

const jobsOf = (doc: Json): Record<string, Json> => doc?.jobs ?? {};
const stepsOf = (job: Json): Json[] => job?.steps ?? [];
const runText = (job: Json): string =>
  [
    ...stepsOf(job).map((s) => `${s.run ?? ''}\n${s.with?.runCmd ?? ''}`),
    JSON.stringify(job?.strategy?.matrix ?? {}),
  ].join('\n');
/** The job whose steps run deploy.sh (or rollback.sh) against an overlay. */
const jobsRunning = (doc: Json, pattern: RegExp): string[] =>
  Object.entries(jobsOf(doc))
    .filter(([, job]) => stepsOf(job).some((s) => pattern.test(s.run ?? '')))
    .map(([id]) => id);
/** Every job `id` depends on, directly or through other jobs. */
function ancestors(doc: Json, id: string, seen = new Set<string>()): Set<string> {
  const needs = jobsOf(doc)[id]?.needs;
  for (const n of needs === undefined ? [] : Array.isArray(needs) ? needs : [needs]) {
    if (!seen.has(n)) {
      seen.add(n);
      ancestors(doc, n, seen);
    }
  }
  return seen;
}

// ---------------------------------------------------------------------------------------------------
// Concurrency: no run, deploy or rollback is dropped.

/**
 * For each trigger that is not a pull request's newer push: a concurrency group that two runs share keeps
 * one pending run (`queue: single`): the third cancels the second. Only `queue: max` (or a group per run)
 * keeps every run; `cancel-in-progress` is for pull requests only.
 */
function droppedRunFindings(doc: Json, triggers: Array<{ github: Json; inputs?: Json }>): string[] {
  const findings = new Set<string>();
  for (const t of triggers) {
    const first = concurrencyOf(doc, { github: { ...t.github, run_id: '1001' }, inputs: t.inputs ?? {} });
    const second = concurrencyOf(doc, { github: { ...t.github, run_id: '1002' }, inputs: t.inputs ?? {} });
    for (const [i, scope] of first.entries()) {
      const shared = second[i]?.group === scope.group;
      if (shared && scope.queue !== 'max')
        findings.add(
          `${scope.scope}: ${t.github.event_name} runs share group ${scope.group} with one pending slot: a third cancels the second`,
        );
      if (scope.cancelInProgress)
        findings.add(`${scope.scope}: ${t.github.event_name} cancels the run in progress (${scope.group})`);
    }
  }
  return [...findings].sort();
}

/** A job that waits for a required reviewer must hold no concurrency group (it would block the group). */
function approvalLockFindings(doc: Json, approvalEnvironments: string[], inputs: Json = {}): string[] {
  const findings: string[] = [];
  for (const [id, job] of Object.entries(jobsOf(doc))) {
    const env = job.environment?.name ?? job.environment;
    if (env === undefined) continue;
    const name = interpolate(String(env), { values: { inputs, github: main('1') } });
    if (!approvalEnvironments.includes(name)) continue;
    const groups = concurrencyOf(doc, { github: main('1', 'workflow_dispatch'), inputs }).filter(
      (c) => c.scope === 'workflow' || c.scope === id,
    );
    for (const g of groups)
      findings.push(`${id}: waits for approval (${name}) while holding ${g.group} (${g.scope} concurrency)`);
  }
  return findings;
}

const MAIN_TRIGGERS: Record<string, Array<{ github: Json; inputs?: Json }>> = {
  'ci.yml': [{ github: main('1') }],
  'security.yml': [{ github: main('1') }, { github: main('1', 'schedule') }],
  'build.yml': [{ github: main('1') }],
  'deploy.yml': [
    { github: workflowRun() },
    { github: dispatch(), inputs: { environment: 'staging' } },
    { github: dispatch(), inputs: { environment: 'production' } },
  ],
  'rollback.yml': [
    { github: dispatch(), inputs: { environment: 'production', 'build-run-id': '1' } },
    { github: dispatch(), inputs: { environment: 'staging' } },
  ],
  'perf.yml': [{ github: main('1', 'schedule') }, { github: dispatch() }],
  'tilt.yml': [{ github: main('1') }, { github: main('1', 'schedule') }],
};

describe('concurrency: every run on main is checked, built, deployed (or superseded), never cancelled', () => {
  it.each(Object.keys(MAIN_TRIGGERS))('%s', (name) => {
    expect(droppedRunFindings(now(name), MAIN_TRIGGERS[name]!)).toEqual([]);
  });

  it('the workflows as they were dropped the middle of three quick merges, deploys and rollbacks', () => {
    const old = Object.fromEntries(
      ['ci.yml', 'security.yml', 'build.yml', 'deploy.yml', 'rollback.yml', 'perf.yml'].map((n) => [
        n,
        droppedRunFindings(earlier(n), MAIN_TRIGGERS[n]!),
      ]),
    );
    expect(old['ci.yml']).toEqual([
      'workflow: push runs share group ci-refs/heads/main with one pending slot: a third cancels the second',
    ]);
    expect(old['build.yml']).toEqual([
      'workflow: push runs share group build-refs/heads/main with one pending slot: a third cancels the second',
    ]);
    expect(old['deploy.yml']).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^staging: workflow_run runs share group deploy-staging with one pending slot/),
        expect.stringMatching(/^production: workflow_run runs share group deploy-production/),
      ]),
    );
    expect(old['rollback.yml']).toContainEqual(
      expect.stringMatching(/^workflow: workflow_dispatch runs share group deploy-production/),
    );
    expect(old['security.yml']).toHaveLength(2);
    expect(old['perf.yml']).toHaveLength(2); // nightly and manual runs share `perf`
  });

  it('`queue` (unknown to actionlint 1.7, tolerated by the checks) is only ever `max`, never with cancel-in-progress', () => {
    const misuse: string[] = [];
    for (const name of Object.keys(MAIN_TRIGGERS)) {
      const doc = now(name);
      const scopes = [
        ['workflow', doc.concurrency],
        ...Object.entries(jobsOf(doc)).map(([id, j]) => [id, j.concurrency]),
      ];
      for (const [scope, c] of scopes) {
        if (c?.queue === undefined) continue;
        if (c.queue !== 'max' || c['cancel-in-progress'] !== false) misuse.push(`${name} ${scope}`);
      }
    }
    expect(misuse).toEqual([]);
  });

  it('a pull request’s newer push still cancels its older CI run', () => {
    for (const name of ['ci.yml', 'security.yml']) {
      const pr = (runId: string) => ({
        github: { ...main(runId, 'pull_request'), event: { pull_request: { number: 7 } } },
      });
      const [a] = concurrencyOf(now(name), pr('1'));
      const [b] = concurrencyOf(now(name), pr('2'));
      expect(a?.group, name).toBe(b?.group);
      expect(a?.cancelInProgress, name).toBe(true);
    }
  });

  it('a production approval holds no lock: neither a deploy nor a rollback waits behind it', () => {
    // docs/ci-cd.md#environments: production-approval is the environment with required reviewers.
    expect(approvalLockFindings(now('deploy.yml'), ['production-approval'])).toEqual([]);
    expect(
      approvalLockFindings(now('rollback.yml'), ['production-approval'], { environment: 'production' }),
    ).toEqual([]);
    // As they were, `production` itself had the required reviewers.
    expect(approvalLockFindings(earlier('deploy.yml'), ['production'])).toEqual([
      'production: waits for approval (production) while holding deploy-production (production concurrency)',
    ]);
    expect(
      approvalLockFindings(earlier('rollback.yml'), ['production'], { environment: 'production' }),
    ).toEqual([
      'redeploy: waits for approval (production) while holding deploy-production (workflow concurrency)',
      'undo: waits for approval (production) while holding deploy-production (workflow concurrency)',
    ]);
  });

  it('rollbacks and deploys of one environment share one FIFO lock (kubectl never runs twice at once)', () => {
    const lock = (doc: Json, inputs: Json, jobs: string[]) =>
      concurrencyOf(doc, { github: main('1', 'workflow_dispatch'), inputs })
        .filter((c) => jobs.includes(c.scope))
        .map((c) => `${c.group}/${c.queue}`);
    const deploy = now('deploy.yml');
    const rollback = now('rollback.yml');
    const kubectlJobs = (doc: Json) => jobsRunning(doc, /scripts\/deploy\/(deploy|rollback)\.sh/);
    for (const env of ['staging', 'production']) {
      const deployJob = kubectlJobs(deploy).filter((id) =>
        runText(jobsOf(deploy)[id]).includes(env === 'staging' ? 'overlays/staging' : 'overlays/prod'),
      );
      expect(lock(deploy, {}, deployJob)).toEqual([`deploy-${env}/max`]);
      expect(lock(rollback, { environment: env }, kubectlJobs(rollback))).toEqual([
        `deploy-${env}/max`,
        `deploy-${env}/max`,
      ]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// deploy.yml: the job graph per trigger.

const PROD = /deploy\.sh k8s\/overlays\/prod/;
const STAGING = /deploy\.sh k8s\/overlays\/staging/;

function deployGraphFindings(doc: Json): string[] {
  const findings: string[] = [];
  const [prod] = jobsRunning(doc, PROD);
  const [staging] = jobsRunning(doc, STAGING);
  if (!prod || !staging) return ['no staging or production job'];
  if (!ancestors(doc, prod).has(staging)) findings.push(`${prod} does not need ${staging}`);
  const cases: Array<[string, Trigger, boolean, boolean]> = [
    // name, trigger, staging runs, production runs
    ['build of main', { github: workflowRun() }, true, true],
    ['failed build of main', { github: workflowRun('failure') }, false, false],
    ['manual staging deploy', { github: dispatch(), inputs: { environment: 'staging' } }, true, false],
    ['manual production deploy', { github: dispatch(), inputs: { environment: 'production' } }, true, true],
    [
      'staging failed',
      { github: workflowRun(), results: { [staging]: 'failure' } },
      true, // it ran, and failed
      false,
    ],
    ['run cancelled after staging', { github: workflowRun(), cancelledAfter: [staging] }, true, false],
    [
      'release superseded by a newer build',
      { github: workflowRun(), outputs: { release: { 'superseded-by': 'f'.repeat(40) } } },
      false,
      false,
    ],
  ];
  for (const [name, trigger, stagingRuns, prodRuns] of cases) {
    const result = runJobs(doc, trigger);
    const did = ran(result);
    if (did.includes(staging) !== stagingRuns)
      findings.push(
        `${name}: staging ${stagingRuns ? 'does not run' : 'runs'} (${staging}: ${result[staging]})`,
      );
    if (did.includes(prod) !== prodRuns)
      findings.push(`${name}: production ${prodRuns ? 'does not run' : 'runs'} (${prod}: ${result[prod]})`);
  }
  return findings;
}

describe('deploy.yml: production only after staging, for every trigger', () => {
  it('push (build of main), manual staging, manual production, failure, cancellation, superseded', () => {
    expect(deployGraphFindings(now('deploy.yml'))).toEqual([]);
  });

  it('as it was: a manual production deploy skipped staging, a manual staging deploy queued production, always() survived cancellation, nothing was ever superseded', () => {
    expect(deployGraphFindings(earlier('deploy.yml'))).toEqual([
      'manual staging deploy: production runs (production: success)',
      'manual production deploy: staging does not run (staging: skipped)',
      'run cancelled after staging: production runs (production: success)',
      'release superseded by a newer build: staging runs (staging: success)',
      'release superseded by a newer build: production runs (production: success)',
    ]);
  });

  it('the production condition: !cancelled(), never always(), and the approval of this run', () => {
    const deploy = now('deploy.yml');
    const [prod] = jobsRunning(deploy, PROD);
    const condition = String(jobsOf(deploy)[prod!].if);
    expect(condition).toMatch(/!cancelled\(\)/);
    expect(condition).not.toMatch(/always\(\)/);
    expect(String(jobsOf(earlier('deploy.yml')).production.if)).toMatch(/always\(\)/);
    // The approval job is the production job's own need, and only it waits for reviewers.
    expect(jobsOf(deploy)[prod!].needs).toContain('approve-production');
    expect(jobsOf(deploy)['approve-production'].environment).toBe('production-approval');
  });

  it('after approval, production deploys only the release staging runs now, else says which one that is', () => {
    const deploy = now('deploy.yml');
    const [prod] = jobsRunning(deploy, PROD);
    const steps = stepsOf(jobsOf(deploy)[prod!]);
    const check = steps.find((s) => /mark-staging\.sh --check/.test(s.run ?? ''));
    expect(check?.id).toBe('current');
    const deployStep = steps.find((s) => PROD.test(s.run ?? ''));
    expect(deployStep.if).toBe("steps.current.outputs.current == 'true'");
    for (const current of ['true', 'false']) {
      expect(
        evaluate(deployStep.if, { values: { steps: { current: { outputs: { current } } } } }),
        current,
      ).toBe(current === 'true');
    }
  });

  it('a superseded release leaves a line in the run summary naming the newer release', () => {
    const intent = stepsOf(jobsOf(now('deploy.yml')).release).find((s) => s.id === 'intent');
    // scripts/deploy/superseded.sh writes the summary line (tests/infra/deploy.test.ts runs it).
    expect(intent.run).toBe('bash scripts/deploy/superseded.sh "$SHA" | tee -a "$GITHUB_OUTPUT"');
    expect(jobsOf(earlier('deploy.yml')).release.outputs['superseded-by']).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------
// build.yml: a tag promotes, it does not rebuild.

function tagFindings(doc: Json): string[] {
  const tag = {
    ...main('1'),
    ref: 'refs/tags/v1.2.3',
    ref_name: 'v1.2.3',
    ref_type: 'tag',
  };
  const did = ran(runJobs(doc, { github: tag }));
  const findings: string[] = [];
  for (const id of did) {
    if (stepsOf(jobsOf(doc)[id]).some((s) => /docker\/build-push-action@/.test(s.uses ?? '')))
      findings.push(`a v* tag rebuilds the images (job ${id})`);
  }
  const text = did.map((id) => runText(jobsOf(doc)[id])).join('\n');
  if (!/imagetools create --tag/.test(text)) findings.push('a v* tag does not re-tag the digests main built');
  if (!/cosign sign --yes -a "tag=\$TAG"/.test(text)) findings.push('a v* tag does not re-sign the digests');
  if (!/cosign verify .* -a environment=staging/.test(text))
    findings.push('a v* tag does not check that staging ran the digests');
  if (!/gh release upload "\$TAG" release\/release\.json/.test(text))
    findings.push('a v* tag keeps release.json only as a 90-day artifact');
  return findings;
}

describe('build.yml: releases promote what main built and staging ran', () => {
  it('a v* tag re-tags and re-signs the digests, checks staging ran them, attaches release.json to the release', () => {
    expect(tagFindings(now('build.yml'))).toEqual([]);
    // Pushes to main still build.
    expect(ran(runJobs(now('build.yml'), { github: main('1') }))).toEqual(['images']);
  });

  it('as it was: a tag rebuilt the images (a new index digest no staging run saw)', () => {
    expect(tagFindings(earlier('build.yml'))).toEqual([
      'a v* tag rebuilds the images (job images)',
      'a v* tag does not re-tag the digests main built',
      'a v* tag does not re-sign the digests',
      'a v* tag does not check that staging ran the digests',
      'a v* tag keeps release.json only as a 90-day artifact',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
// rollback.yml: the graph per input, and the redeploy step's environment.

function rollbackFindings(doc: Json): string[] {
  const findings: string[] = [];
  const deployEnv = stepsOf(jobsOf(now('deploy.yml')).staging).find((s) => STAGING.test(s.run ?? '')).env;
  for (const [id, job] of Object.entries(jobsOf(doc))) {
    for (const step of stepsOf(job)) {
      if (!/scripts\/deploy\/deploy\.sh/.test(step.run ?? '')) continue;
      for (const key of Object.keys(deployEnv).filter((k) => k !== 'API_IMAGE' && k !== 'WEB_IMAGE'))
        if (!(key in (step.env ?? {})))
          findings.push(`${id}: deploy.sh runs without ${key} (deploy.yml passes it)`);
    }
  }
  const cases: Array<[string, Json, string[]]> = [
    [
      'production, earlier build',
      { environment: 'production', 'build-run-id': '123' },
      ['redeploy', 'release'],
    ],
    ['production, undo', { environment: 'production' }, ['undo']],
    ['staging, undo', { environment: 'staging' }, ['undo']],
  ];
  for (const [name, inputs, expected] of cases) {
    const did = ran(runJobs(doc, { github: dispatch(), inputs })).filter((j) => !/approve/.test(j));
    if (JSON.stringify(did) !== JSON.stringify(expected)) findings.push(`${name}: runs ${did.join(', ')}`);
  }
  return findings;
}

describe('rollback.yml', () => {
  it('redeploys with the environment deploy.yml gives deploy.sh (BACKUP_IMAGE), or undoes; per input', () => {
    expect(rollbackFindings(now('rollback.yml'))).toEqual([]);
  });

  it('as it was: the redeploy path ran deploy.sh without BACKUP_IMAGE (the overlays refuse to render)', () => {
    expect(rollbackFindings(earlier('rollback.yml'))).toEqual([
      'redeploy: deploy.sh runs without BACKUP_IMAGE (deploy.yml passes it)',
    ]);
  });

  it('production rollbacks are approved in their own job, outside the lock', () => {
    const rollback = now('rollback.yml');
    const did = runJobs(rollback, { github: dispatch(), inputs: { environment: 'production' } });
    expect(did.approve).toBe('success');
    expect(jobsOf(rollback).approve.environment).toBe('production-approval');
    expect(jobsOf(rollback).approve.concurrency).toBeUndefined();
    // A staging rollback needs no approval.
    expect(runJobs(rollback, { github: dispatch(), inputs: { environment: 'staging' } }).approve).toBe(
      'skipped',
    );
  });

  it('a tagged release can be redeployed from the release.json attached to its GitHub release', () => {
    const rollback = now('rollback.yml');
    const did = ran(
      runJobs(rollback, { github: dispatch(), inputs: { environment: 'staging', 'release-tag': 'v1.2.3' } }),
    );
    expect(did).toEqual(['redeploy', 'release']);
    expect(runText(jobsOf(rollback).release)).toMatch(/gh release download "\$TAG" --pattern release\.json/);
    expect(earlier('rollback.yml').on.workflow_dispatch.inputs['release-tag']).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------
// ci.yml: path filters against the files the tests read.

const gitFiles = execFileSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

const packageScripts = Object.fromEntries(
  Object.entries(
    JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts as Record<string, string>,
  ).filter(([name]) => name === 'test' || name === 'test:process'),
);

/** The vitest projects' include globs (vitest.config.ts). */
const vitestConfig = (await import('../../vitest.config.js')).default as Json;
const PROJECTS: Record<string, string[]> = Object.fromEntries(
  vitestConfig.test.projects.map((p: Json) => [p.test.name, p.test.include]),
);

/** Entry files of the tests a job's commands run. */
function testEntries(commands: string): string[] {
  const projects = new Set<string>();
  if (/npm run test:coverage|vitest run(?![^\n"]*--project)/.test(commands))
    for (const p of Object.keys(PROJECTS)) projects.add(p);
  // package.json's scripts: `npm test` names its projects, `npm run test:process` the process-level one.
  for (const [script, command] of Object.entries(packageScripts))
    if (new RegExp(script === 'test' ? '\\bnpm test\\b' : `npm run ${script}\\b`).test(commands))
      for (const m of command.matchAll(/--project (\w+)/g)) projects.add(m[1]!);
  for (const m of commands.matchAll(/--project (\w+)/g)) projects.add(m[1]!);
  const entries = [...projects].flatMap((p) =>
    gitFiles.filter((f) => PROJECTS[p]!.some((g) => globToRegExp(g).test(f))),
  );
  if (/npm run test:stack/.test(commands)) entries.push('scripts/stack/test-stack.ts');
  if (/npm run test:e2e/.test(commands)) entries.push('scripts/e2e/run.ts');
  return entries;
}

/** The entry files and every test-support module they import (relative imports under tests/ and scripts/). */
function withImports(entries: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = path.posix.normalize(
        path.posix.join(path.posix.dirname(file), m[1]!.replace(/\.js$/, '.ts')),
      );
      if (/^(tests|scripts)\//.test(target) && gitFiles.includes(target)) queue.push(target);
    }
  }
  return [...seen];
}

/** Files under docs/ (and other Markdown paths) a source names as something to read, comments aside. */
function docsRead(file: string): string[] {
  const code = readFileSync(path.join(repoRoot, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
  const refs = new Set<string>();
  // A string literal that IS a docs path ('docs/iac.md'), or a regular expression anchored on one
  // (/^docs\/runbooks\//); a path inside a message ("see docs/x.md") is not a read.
  for (const m of code.matchAll(/(?<=['"`^])docs(?:\/|\\\/)([\w./\\-]+)/g))
    refs.add(`docs/${m[1]!.replace(/\\\//g, '/')}`);
  for (const m of code.matchAll(/['"]docs['"]((?:\s*,\s*['"][\w.-]+['"])+)/g))
    refs.add(['docs', ...[...m[1]!.matchAll(/['"]([\w.-]+)['"]/g)].map((x) => x[1])].join('/'));
  for (const m of code.matchAll(/['"]([\w.-]+(?:\/[\w.-]+)+\.md)['"]/g)) refs.add(m[1]!);
  return gitFiles.filter((f) =>
    [...refs].some((r) => f === r || (r.endsWith('/') ? f.startsWith(r) : f.startsWith(`${r}/`))),
  );
}

/** dorny/paths-filter filters of the `changes` job: name → (changed file → set?). */
function changeFilters(doc: Json): Array<[string, (file: string) => boolean]> {
  const out: Array<[string, (file: string) => boolean]> = [];
  for (const step of stepsOf(jobsOf(doc).changes)) {
    if (!/^dorny\/paths-filter@/.test(step.uses ?? '')) continue;
    const spec = String(step.with.filters);
    const filters = parse(
      /^[\w./-]+\.ya?ml$/.test(spec.trim()) ? readFileSync(path.join(repoRoot, spec.trim()), 'utf8') : spec,
    );
    const quantifier = step.with['predicate-quantifier'] === 'every' ? 'every' : 'some';
    for (const [name, patterns] of Object.entries(filters as Record<string, string[]>))
      out.push([name, (f) => filterMatches(f, patterns, quantifier)]);
  }
  return out;
}

/** For each job that runs tests: a pull request changing only a file those tests read must run the job. */
function pathFilterFindings(doc: Json): string[] {
  const filters = changeFilters(doc);
  const findings: string[] = [];
  for (const [id, job] of Object.entries(jobsOf(doc))) {
    const read = new Set(withImports(testEntries(runText(job))).flatMap(docsRead));
    const skipped: string[] = [];
    for (const file of [...read].sort()) {
      const outputs = Object.fromEntries(filters.map(([name, matches]) => [name, String(matches(file))]));
      const result = runJobs(doc, {
        github: { ...main('1', 'pull_request'), event: { pull_request: { number: 7 } } },
        outputs: { changes: outputs },
      });
      if (result[id] !== 'success') skipped.push(file);
    }
    if (skipped.length > 0)
      findings.push(
        `${id}: its tests read ${skipped.length} files a pull request can change without running it (${skipped.slice(0, 3).join(', ')}…)`,
      );
  }
  return findings;
}

describe('ci.yml: path filters cover every file the tests read', () => {
  it('no job is skipped by a pull request that changes only a file its tests read', () => {
    expect(pathFilterFindings(now('ci.yml'))).toEqual([]);
  });

  it('the filter is one file, .github/path-filters.yml, which the workflow and this test both read', () => {
    const step = stepsOf(jobsOf(now('ci.yml')).changes).find((s) =>
      /^dorny\/paths-filter@/.test(s.uses ?? ''),
    );
    expect(step.with.filters).toBe('.github/path-filters.yml');
  });

  it('as it was: a runbook-only pull request skipped infra (docs/*.md misses docs/runbooks/**), and test:coverage ran the infra suite on code changes only', () => {
    const findings = pathFilterFindings(earlier('ci.yml'));
    expect(findings).toEqual([
      expect.stringMatching(/^checks: its tests read \d+ files a pull request can change without running it/),
      expect.stringMatching(/^infra: its tests read \d+ files .*docs\/runbooks\//),
    ]);
  });

  it('the scan sees what the infra suite reads (a regression guard for the scan itself)', () => {
    const read = new Set(withImports(testEntries('npx vitest run --project infra')).flatMap(docsRead));
    for (const f of ['docs/iac.md', 'docs/conventions.md', 'docs/runbooks/restore.md'])
      expect(read).toContain(f);
  });
});

// ---------------------------------------------------------------------------------------------------
// ci.yml: one dev container image per run; Node 20.

function devcontainerFindings(doc: Json): string[] {
  const findings: string[] = [];
  const builders = Object.entries(jobsOf(doc)).filter(([, job]) =>
    stepsOf(job).some((s) => /^devcontainers\/ci@/.test(s.uses ?? '')),
  );
  if (builders.length !== 1)
    findings.push(
      `${builders.length} jobs build the dev container (${builders.map(([id]) => id).join(', ')})`,
    );
  for (const [id, job] of builders) {
    const step = stepsOf(job).find((s) => /^devcontainers\/ci@/.test(s.uses ?? ''));
    if (step.with?.configFile !== '.devcontainer/ci/devcontainer.json')
      findings.push(
        `${id}: builds ${step.with?.configFile ?? '.devcontainer/devcontainer.json'}, not the unprivileged CI configuration`,
      );
  }
  for (const [id, job] of Object.entries(jobsOf(doc))) {
    const text = runText(job);
    if (/in-devcontainer\.sh/.test(text) && !stepsOf(job).some((s) => /docker load -i/.test(s.run ?? '')))
      findings.push(`${id}: runs in the image without loading the run's artifact`);
  }
  const node20 = Object.entries(jobsOf(doc)).filter(([, job]) =>
    stepsOf(job).some(
      (s) => /^actions\/setup-node@/.test(s.uses ?? '') && String(s.with?.['node-version']) === '20',
    ),
  );
  if (!node20.some(([, job]) => stepsOf(job).some((s) => s.run === 'npm test')))
    findings.push('no job runs `npm test` on Node 20');
  return findings;
}

describe('ci.yml: the dev container image is built once per run', () => {
  it('one job builds it (unprivileged CI configuration); the others load its artifact; npm test on Node 20', () => {
    expect(devcontainerFindings(now('ci.yml'))).toEqual([]);
    const build = stepsOf(jobsOf(now('ci.yml')).devcontainer).find((s) =>
      /^devcontainers\/ci@/.test(s.uses ?? ''),
    );
    expect(build.with).toMatchObject({
      push: 'filter',
      refFilterForPush: 'refs/heads/main',
      eventFilterForPush: 'push',
    });
    expect(build.with.cacheFrom).toBe(`${build.with.imageName}:${build.with.imageTag}`);
    expect(build.with.runCmd).toBeUndefined(); // build only: nothing installed, nothing started
  });

  it('as it was: every check job rebuilt it, from the privileged configuration', () => {
    expect(devcontainerFindings(earlier('ci.yml'))).toEqual([
      '3 jobs build the dev container (devcontainer, checks, infra)',
      'devcontainer: builds .devcontainer/devcontainer.json, not the unprivileged CI configuration',
      'checks: builds .devcontainer/devcontainer.json, not the unprivileged CI configuration',
      'infra: builds .devcontainer/devcontainer.json, not the unprivileged CI configuration',
      'no job runs `npm test` on Node 20',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
// tilt.yml: `tilt ci` on every change to what the Tiltfile builds and deploys.

/** Every repository file the Tiltfile's images, manifests and local resources are built from. */
function tiltInputs(): string[] {
  const ev = evaluateTiltfile();
  const roots = new Set<string>(['Tiltfile', '.devcontainer/tool-versions.env']);
  for (const b of ev.docker_builds) {
    const context = path.relative(repoRoot, path.resolve(repoRoot, b.context));
    for (const entry of b.only) roots.add(path.posix.join(context, entry));
    roots.add(path.posix.join(context, b.dockerfile));
    roots.add(path.posix.join(context, '.dockerignore')); // the build context's filter
  }
  // The scripts the local resources and buttons run (`node scripts/dev/tilt-smoke.mjs`, which tilt ci runs).
  const commands = [...ev.local_resources.map((r) => r.cmd), ...ev.buttons.map((b) => b.argv.join(' '))];
  for (const word of commands.flatMap((c) => c.split(/\s+/))) if (gitFiles.includes(word)) roots.add(word);
  for (const source of ev.k8s_yaml.map((y) => y.source)) {
    if (source.startsWith('kustomize:')) roots.add('k8s'); // an overlay renders base/ and components/ too
  }
  for (const r of ev.local_resources) for (const d of r.deps) roots.add(d);
  return gitFiles.filter((f) => [...roots].some((r) => f === r || f.startsWith(`${r.replace(/\/$/, '')}/`)));
}

function tiltFindings(doc: Json | null): string[] {
  if (!doc) return ['no workflow runs `tilt ci`'];
  const findings: string[] = [];
  const text = Object.values(jobsOf(doc)).map(runText).join('\n');
  if (!/\btilt ci\b/.test(text)) findings.push('tilt.yml does not run `tilt ci`');
  if (!/\.devcontainer\/scripts\/post-create\.sh/.test(text))
    findings.push('the cluster is not the ctlptl one');
  for (const event of ['pull_request', 'push']) {
    const paths: string[] = doc.on?.[event]?.paths ?? [];
    const missed = tiltInputs().filter((f) => !pathsTrigger(f, paths));
    if (missed.length > 0)
      findings.push(
        `${event}: ${missed.length} Tiltfile inputs do not trigger it (${missed.slice(0, 5).join(', ')})`,
      );
  }
  if (!doc.on?.schedule) findings.push('not nightly');
  return findings;
}

describe('tilt.yml', () => {
  it('runs `tilt ci` nightly and on every change to a file the Tiltfile’s images and manifests come from', () => {
    expect(tiltFindings(now('tilt.yml'))).toEqual([]);
  });

  it('the path check fires when an input is left out', () => {
    const doc = now('tilt.yml');
    doc.on.push.paths = doc.on.push.paths.filter((p: string) => p !== 'scripts/dev/**');
    expect(tiltFindings(doc)).toEqual([
      expect.stringMatching(/^push: \d+ Tiltfile inputs do not trigger it \(scripts\/dev\//),
    ]);
  });

  it('as it was: nothing ran the Tiltfile', () => {
    expect(tiltFindings(earlier('tilt.yml'))).toEqual(['no workflow runs `tilt ci`']);
  });

  it('installs the tools of .devcontainer/tool-versions.env with their checksums, and uploads Tilt’s state and the pods’ logs on failure', () => {
    const job = jobsOf(now('tilt.yml'))['tilt-ci'];
    expect(runText(job)).toMatch(/install-tools\.sh \.devcontainer\/tool-versions\.env/);
    expect(runText(job)).toMatch(/--output-snapshot-on-exit/);
    const upload = stepsOf(job).find((s) => /^actions\/upload-artifact@/.test(s.uses ?? ''));
    expect(upload.if).toBe('failure()');
  });
});

// ---------------------------------------------------------------------------------------------------
// security.yml: zizmor gates. perf.yml: one k6 version, thresholds only with a baseline.

function zizmorFindings(doc: Json): string[] {
  const step = Object.values(jobsOf(doc))
    .flatMap(stepsOf)
    .find((s) => /^zizmorcore\/zizmor-action@/.test(s.uses ?? ''));
  const findings: string[] = [];
  if (String(step?.with?.['advanced-security'] ?? 'true') !== 'false')
    findings.push('advanced-security is on: the action uploads SARIF and never fails the job');
  if (!step?.with?.['min-severity']) findings.push('no minimum severity stated');
  return findings;
}

function k6VersionFindings(doc: Json): string[] {
  const devcontainer = /^K6_VERSION=(.+)$/m.exec(
    readFileSync(path.join(repoRoot, '.devcontainer', 'tool-versions.env'), 'utf8'),
  )![1]!;
  const findings: string[] = [];
  for (const [id, job] of Object.entries(jobsOf(doc))) {
    const setup = stepsOf(job).find((s) => /^grafana\/setup-k6-action@/.test(s.uses ?? ''));
    if (!setup) continue;
    const version = String(setup.with?.['k6-version'] ?? '');
    const derived = /steps\.\w+\.outputs\.k6/.test(version) && runText(job).includes('K6_VERSION=');
    if (!derived && version !== devcontainer)
      findings.push(`${id}: k6 ${version || 'latest'} while the dev container has ${devcontainer}`);
  }
  return findings;
}

describe('security.yml: zizmor fails the job at a stated severity', () => {
  it('advanced-security off, min-severity medium', () => {
    expect(zizmorFindings(now('security.yml'))).toEqual([]);
  });
  it('as it was: SARIF only, never a failure', () => {
    expect(zizmorFindings(earlier('security.yml'))).toEqual([
      'advanced-security is on: the action uploads SARIF and never fails the job',
      'no minimum severity stated',
    ]);
  });
});

describe('perf.yml: one k6 version; record mode; thresholds only with a committed baseline', () => {
  it('k6 comes from .devcontainer/tool-versions.env', () => {
    expect(k6VersionFindings(now('perf.yml'))).toEqual([]);
    expect(k6VersionFindings(earlier('perf.yml'))).toEqual([
      expect.stringMatching(/^k6: k6 1\.0\.0 while the dev container has \d+\.\d+\.\d+$/),
    ]);
  });

  it('record is a manual mode that uploads the proposed baselines; compare runs nightly', () => {
    const perf = now('perf.yml');
    expect(perf.on.workflow_dispatch.inputs.mode.options).toEqual(['compare', 'record']);
    const steps = stepsOf(jobsOf(perf).k6);
    const proposal = steps.find((s) => s.with?.name === 'perf-baseline-proposal');
    expect(proposal.if).toBe("env.MODE == 'record'");
    expect(runText(jobsOf(perf).k6)).toMatch(/tests\/perf\/run-scenarios\.sh "\$MODE"/);
    expect(unwrap(jobsOf(perf).k6.env.MODE)).toBe("inputs.mode || 'compare'");
    // As it was: no record mode, every scenario ran with its thresholds against provisional baselines.
    expect(earlier('perf.yml').on.workflow_dispatch.inputs.mode).toBeUndefined();
  });
});
