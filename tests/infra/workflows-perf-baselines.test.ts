/**
 * Proof for scripts/perf/compare-baselines.mjs, the gate perf.yml applies to the k6 summaries: fixture
 * summaries in the shape k6 hands to handleSummary (and --summary-export's flat shape) against baselines,
 * within tolerance → exit 0, regression → exit 1 with a table that shows the ratio, bad input → exit 2.
 * The contract it implements is docs/ci-cd.md#performance-baselines. Then tests/perf/run-scenarios.sh,
 * which perf.yml runs, against a stub k6 (thresholds only where a baseline is committed; record mode), and
 * the committed baselines themselves (recorded by perf.yml, nothing else).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './support/workflow-checks.js';

const SCRIPT = path.join(repoRoot, 'scripts', 'perf', 'compare-baselines.mjs');

interface Numbers {
  p95?: number;
  med?: number;
  rate?: number;
  failed?: number;
  checks?: number;
}

/** A summary as k6 passes it to handleSummary(data) (trimmed to what matters). */
function summary({ p95 = 120, med = 45, rate = 80, failed = 0.002, checks = 0.999 }: Numbers = {}) {
  return {
    root_group: { name: '', path: '', groups: [], checks: [] },
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'] },
    state: { isStdOutTTY: false, testRunDurationMs: 60_000 },
    metrics: {
      http_req_duration: {
        type: 'trend',
        contains: 'time',
        values: { avg: med * 1.2, min: 3, med, max: p95 * 2, 'p(90)': p95 * 0.9, 'p(95)': p95 },
        thresholds: { 'p(95)<500': { ok: true } },
      },
      http_reqs: { type: 'counter', contains: 'default', values: { count: rate * 60, rate } },
      iterations: { type: 'counter', contains: 'default', values: { count: rate * 30, rate: rate / 2 } },
      http_req_failed: {
        type: 'rate',
        contains: 'default',
        values: { rate: failed, passes: 10, fails: 4790 },
      },
      checks: { type: 'rate', contains: 'default', values: { rate: checks, passes: 4799, fails: 1 } },
      vus: { type: 'gauge', contains: 'default', values: { value: 10, min: 10, max: 10 } },
      data_received: { type: 'counter', contains: 'data', values: { count: 1e6, rate: 16_000 } },
    },
  };
}

let dir: string;
let results: string;
let baselines: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'osint-perf-'));
  results = path.join(dir, 'results');
  baselines = path.join(dir, 'baselines');
  mkdirSync(results);
  mkdirSync(baselines);
});

const put = (where: string, name: string, data: unknown) =>
  writeFileSync(path.join(where, `${name}.json`), typeof data === 'string' ? data : JSON.stringify(data));

function compare(args: string[] = [], env: NodeJS.ProcessEnv = {}, cwd = repoRoot) {
  const out = spawnSync(process.execPath, [SCRIPT, '--results', results, '--baselines', baselines, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** The table row of a metric (whitespace-collapsed). */
const row = (stdout: string, metric: string) =>
  stdout
    .split('\n')
    .find((l) => l.split(/\s+/)[1] === metric)
    ?.replace(/\s+/g, ' ');

describe('compare-baselines.mjs', () => {
  it('within tolerance: exit 0 and a table of every comparison', () => {
    put(baselines, 'browse', summary());
    put(results, 'browse', summary({ p95: 138, rate: 70, failed: 0.01, checks: 0.99 }));
    const out = compare();
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^scenario\s+metric\s+stat\s+baseline\s+current\s+ratio\s+allowed\s+result$/m);
    expect(row(out.stdout, 'http_req_duration')).toBe(
      'browse http_req_duration p(95) 120.0 138.0 1.150 ≤ 144.0 (+20%) ok',
    );
    expect(row(out.stdout, 'http_reqs')).toBe('browse http_reqs rate 80.00 70.00 0.875 ≥ 64.00 (-20%) ok');
    expect(out.stdout).toMatch(/perf: 5 comparisons within tolerance/);
  });

  it('p95 latency beyond +20 %: exit 1, the row says REGRESSION with the ratio', () => {
    put(baselines, 'browse', summary());
    put(results, 'browse', summary({ p95: 156 }));
    const out = compare();
    expect(out.code).toBe(1);
    expect(row(out.stdout, 'http_req_duration')).toBe(
      'browse http_req_duration p(95) 120.0 156.0 1.300 ≤ 144.0 (+20%) REGRESSION',
    );
    expect(out.stdout).toMatch(/perf: 1 of 5 comparisons regressed/);
  });

  it('throughput down more than 20 %, or error rate up more than 0.01: regression', () => {
    put(baselines, 'browse', summary());
    put(results, 'browse', summary({ rate: 60, failed: 0.015 }));
    const out = compare();
    expect(out.code).toBe(1);
    expect(row(out.stdout, 'http_reqs')).toMatch(/0\.750 .* REGRESSION$/);
    expect(row(out.stdout, 'http_req_failed')).toMatch(/≤ 0\.0120 \(\+0\.01\) REGRESSION$/);
    expect(row(out.stdout, 'checks')).toMatch(/ok$/);
  });

  it('--tolerance widens the relative allowance', () => {
    put(baselines, 'browse', summary());
    put(results, 'browse', summary({ p95: 156 }));
    expect(compare(['--tolerance', '0.5']).code).toBe(0);
  });

  it('ignores a relative jump below --min-delta-ms (2 ms → 4 ms is noise, not a regression)', () => {
    put(baselines, 'fast', summary({ p95: 2 }));
    put(results, 'fast', summary({ p95: 4 }));
    expect(compare().code).toBe(0);
    expect(compare(['--min-delta-ms', '1']).code).toBe(1);
  });

  it('a threshold the run failed is a regression even within tolerance', () => {
    put(baselines, 'browse', summary());
    const current = summary();
    current.metrics.http_req_duration.thresholds = { 'p(95)<500': { ok: false } };
    put(results, 'browse', current);
    const out = compare();
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/browse\s+http_req_duration\s+threshold p\(95\)<500\s.*REGRESSION/);
  });

  it('a baseline whose scenario produced no summary: MISSING, exit 1', () => {
    put(baselines, 'browse', summary());
    put(baselines, 'ingest', summary());
    put(results, 'browse', summary());
    const out = compare();
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/ingest\s+\(scenario\)\s+summary.*MISSING/);
  });

  it('a scenario without a baseline is reported and skipped, or fails with --require-baselines', () => {
    put(results, 'new-scenario', summary());
    const lenient = compare();
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/note: new-scenario: no baseline \(.*new-scenario\.json\), not compared/);
    expect(compare(['--require-baselines']).code).toBe(1);
  });

  it('reads --summary-export’s flat shape too', () => {
    const flat = (p95: number) => ({
      metrics: {
        http_req_duration: { avg: 50, min: 3, med: 40, max: 400, 'p(90)': 100, 'p(95)': p95 },
        http_reqs: { count: 4800, rate: 80 },
        http_req_failed: { passes: 10, fails: 4790, value: 0.002 },
      },
    });
    put(baselines, 'browse', flat(120));
    put(results, 'browse', flat(200));
    const out = compare();
    expect(out.code).toBe(1);
    expect(row(out.stdout, 'http_req_duration')).toMatch(/1\.667 .* REGRESSION$/);
    expect(row(out.stdout, 'http_req_failed')).toMatch(/ok$/);
  });

  it('writes the table as markdown to $GITHUB_STEP_SUMMARY', () => {
    put(baselines, 'browse', summary());
    put(results, 'browse', summary({ p95: 156 }));
    const file = path.join(dir, 'summary.md');
    compare([], { GITHUB_STEP_SUMMARY: file });
    const md = readFileSync(file, 'utf8');
    expect(md).toMatch(/^### perf: 1 of 5 comparisons regressed/);
    expect(md).toMatch(
      /\| browse \| http_req_duration \| p\(95\) \| 120\.0 \| 156\.0 \| 1\.300 \| ≤ 144\.0 \(\+20%\) \| REGRESSION \|/,
    );
  });

  it('defaults to tests/perf/baselines relative to where it runs', () => {
    const cwd = path.join(dir, 'checkout');
    mkdirSync(path.join(cwd, 'tests', 'perf', 'baselines'), { recursive: true });
    put(path.join(cwd, 'tests', 'perf', 'baselines'), 'browse', summary());
    put(results, 'browse', summary({ p95: 156 }));
    const out = spawnSync(process.execPath, [SCRIPT, '--results', results], { cwd, encoding: 'utf8' });
    expect(out.status).toBe(1);
  });

  it.each([
    ['no --results', ['--baselines', 'x'], /--results <dir> is required/],
    ['a negative tolerance', ['--tolerance=-1'], /tolerance must be a non-negative number/],
    ['an unknown option', ['--tolerence', '0.2'], /Unknown option/],
  ])('bad usage (%s): exit 2', (_what, args, message) => {
    const out = spawnSync(
      process.execPath,
      [SCRIPT, ...(args[0] === '--baselines' ? args : ['--results', results, ...args])],
      {
        encoding: 'utf8',
      },
    );
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('an unreadable summary: exit 2 naming the file', () => {
    put(baselines, 'browse', summary());
    put(results, 'browse', '{ not json');
    const out = compare();
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/browse\.json/);
  });
});

describe('tests/perf/run-scenarios.sh (with a stub k6 on PATH)', () => {
  const RUNNER = path.join(repoRoot, 'tests', 'perf', 'run-scenarios.sh');
  const SCENARIOS = readdirSync(path.join(repoRoot, 'tests', 'perf'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();

  /** A k6 that logs its arguments and writes a summary to SUMMARY_JSON (exit $STUB_K6_EXIT, default 0). */
  function stubK6(): NodeJS.ProcessEnv {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, 'k6'),
      [
        '#!/usr/bin/env bash',
        'if [[ "$1" == version ]]; then echo "k6 v9.9.9 (stub)"; exit 0; fi',
        `echo "$*" >>"${dir}/k6.log"`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
        'for a in "$@"; do [[ "$a" == SUMMARY_JSON=* ]] && printf \'{"metrics":{}}\' >"${a#SUMMARY_JSON=}"; done',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
        'exit "${STUB_K6_EXIT:-0}"',
        '',
      ].join('\n'),
    );
    chmodSync(path.join(bin, 'k6'), 0o755);
    return { PATH: `${bin}:${process.env.PATH}`, BASELINES: baselines, GITHUB_SHA: 'c'.repeat(40) };
  }
  const k6Calls = () => readFileSync(path.join(dir, 'k6.log'), 'utf8').trim().split('\n');
  const runner = (mode: string, env: NodeJS.ProcessEnv) =>
    spawnSync('bash', [RUNNER, mode, 'http://127.0.0.1:8080', results], { encoding: 'utf8', env });

  it('compare: thresholds only for a scenario whose baseline is committed; the others are measured, not gated', () => {
    const env = stubK6();
    put(baselines, 'smoke', summary());
    const out = runner('compare', env);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const calls = k6Calls();
    expect(calls).toHaveLength(SCENARIOS.length);
    for (const name of SCENARIOS) {
      const call = calls.find((c) => c.endsWith(`tests/perf/${name}.js`))!;
      expect(call).toContain(`-e BASE_URL=http://127.0.0.1:8080 -e SUMMARY_JSON=${results}/${name}.json`);
      expect(call.includes('--no-thresholds'), name).toBe(name !== 'smoke');
    }
    expect(out.stdout).toMatch(/perf: load has no baseline .*: measured, not gated/);
    expect(out.stdout).not.toMatch(/perf: smoke has no baseline/);
  });

  it('compare: a crossed threshold (k6 exits non-zero) fails the run', () => {
    put(baselines, 'smoke', summary());
    expect(runner('compare', { ...stubK6(), STUB_K6_EXIT: '99' }).status).toBe(1);
  });

  it('record: no thresholds anywhere; every summary becomes a proposed baseline saying how it was measured', () => {
    const env = stubK6();
    put(baselines, 'smoke', summary());
    const out = runner('record', env);
    expect(out.status).toBe(0);
    expect(k6Calls().every((c) => c.includes('--no-thresholds'))).toBe(true);
    for (const name of SCENARIOS) {
      const proposal = JSON.parse(readFileSync(path.join(results, `${name}.json`), 'utf8'));
      expect(proposal.source).toMatch(
        /^recorded by perf\.yml \(mode record\) with k6 v9\.9\.9 \(stub\) through nginx \(http:\/\/127\.0\.0\.1:8080\) on .* CPUs, .* RAM, commit c{40}, \d{4}-/,
      );
      expect(proposal.metrics).toEqual({});
    }
  });

  it('refuses an unknown mode (exit 2)', () => {
    expect(runner('measure', stubK6()).status).toBe(2);
  });
});

/** Baselines in `where` not recorded by perf.yml's record mode (their `source` says how they were measured). */
function foreignBaselines(where: string): string[] {
  return readdirSync(where)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => {
      const source = JSON.parse(readFileSync(path.join(where, f), 'utf8')).source;
      return !/^recorded by perf\.yml \(mode record\) with k6 /.test(String(source ?? ''));
    });
}

describe('tests/perf/baselines', () => {
  it('holds only baselines recorded by perf.yml in record mode (k6, through nginx, on the CI runner class)', () => {
    expect(foreignBaselines(path.join(repoRoot, 'tests', 'perf', 'baselines'))).toEqual([]);
  });

  it('the check refuses a baseline measured another way (a provisional one from `npm run bench`)', () => {
    put(baselines, 'load', {
      source:
        'PROVISIONAL: measured by `npm run bench -- --baseline load` (Node VUs, not k6) against the API directly',
      ...summary(),
    });
    put(baselines, 'smoke', summary());
    expect(foreignBaselines(baselines)).toEqual(['load.json', 'smoke.json']);
  });
});
