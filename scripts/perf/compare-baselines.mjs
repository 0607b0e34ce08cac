#!/usr/bin/env node
/**
 * Compares k6 run summaries with the committed baselines and fails on a regression beyond the tolerance.
 *
 *   node scripts/perf/compare-baselines.mjs --results <dir> [--baselines tests/perf/baselines]
 *        [--tolerance 0.20] [--rate-tolerance 0.01] [--min-delta-ms 5] [--require-baselines]
 *
 * The contract (docs/ci-cd.md#performance-baselines):
 * - A scenario `tests/perf/<name>.js` writes its summary — the `data` object k6 passes to `handleSummary` —
 *   as JSON to `<results>/<name>.json`. (`k6 run --summary-export` output is read as well.)
 * - Its baseline is `tests/perf/baselines/<name>.json`, the same JSON from a run that was accepted.
 * - For every metric in the baseline that this script knows how to judge:
 *     trend metrics (http_req_duration, custom Trends)  p(95) may grow by `--tolerance` (default 20 %),
 *                                                       ignoring growth below `--min-delta-ms` (default 5)
 *     http_reqs, iterations                             rate (per second) may drop by `--tolerance`
 *     http_req_failed                                   rate may rise by `--rate-tolerance` (absolute, 0.01)
 *     checks                                            rate may fall by `--rate-tolerance`
 *   and every threshold the current run reports as failed is a regression too.
 * - A baseline without a result fails (the scenario did not run); a result without a baseline is reported
 *   and skipped, unless `--require-baselines`.
 *
 * Exit status: 0 within tolerance, 1 regression or missing result, 2 bad usage or unreadable input.
 * Prints a table to stdout and, in GitHub Actions, the same table as markdown to $GITHUB_STEP_SUMMARY.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The defaults stated in docs/ci-cd.md; a change here is a change of the documented contract. */
export const DEFAULTS = Object.freeze({
  baselines: 'tests/perf/baselines',
  tolerance: 0.2,
  rateTolerance: 0.01,
  minDeltaMs: 5,
});

/** Counters whose per-second rate is throughput: higher is better. */
const THROUGHPUT_COUNTERS = new Set(['http_reqs', 'iterations']);
/** Rates where lower is better / higher is better. */
const LOWER_IS_BETTER_RATES = new Set(['http_req_failed']);
const HIGHER_IS_BETTER_RATES = new Set(['checks']);

class UsageError extends Error {}

/**
 * The statistics of a metric, from either summary shape: handleSummary's `{ type, values: {…} }` or
 * --summary-export's flat `{ avg, 'p(95)', … }` (where a rate is `value` and a counter has `count`/`rate`).
 * @param {Record<string, unknown>} metric
 * @returns {Record<string, number>}
 */
function statsOf(metric) {
  const raw = metric && typeof metric === 'object' && 'values' in metric ? metric.values : metric;
  /** @type {Record<string, number>} */
  const stats = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (typeof value === 'number') stats[key] = value;
  }
  if (stats.rate === undefined && stats.value !== undefined && stats.passes !== undefined)
    stats.rate = stats.value;
  return stats;
}

/**
 * How a metric is judged, or null when this script has no rule for it.
 * @param {string} name
 * @param {Record<string, unknown>} metric
 * @param {Record<string, number>} stats
 */
function ruleFor(name, metric, stats) {
  if (LOWER_IS_BETTER_RATES.has(name)) return { stat: 'rate', better: 'lower', kind: 'absolute' };
  if (HIGHER_IS_BETTER_RATES.has(name)) return { stat: 'rate', better: 'higher', kind: 'absolute' };
  if (THROUGHPUT_COUNTERS.has(name)) return { stat: 'rate', better: 'higher', kind: 'relative' };
  if (metric?.type === 'trend' || (metric?.type === undefined && stats['p(95)'] !== undefined)) {
    return { stat: 'p(95)', better: 'lower', kind: 'relative' };
  }
  return null;
}

/**
 * Compares one scenario's summary with its baseline.
 * @param {string} scenario
 * @param {{ metrics?: Record<string, any> }} baseline
 * @param {{ metrics?: Record<string, any> }} current
 * @param {{ tolerance: number, rateTolerance: number, minDeltaMs: number }} options
 */
export function compareScenario(scenario, baseline, current, options) {
  const rows = [];
  for (const [name, baseMetric] of Object.entries(baseline.metrics ?? {})) {
    const baseStats = statsOf(baseMetric);
    const rule = ruleFor(name, baseMetric, baseStats);
    if (!rule || baseStats[rule.stat] === undefined) continue;
    const base = baseStats[rule.stat];
    const curMetric = current.metrics?.[name];
    const cur = curMetric === undefined ? undefined : statsOf(curMetric)[rule.stat];
    const row = { scenario, metric: name, stat: rule.stat, baseline: base, current: cur, ...rule };
    if (cur === undefined) {
      rows.push({ ...row, limit: undefined, verdict: 'MISSING' });
      continue;
    }
    let limit;
    let regressed;
    let slack;
    if (rule.kind === 'absolute') {
      limit = rule.better === 'lower' ? base + options.rateTolerance : base - options.rateTolerance;
      regressed = rule.better === 'lower' ? cur > limit + 1e-12 : cur < limit - 1e-12;
      slack = `${rule.better === 'lower' ? '+' : '-'}${options.rateTolerance}`;
    } else if (rule.better === 'lower') {
      limit = base * (1 + options.tolerance);
      regressed = cur > limit && cur - base > options.minDeltaMs;
      slack = `+${Math.round(options.tolerance * 100)}%`;
    } else {
      limit = base * (1 - options.tolerance);
      regressed = cur < limit;
      slack = `-${Math.round(options.tolerance * 100)}%`;
    }
    rows.push({ ...row, limit, slack, verdict: regressed ? 'REGRESSION' : 'ok' });
  }
  for (const [name, metric] of Object.entries(current.metrics ?? {})) {
    for (const [threshold, outcome] of Object.entries(metric?.thresholds ?? {})) {
      if (outcome && outcome.ok === false) {
        rows.push({
          scenario,
          metric: name,
          stat: `threshold ${threshold}`,
          verdict: 'REGRESSION',
          kind: 'threshold',
        });
      }
    }
  }
  return rows;
}

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: ${error.message}`);
  }
}

/** @param {string} dir @returns {Map<string, string>} scenario name → file */
function jsonFiles(dir) {
  const files = new Map();
  if (!existsSync(dir)) return files;
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory`);
  for (const entry of readdirSync(dir).sort()) {
    if (entry.endsWith('.json')) files.set(entry.slice(0, -'.json'.length), path.join(dir, entry));
  }
  return files;
}

/** @param {number | undefined} n */
function num(n) {
  if (n === undefined) return '—';
  if (Math.abs(n) >= 100) return n.toFixed(1);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toFixed(4);
}

/** The cells of one table row. */
function cells(row) {
  const ratio =
    row.current === undefined || row.baseline === undefined || row.baseline === 0
      ? '—'
      : (row.current / row.baseline).toFixed(3);
  const allowed =
    row.limit === undefined ? '' : `${row.better === 'lower' ? '≤' : '≥'} ${num(row.limit)} (${row.slack})`;
  return [
    row.scenario,
    row.metric,
    row.stat,
    num(row.baseline),
    num(row.current),
    ratio,
    allowed,
    row.verdict,
  ];
}

const HEADER = ['scenario', 'metric', 'stat', 'baseline', 'current', 'ratio', 'allowed', 'result'];

/** A fixed-width text table. */
export function formatTable(rows) {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  return table
    .map((r) =>
      r
        .map((c, i) => String(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function markdownTable(rows) {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${cells(r).join(' | ')} |`);
  return lines.join('\n');
}

/**
 * Runs the comparison; returns the exit status and writes the report.
 * @param {string[]} argv
 * @param {{ out?: (s: string) => void, err?: (s: string) => void, env?: NodeJS.ProcessEnv }} io
 */
export function main(argv, io = {}) {
  const out = io.out ?? ((s) => process.stdout.write(`${s}\n`));
  const err = io.err ?? ((s) => process.stderr.write(`${s}\n`));
  const env = io.env ?? process.env;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        results: { type: 'string' },
        baselines: { type: 'string', default: DEFAULTS.baselines },
        tolerance: { type: 'string', default: String(DEFAULTS.tolerance) },
        'rate-tolerance': { type: 'string', default: String(DEFAULTS.rateTolerance) },
        'min-delta-ms': { type: 'string', default: String(DEFAULTS.minDeltaMs) },
        'require-baselines': { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.results) throw new UsageError('--results <dir> is required');
    const options = {
      tolerance: Number(values.tolerance),
      rateTolerance: Number(values['rate-tolerance']),
      minDeltaMs: Number(values['min-delta-ms']),
    };
    for (const [k, v] of Object.entries(options)) {
      if (!Number.isFinite(v) || v < 0) throw new UsageError(`${k} must be a non-negative number`);
    }
    if (!existsSync(values.results)) throw new UsageError(`${values.results}: no such directory`);

    const results = jsonFiles(values.results);
    const baselines = jsonFiles(values.baselines);
    const rows = [];
    const notes = [];
    for (const [scenario, baseFile] of baselines) {
      const resultFile = results.get(scenario);
      if (!resultFile) {
        rows.push({ scenario, metric: '(scenario)', stat: 'summary', verdict: 'MISSING' });
        continue;
      }
      rows.push(...compareScenario(scenario, readJson(baseFile), readJson(resultFile), options));
    }
    for (const scenario of results.keys()) {
      if (!baselines.has(scenario)) {
        notes.push(
          `${scenario}: no baseline (${path.join(values.baselines, `${scenario}.json`)}), not compared`,
        );
        if (values['require-baselines'])
          rows.push({ scenario, metric: '(baseline)', stat: 'file', verdict: 'MISSING' });
      }
    }

    const bad = rows.filter((r) => r.verdict !== 'ok');
    const pct = `${Math.round(options.tolerance * 100)} %`;
    const headline =
      rows.length === 0
        ? 'perf: nothing to compare'
        : bad.length === 0
          ? `perf: ${rows.length} comparisons within tolerance (latency/throughput ${pct}, rates ±${options.rateTolerance})`
          : `perf: ${bad.length} of ${rows.length} comparisons regressed (latency/throughput ${pct}, rates ±${options.rateTolerance})`;
    if (rows.length > 0) out(formatTable(rows));
    for (const note of notes) out(`note: ${note}`);
    out(headline);
    if (env.GITHUB_STEP_SUMMARY) {
      const md = [
        `### ${headline}`,
        '',
        rows.length > 0 ? markdownTable(rows) : '',
        ...notes.map((n) => `- ${n}`),
        '',
      ];
      appendFileSync(env.GITHUB_STEP_SUMMARY, md.join('\n'));
    }
    return bad.length === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError || error?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      err(`compare-baselines: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
