/**
 * Proof for tests/perf/ without a k6 binary (the dev container and GitHub's runner have one; this machine
 * does not): scenarios.json is well formed and names only operations the API serves; every scenario
 * script follows docs/ci-cd.md's contract; the shared k6 logic, run against stub k6 modules, signs in,
 * mints a token, draws endpoints by weight, fills every placeholder and writes its summary where perf.yml
 * looks; the committed baselines are in the shape compare-baselines.mjs reads and say where they came from.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/k8s-render.js';

const perfDir = path.join(repoRoot, 'tests', 'perf');
const config = JSON.parse(readFileSync(path.join(perfDir, 'scenarios.json'), 'utf8'));
const scripts = readdirSync(perfDir).filter((f) => f.endsWith('.js'));

/** Every `operationId: '…'` the API registers. */
function apiOperationIds(): Set<string> {
  const ids = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.router.ts')) {
        for (const m of readFileSync(file, 'utf8').matchAll(/operationId: '(\w+)'/g)) ids.add(m[1] ?? '');
      }
    }
  };
  walk(path.join(repoRoot, 'services', 'api', 'src'));
  return ids;
}

describe('tests/perf/scenarios.json', () => {
  it('defines smoke, load and stress, each with thresholds and a bounded duration (< 5 min)', () => {
    expect(Object.keys(config.scenarios).sort()).toEqual(['load', 'smoke', 'stress']);
    const seconds = (d: string) =>
      [...d.matchAll(/(\d+)(m|s)/g)].reduce((s, m) => s + Number(m[1]) * (m[2] === 'm' ? 60 : 1), 0);
    for (const [name, s] of Object.entries<{
      duration?: string;
      stages?: Array<{ duration: string }>;
      thresholds: object;
    }>(config.scenarios)) {
      const total = s.stages
        ? s.stages.reduce((t, st) => t + seconds(st.duration), 0)
        : seconds(s.duration ?? '');
      expect(total, name).toBeGreaterThan(0);
      expect(total, name).toBeLessThan(300);
      expect(Object.keys(s.thresholds), name).toContain('http_req_failed');
    }
  });

  it('names only operations the API registers, with weights, goals and placeholders that have values', () => {
    const served = apiOperationIds();
    expect(served.size).toBeGreaterThan(20);
    for (const e of config.endpoints) {
      expect(served.has(e.operationId), `${e.name}: operationId ${e.operationId}`).toBe(true);
      expect(e.weight).toBeGreaterThan(0);
      expect(e.p95Ms).toBeGreaterThan(0);
      expect(e.path.startsWith('/api/v1/')).toBe(true);
      const names = [...`${e.path}${JSON.stringify(e.body ?? {})}`.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const n of names) {
        expect(['investigationId', 'nonce', ...Object.keys(config.values)], `${e.name}: {${n}}`).toContain(n);
      }
    }
    expect(new Set(config.endpoints.map((e: { name: string }) => e.name)).size).toBe(config.endpoints.length);
  });
});

describe('k6 scripts', () => {
  it('one script per scenario, each reading scenarios.json and exporting what k6 and perf.yml need', () => {
    expect(scripts.sort()).toEqual(['load.js', 'smoke.js', 'stress.js']);
    for (const file of scripts) {
      const text = readFileSync(path.join(perfDir, file), 'utf8');
      expect(text).toContain(`makeScenario('${file.replace('.js', '')}', open('./scenarios.json'))`);
      for (const x of [
        'export const options',
        'export const setup',
        'export default',
        'export const handleSummary',
      ]) {
        expect(text, `${file}: ${x}`).toContain(x);
      }
    }
  });

  it('the shared logic runs against stub k6 modules: setup, weighted iterations, summary path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'osint-k6-stub-'));
    const stub = path.join(dir, 'k6-stub.mjs');
    writeFileSync(
      stub,
      `export const calls = []; export const trends = {};
       export function fail(m) { throw new Error(m); }
       export function check(res, checks) { for (const f of Object.values(checks)) f(res); return true; }
       export class Trend { constructor(name) { this.name = name; this.values = []; trends[name] = this; } add(v) { this.values.push(v); } }
       const json = (body) => (p) => p === undefined ? body : p.split('.').reduce((o, k) => o?.[k], body);
       function respond(method, url, body, params) {
         calls.push({ method, url, body, headers: params?.headers ?? {} });
         if (url.endsWith('/auth/login')) return { status: 200, cookies: { osint_session: [{ value: 'sess' }] }, json: json({}) };
         if (url.endsWith('/auth/tokens')) return { status: 201, json: json({ token: 'osint_pat_x' }) };
         if (url.includes('/investigations?')) return { status: 200, json: json({ items: [{ id: 'inv-0', title: 'Viewed', role: 'viewer' }, { id: 'inv-1', title: 'Case', role: 'owner' }] }) };
         const status = method === 'POST' ? 202 : 200;
         return { status, timings: { duration: 5 }, json: json({ items: [] }) };
       }
       export default {
         setResponseCallback() {}, expectedStatuses: (...s) => s,
         post: (url, body, params) => respond('POST', url, body, params),
         get: (url, params) => respond('GET', url, null, params),
         request: (method, url, body, params) => respond(method, url, body, params),
       };`,
    );
    const lib = readFileSync(path.join(perfDir, 'lib', 'scenario.js'), 'utf8')
      .replace(/from 'k6\/http'/, `from '${pathToFileURL(stub)}'`)
      .replace(/from 'k6\/metrics'/, `from '${pathToFileURL(stub)}'`)
      .replace(/from 'k6'/, `from '${pathToFileURL(stub)}'`);
    const libFile = path.join(dir, 'scenario.mjs');
    writeFileSync(libFile, lib);
    Object.assign(globalThis, {
      __ENV: { BASE_URL: 'http://perf.test', SUMMARY_JSON: '/results/load.json' },
      __VU: 1,
      __ITER: 0,
    });
    const { makeScenario } = await import(pathToFileURL(libFile).href);
    const k6 = await import(pathToFileURL(stub).href);
    const scenario = makeScenario('load', readFileSync(path.join(perfDir, 'scenarios.json'), 'utf8'));
    expect(scenario.options).toMatchObject({ vus: 50, duration: '2m' });
    expect(Object.keys(scenario.options.thresholds)).toEqual(
      expect.arrayContaining(['http_req_failed', 'latency_list_selectors', 'latency_create_document']),
    );
    const data = scenario.setup();
    expect(data).toMatchObject({ token: 'osint_pat_x', investigationId: 'inv-1' });
    const minted = k6.calls.find((c: { url: string }) => c.url.endsWith('/auth/tokens'));
    expect(minted.headers).toMatchObject({ Cookie: 'osint_session=sess', 'Sec-Fetch-Site': 'same-origin' });
    k6.calls.length = 0;
    for (let i = 0; i < 400; i++) scenario.run(data);
    const urls: string[] = k6.calls.map((c: { url: string }) => c.url);
    expect(urls.every((u) => u.startsWith('http://perf.test/api/v1/investigations/inv-1/'))).toBe(true);
    expect(urls.some((u) => /[{}]/.test(u))).toBe(false);
    expect(
      k6.calls.every(
        (c: { headers: Record<string, string> }) => c.headers.Authorization === 'Bearer osint_pat_x',
      ),
    ).toBe(true);
    // Every endpoint drawn, the heavy ones more often.
    const count = (name: string) => k6.trends[`latency_${name}`].values.length;
    for (const e of config.endpoints) expect(count(e.name), e.name).toBeGreaterThan(0);
    expect(count('list_selectors')).toBeGreaterThan(count('search_documents'));
    const post = k6.calls.find((c: { method: string }) => c.method === 'POST');
    expect(JSON.parse(post.body).title).toMatch(/^perf document 1-0-\d+$/);
    expect(Object.keys(scenario.handleSummary({ metrics: {} }))).toContain('/results/load.json');
  });
});

describe('baselines', () => {
  it('each baseline belongs to a scenario, is in the summary shape compare-baselines.mjs reads, and says where it came from', () => {
    const dir = path.join(perfDir, 'baselines');
    // None until perf.yml's record mode proposes them (docs/ci-cd.md#performance-baselines).
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    for (const file of files) {
      expect(scripts).toContain(file.replace('.json', '.js'));
      const baseline = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      expect(typeof baseline.source, file).toBe('string');
      expect(baseline.metrics.http_req_duration.values['p(95)'], file).toBeGreaterThan(0);
      expect(baseline.metrics.http_reqs.values.rate, file).toBeGreaterThan(0);
      expect(baseline.metrics.http_req_failed.values.rate, file).toBeLessThan(0.01);
    }
  });
});
