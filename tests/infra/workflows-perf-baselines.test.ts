/**
 * Proof for scripts/perf/compare-baselines.mjs, the gate perf.yml applies to the k6 summaries: fixture
 * summaries in the shape k6 hands to handleSummary (and --summary-export's flat shape) against baselines,
 * within tolerance → exit 0, regression → exit 1 with a table that shows the ratio, bad input → exit 2.
 * The contract it implements is docs/ci-cd.md#performance-baselines.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
