/**
 * `npm run bench` — the API's performance figures on this machine, from the same scenario definitions the
 * k6 scripts use (tests/perf/scenarios.json).
 *
 *   npm run bench                         # own stack: PostgreSQL (tuned) + Redis + API, 1M selectors
 *   npm run bench -- --selectors 200000   # a smaller data set (generated once per size, kept in .data/bench)
 *   API_URL=http://127.0.0.1:4000 DATABASE_URL=postgres://… npm run bench   # a running API
 *   npm run bench -- --only list_selectors,search_selectors --duration 10
 *   npm run bench -- --repeat 3           # every endpoint 3 times (in rounds); ends with the medians
 *   npm run bench -- --api source         # the API under tsx, NODE_ENV=development (default: compiled,
 *                                         # NODE_ENV=production, as the image runs it)
 *   npm run bench -- --only search_selectors --search-terms 500   # repeated terms: the cached search
 *   npm run bench -- --baseline smoke     # run a k6 scenario's mix and write tests/perf/baselines/smoke.json
 *
 * Per endpoint: a warm-up, then autocannon with the load scenario's clients (50) for bench.durationSeconds;
 * p50/p95/p99 are exact (every response time is kept). Then the endpoint's SQL alone with the same
 * concurrency (pgbench, or a postgres.js loop without it), and the API/SQL throughput ratio.
 * Loopback only; every run is bounded by the durations in scenarios.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BENCH_INVESTIGATION_ID, benchTerm, generateBenchData, type PhaseTiming } from './generate-data.js';
import {
  durationSeconds,
  type Endpoint,
  fill,
  fillBody,
  loadScenarios,
  percentile,
  type ScenarioFile,
} from './scenarios.js';
import { runSqlBaseline, SQL_QUERIES, type SqlResult, sqlTool } from './sql-baseline.js';
import {
  type ApiProcess,
  type Backends,
  buildApi,
  cpuSeconds,
  mintToken,
  productionDatabaseUrl,
  repoRoot,
  startApi,
  startBackends,
} from './stack.js';

const say = (line: string) => console.log(`[bench] ${line}`);

interface Target {
  apiUrl: string;
  databaseUrl?: string;
  investigationId: string;
  selectors: number;
  token: string;
  /**
   * Draw search terms from the first N selectors only, so terms repeat and the Redis search cache answers
   * most requests (`--search-terms`); unset: a fresh term per request, the uncached figure.
   */
  searchTerms?: number;
}

/** The endpoint whose cumulative weight first exceeds r (r uniform in [0, total weight)). */
function pickWeighted(endpoints: Endpoint[], r: number): Endpoint {
  let rest = r;
  for (const e of endpoints) {
    rest -= e.weight;
    if (rest < 0) return e;
  }
  return endpoints[endpoints.length - 1] as Endpoint;
}

function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)] as T;
}

/** Variables for one request: random values from scenarios.json, selective search terms for bench data. */
function requestVars(config: ScenarioFile, target: Target, benchData: boolean): Record<string, string> {
  const vars: Record<string, string> = {
    investigationId: target.investigationId,
    nonce: `${Date.now()}-${Math.random()}`,
  };
  for (const [name, list] of Object.entries(config.values)) vars[name] = pick(list);
  if (benchData) vars.term = benchTerm(Math.floor(Math.random() * (target.searchTerms ?? target.selectors)));
  return vars;
}

/** A search term no selector contains: a pending search endpoint must answer it with no items. */
const NO_MATCH = 'zz-no-such-selector-zz';

/**
 * Is the endpoint served as scenarios.json describes it? Its expected status, and for a pending one (a
 * route that may exist without honouring the new parameter, e.g. `q` ignored by the list route) also an
 * empty page for a term that matches nothing.
 */
async function probe(
  endpoint: Endpoint,
  config: ScenarioFile,
  target: Target,
  benchData: boolean,
): Promise<{ ok: boolean; why: string }> {
  const vars = { ...requestVars(config, target, benchData), ...(endpoint.pending ? { term: NO_MATCH } : {}) };
  const res = await fetch(`${target.apiUrl}${fill(endpoint.path, vars)}`, {
    method: endpoint.method,
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
    ...(endpoint.body ? { body: fillBody(endpoint.body, vars) } : {}),
  });
  const text = await res.text();
  if (res.status !== (endpoint.expectStatus ?? 200)) return { ok: false, why: `answered ${res.status}` };
  if (endpoint.pending) {
    const items = (JSON.parse(text) as { items?: unknown[] }).items;
    if (!Array.isArray(items) || items.length > 0)
      return { ok: false, why: 'the search parameter is ignored' };
  }
  return { ok: true, why: '' };
}

interface HttpResult {
  apiCpuMs?: number;
  pgCpuMs?: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

async function hammer(
  endpoint: Endpoint,
  config: ScenarioFile,
  target: Target,
  benchData: boolean,
  seconds: number,
  connections: number,
): Promise<HttpResult> {
  const latencies: number[] = [];
  let errors = 0;
  const expected = endpoint.expectStatus ?? 200;
  let instance: autocannon.Instance | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: target.apiUrl,
        connections,
        duration: seconds,
        timeout: 10,
        headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
        requests: [
          {
            method: endpoint.method,
            setupRequest: (req) => {
              const vars = requestVars(config, target, benchData);
              return {
                ...req,
                path: fill(endpoint.path, vars),
                ...(endpoint.body ? { body: fillBody(endpoint.body, vars) } : {}),
              };
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode !== expected) errors++;
    });
  });
  errors += result.errors + result.timeouts;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: Math.round(latencies.length / seconds),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
  };
}

interface Row {
  endpoint: string;
  round: number;
  http: HttpResult;
  sql?: SqlResult;
  loadavg1?: number;
}

interface MedianRow {
  endpoint: string;
  runs: number;
  rps: number;
  p95: number;
  sqlRps?: number;
  apiSql?: number;
  apiCpuMs?: number;
  pgCpuMs?: number;
  sqlPgCpuMs?: number;
  cpuRatio?: number;
  loadavg1?: number;
}

/** Median of the numbers present (the mean of the middle two for an even count); undefined for none. */
export function median(values: Array<number | undefined>): number | undefined {
  const sorted = values
    .filter((v): v is number => v !== undefined && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * One endpoint's runs reduced to medians. The ratios are medians of each run's own ratio (API and SQL
 * measured back to back under the same load), not ratios of medians.
 */
function medianRow(endpoint: string, runs: Row[]): MedianRow {
  const m = (pick: (r: Row) => number | undefined) => median(runs.map(pick));
  const result: MedianRow = {
    endpoint,
    runs: runs.length,
    rps: m((r) => r.http.rps) ?? 0,
    p95: m((r) => r.http.p95) ?? Number.NaN,
  };
  const set = <K extends keyof MedianRow>(key: K, value: MedianRow[K] | undefined) => {
    if (value !== undefined) result[key] = value;
  };
  set(
    'sqlRps',
    m((r) => r.sql?.rps),
  );
  set(
    'apiSql',
    m((r) => (r.sql?.rps ? r.http.rps / r.sql.rps : undefined)),
  );
  set(
    'apiCpuMs',
    m((r) => r.http.apiCpuMs),
  );
  set(
    'pgCpuMs',
    m((r) => r.http.pgCpuMs),
  );
  set(
    'sqlPgCpuMs',
    m((r) => r.sql?.pgCpuMs),
  );
  set(
    'cpuRatio',
    m((r) =>
      r.sql?.pgCpuMs !== undefined && r.http.apiCpuMs !== undefined
        ? r.sql.pgCpuMs / (r.http.apiCpuMs + (r.http.pgCpuMs ?? 0))
        : undefined,
    ),
  );
  set(
    'loadavg1',
    m((r) => r.loadavg1),
  );
  return result;
}

const fixed = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(2));

/** `median of N: <endpoint> … API/SQL X.XX … CPU ratio X.XX …`, the line each goal is read from. */
function medianLine(m: MedianRow, repeat: number): string {
  return (
    `median of ${repeat}: ${m.endpoint}  API ${Math.round(m.rps)} req/s, p95 ${ms(m.p95)} ms; ` +
    `SQL ${m.sqlRps === undefined ? '—' : Math.round(m.sqlRps)}/s; API/SQL ${fixed(m.apiSql)}; ` +
    `CPU ms/req ${ms(m.apiCpuMs)} api + ${ms(m.pgCpuMs)} pg, ${ms(m.sqlPgCpuMs)} pg per query alone; ` +
    `CPU ratio ${fixed(m.cpuRatio)}; load average ${fixed(m.loadavg1)}`
  );
}

const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));

/**
 * A k6 scenario's weighted mix, run by Node VUs (each loops: pick an endpoint by weight, request, record),
 * summarised in k6's handleSummary shape so scripts/perf/compare-baselines.mjs reads it. Used to write
 * provisional baselines where k6 cannot run; labelled as such in the file.
 */
async function runMix(config: ScenarioFile, scenarioName: string, target: Target, endpoints: Endpoint[]) {
  const scenario = config.scenarios[scenarioName];
  if (!scenario) throw new Error(`no scenario ${scenarioName} in scenarios.json`);
  const stages = scenario.stages ?? [{ duration: scenario.duration ?? '30s', target: scenario.vus ?? 1 }];
  const total = stages.reduce((s, st) => s + durationSeconds(st.duration), 0);
  const weights = endpoints.reduce((s, e) => s + e.weight, 0);
  const perEndpoint = new Map<string, number[]>(endpoints.map((e) => [e.name, []]));
  const all: number[] = [];
  let failed = 0;
  let checksFailed = 0;
  const started = performance.now();
  const vusAt = (t: number) => {
    if (!scenario.stages) return scenario.vus ?? 1;
    let from = 0;
    let at = 0;
    for (const st of stages) {
      const d = durationSeconds(st.duration);
      if (t <= at + d) return Math.round(from + ((st.target - from) * (t - at)) / d);
      from = st.target;
      at += d;
    }
    return 0;
  };
  const vu = async (index: number) => {
    for (;;) {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= total) return;
      if (index >= vusAt(elapsed)) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const endpoint = pickWeighted(endpoints, Math.random() * weights);
      const vars = requestVars(config, target, false);
      const t = performance.now();
      let status = 0;
      try {
        const res = await fetch(`${target.apiUrl}${fill(endpoint.path, vars)}`, {
          method: endpoint.method,
          headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
          ...(endpoint.body ? { body: fillBody(endpoint.body, vars) } : {}),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      const latency = performance.now() - t;
      all.push(latency);
      perEndpoint.get(endpoint.name)?.push(latency);
      if (status === 0 || status >= 400) failed++;
      if (status !== (endpoint.expectStatus ?? 200)) checksFailed++;
    }
  };
  const maxVus = Math.max(...stages.map((s) => s.target), scenario.vus ?? 1);
  await Promise.all(Array.from({ length: maxVus }, (_, i) => vu(i)));
  const seconds = (performance.now() - started) / 1000;
  const trend = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const avg = sorted.reduce((s, v) => s + v, 0) / Math.max(sorted.length, 1);
    return {
      type: 'trend',
      contains: 'time',
      values: {
        avg,
        min: sorted[0] ?? 0,
        med: percentile(sorted, 50),
        max: sorted.at(-1) ?? 0,
        'p(90)': percentile(sorted, 90),
        'p(95)': percentile(sorted, 95),
      },
    };
  };
  const metrics: Record<string, unknown> = {
    http_req_duration: trend(all),
    http_reqs: {
      type: 'counter',
      contains: 'default',
      values: { count: all.length, rate: all.length / seconds },
    },
    iterations: {
      type: 'counter',
      contains: 'default',
      values: { count: all.length, rate: all.length / seconds },
    },
    http_req_failed: {
      type: 'rate',
      contains: 'default',
      values: { rate: failed / Math.max(all.length, 1), passes: failed, fails: all.length - failed },
    },
    checks: {
      type: 'rate',
      contains: 'default',
      values: {
        rate: 1 - checksFailed / Math.max(all.length, 1),
        passes: all.length - checksFailed,
        fails: checksFailed,
      },
    },
  };
  for (const [name, values] of perEndpoint) if (values.length > 0) metrics[`latency_${name}`] = trend(values);
  return { seconds, metrics };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      selectors: { type: 'string', default: '1000000' },
      relationships: { type: 'string', default: '100000' },
      only: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'no-sql': { type: 'boolean', default: false },
      'search-terms': { type: 'string' },
      baseline: { type: 'string' },
      out: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      api: { type: 'string', default: 'production' },
    },
  });
  const config = loadScenarios();
  const seconds = Number(values.duration ?? config.bench.durationSeconds);
  const connections = Number(values.connections ?? config.bench.connections);
  const apiMode = values.api === 'source' ? 'source' : 'production';
  if (values.api !== apiMode)
    throw new Error(`--api is production (compiled) or source (tsx), not ${values.api}`);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20)
    throw new Error(`--repeat must be a whole number from 1 to 20, not ${values.repeat}`);
  const baselineMode = values.baseline !== undefined;
  const selectors = baselineMode ? 0 : Number(values.selectors);
  let backends: Backends | undefined;
  let api: ApiProcess | undefined;
  const cleanup = async () => {
    await api?.stop();
    await backends?.stop();
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    let apiUrl = process.env.API_URL;
    let databaseUrl = process.env.DATABASE_URL;
    let loadPhases: Record<string, PhaseTiming> | undefined;
    if (!apiUrl) {
      // Baselines describe the development seed (what perf.yml's stack holds), not the 1M data set.
      const dir = path.join(repoRoot, '.data', baselineMode ? 'bench-seed' : 'bench');
      say(`starting PostgreSQL (tuned config, data in ${path.relative(repoRoot, dir)}) and Redis…`);
      backends = await startBackends(dir, say);
      databaseUrl = backends.databaseUrl;
      if (!baselineMode) {
        say(`loading ${selectors} selectors (once per data directory)…`);
        const generated = await generateBenchData({
          url: databaseUrl,
          selectors,
          relationships: Number(values.relationships),
          log: say,
        });
        if (!generated.skipped) loadPhases = generated.phases;
      } else {
        const { runMigrations, seedIfEmpty } = await import('@osint/db');
        await runMigrations(databaseUrl);
        await seedIfEmpty(databaseUrl);
      }
      if (apiMode === 'production') {
        buildApi(say);
        api = await startApi({
          databaseUrl: await productionDatabaseUrl(databaseUrl),
          redisUrl: backends.redisUrl,
          production: true,
          logLevel: 'info',
        });
      } else {
        api = await startApi({ databaseUrl, redisUrl: backends.redisUrl, logLevel: 'info' });
      }
      apiUrl = api.url;
      say(
        `API up at ${apiUrl} (${apiMode === 'production' ? 'compiled, NODE_ENV=production' : 'tsx, NODE_ENV=development'}, LOG_LEVEL=info to a pipe)`,
      );
    }
    const token = await mintToken(apiUrl, config.auth.email, config.auth.password);
    let investigationId = BENCH_INVESTIGATION_ID;
    if (baselineMode || process.env.API_URL) {
      const res = await fetch(`${apiUrl}/api/v1/investigations?limit=100`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const page = (await res.json()) as { items: Array<{ id: string; title: string; role?: string }> };
      const bench = page.items.find((i) => i.title === config.investigation.benchTitle);
      // Documents need an editor: the first case alice owns or edits (the seed has her view-only in one).
      const writable = page.items.find(
        (i) => i.title !== config.investigation.benchTitle && (i.role === 'owner' || i.role === 'editor'),
      );
      investigationId = (baselineMode ? undefined : bench?.id) ?? writable?.id ?? '';
      if (!investigationId)
        throw new Error('alice owns or edits no investigation: load the development seed');
    }
    const target: Target = {
      apiUrl,
      databaseUrl,
      investigationId,
      selectors: Math.max(selectors, 1),
      token,
      ...(values['search-terms'] ? { searchTerms: Number(values['search-terms']) } : {}),
    };
    const benchData = !baselineMode && investigationId === BENCH_INVESTIGATION_ID;

    const wanted = values.only ? new Set(values.only.split(',')) : undefined;
    const endpoints: Endpoint[] = [];
    for (const endpoint of config.endpoints.filter((e) => !wanted || wanted.has(e.name))) {
      const probed = await probe(endpoint, config, target, benchData);
      if (probed.ok) endpoints.push(endpoint);
      else if (endpoint.pending)
        say(`${endpoint.name}: not served yet (${probed.why}) — ${endpoint.pending.split(';')[0]}`);
      else throw new Error(`${endpoint.name}: probe ${probed.why}, expected ${endpoint.expectStatus ?? 200}`);
    }

    if (baselineMode) {
      const name = values.baseline ?? 'smoke';
      say(`running scenario ${name} (Node VUs, the k6 mix) against the development seed…`);
      const { seconds: took, metrics } = await runMix(config, name, target, endpoints);
      const file = values.out ?? path.join(repoRoot, 'tests', 'perf', 'baselines', `${name}.json`);
      const summary = {
        source: `PROVISIONAL: measured by \`npm run bench -- --baseline ${name}\` (Node VUs, not k6) against the API directly (tsx, development seed) on ${cpus().length} cores / ${Math.round(totalmem() / 1024 ** 3)} GiB shared with other work (load average ${loadavg()[0]?.toFixed(1)} at the end), ${new Date().toISOString().slice(0, 10)}. Replace with the handleSummary JSON of the first green perf.yml run on main (docs/ci-cd.md#performance-baselines).`,
        state: { testRunDurationMs: Math.round(took * 1000) },
        metrics,
      };
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
      const d = (metrics.http_req_duration as { values: Record<string, number> }).values;
      say(`wrote ${path.relative(repoRoot, file)}: p95 ${ms(d['p(95)'])} ms over ${took.toFixed(0)} s`);
      return;
    }

    // Other work on the machine skews every figure: record the load next to them.
    say(
      `load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${cpus().length} cores`,
    );
    say(
      `${endpoints.length} endpoints × (${config.bench.warmupSeconds} s warm-up + ${seconds} s) at ${connections} connections; investigation ${investigationId}${benchData ? ` (${selectors} selectors)` : ''}`,
    );
    const rows: Row[] = [];
    // Rounds, not one endpoint N times in a row: each endpoint's runs are spread over the whole bench, so
    // a burst of other work on a shared machine skews one run of several endpoints, not every run of one.
    for (let round = 1; round <= repeat; round++)
      for (const endpoint of endpoints) {
        await hammer(endpoint, config, target, benchData, config.bench.warmupSeconds, connections);
        const cpu = () => ({
          api: api?.child.pid ? cpuSeconds({ pgid: api.child.pid }) : 0,
          pg: backends?.postgresPid ? cpuSeconds({ parent: backends.postgresPid }) : 0,
        });
        const before = cpu();
        const http = await hammer(endpoint, config, target, benchData, seconds, connections);
        const after = cpu();
        // Server CPU per request (API process + PostgreSQL backends), in ms: independent of other load.
        http.apiCpuMs = ((after.api - before.api) * 1000) / Math.max(http.requests, 1);
        http.pgCpuMs = ((after.pg - before.pg) * 1000) / Math.max(http.requests, 1);
        let sql: SqlResult | undefined;
        const query = SQL_QUERIES[endpoint.name];
        if (query && databaseUrl && !values['no-sql'] && benchData) {
          const pgBefore = backends?.postgresPid ? cpuSeconds({ parent: backends.postgresPid }) : 0;
          sql = await runSqlBaseline({
            url: databaseUrl,
            investigationId,
            selectors: target.selectors,
            query,
            clients: connections,
            // pgbench opens its connections first (SCRAM + fork: ~75 ms each on 2 cores); give it time.
            seconds: Math.max(seconds, 10),
          });
          if (backends?.postgresPid) {
            sql.pgCpuMs =
              ((cpuSeconds({ parent: backends.postgresPid }) - pgBefore) * 1000) / Math.max(sql.requests, 1);
          }
        }
        rows.push({ endpoint: endpoint.name, round, http, ...(sql ? { sql } : {}), loadavg1: loadavg()[0] });
        say(
          `${repeat > 1 ? `[${round}/${repeat}] ` : ''}${endpoint.name}: ${http.rps} req/s, p50 ${ms(http.p50)} / p95 ${ms(http.p95)} / p99 ${ms(http.p99)} ms, ${http.errors} errors` +
            (sql
              ? `; SQL alone ${sql.rps}/s p95 ${ms(sql.p95)} ms${sql.timeouts ? ` (${sql.timeouts} clients cut off at 5 s)` : ''} → API/SQL ${(http.rps / sql.rps).toFixed(2)}`
              : '') +
            (http.apiCpuMs !== undefined
              ? `; server CPU/request ${ms(http.apiCpuMs)} ms api + ${ms(http.pgCpuMs)} ms pg`
              : ''),
        );
      }
    // Raw SQL of endpoints the API does not serve yet (the search goal can still be judged at SQL level).
    for (const endpoint of config.endpoints.filter(
      (e) => !endpoints.includes(e) && (!wanted || wanted.has(e.name)),
    )) {
      const query = SQL_QUERIES[endpoint.name];
      if (!query || !databaseUrl || values['no-sql'] || !benchData) continue;
      const sql = await runSqlBaseline({
        url: databaseUrl,
        investigationId,
        selectors: target.selectors,
        query,
        clients: connections,
        seconds: Math.max(seconds, 10),
      });
      rows.push({
        endpoint: `${endpoint.name} (SQL only)`,
        round: 1,
        http: { requests: 0, rps: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, errors: 0 },
        sql,
      });
    }

    const header = [
      'endpoint',
      'API req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      `SQL(${sqlTool()}) /s`,
      'SQL p95',
      'API/SQL',
      'CPU ms/req api+pg',
      'CPU ms/query pg',
      'CPU ratio',
    ];
    const table = [
      header,
      ...rows.map((r) => [
        repeat > 1 ? `${r.endpoint} #${r.round}` : r.endpoint,
        String(r.http.rps || '—'),
        ms(r.http.p50),
        ms(r.http.p95),
        ms(r.http.p99),
        String(r.http.errors),
        r.sql ? String(r.sql.rps) : '—',
        r.sql ? ms(r.sql.p95) : '—',
        r.sql && r.http.rps ? (r.http.rps / r.sql.rps).toFixed(2) : '—',
        r.http.apiCpuMs !== undefined ? `${ms(r.http.apiCpuMs)}+${ms(r.http.pgCpuMs)}` : '—',
        r.sql?.pgCpuMs !== undefined ? ms(r.sql.pgCpuMs) : '—',
        r.sql?.pgCpuMs !== undefined && r.http.apiCpuMs !== undefined
          ? (r.sql.pgCpuMs / (r.http.apiCpuMs + (r.http.pgCpuMs ?? 0))).toFixed(2)
          : '—',
      ]),
    ];
    const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
    console.log('');
    for (const row of table) console.log(row.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  '));
    // The figures the performance goals are judged on: per endpoint, the median of its runs.
    const medians = endpoints.map((e) =>
      medianRow(
        e.name,
        rows.filter((r) => r.endpoint === e.name),
      ),
    );
    console.log('');
    for (const m of medians) console.log(medianLine(m, repeat));
    const out =
      values.out ??
      path.join(repoRoot, '.data', 'bench', `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ at: new Date().toISOString(), cores: cpus().length, memoryGiB: Math.round(totalmem() / 1024 ** 3), selectors, connections, seconds, repeat, api: apiMode, load: loadPhases, rows, medians }, null, 2)}\n`,
    );
    say(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    say(`results: ${path.relative(repoRoot, out)}`);
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(`✘ bench failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
