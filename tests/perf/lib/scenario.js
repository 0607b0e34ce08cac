// Shared k6 logic for tests/perf/<scenario>.js. Each scenario file reads tests/perf/scenarios.json with
// open() (init context, path relative to that file) and hands the text here, so k6 and `npm run bench`
// (scripts/bench/run.ts) share one definition of endpoints, weights and thresholds.
// The contract with CI (docs/ci-cd.md#performance-baselines): BASE_URL is the web entry point (/api/v1
// behind it), handleSummary writes k6's summary JSON to SUMMARY_JSON, baselines live in
// tests/perf/baselines/<scenario>.json.
import { check, fail } from 'k6';
import http from 'k6/http';
import { Trend } from 'k6/metrics';

/** Fills {name} placeholders; a name without a value fails the run (a typo in scenarios.json). */
function fill(template, vars, encode) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    if (vars[name] === undefined) fail(`scenarios.json: no value for {${name}} in "${template}"`);
    return encode ? encodeURIComponent(vars[name]) : vars[name];
  });
}

function pickOne(list) {
  return list[Math.floor(Math.random() * list.length)];
}

/** k6 options, per-endpoint Trends and the iteration for one named scenario of scenarios.json. */
export function makeScenario(name, configText) {
  const config = JSON.parse(configText);
  const scenario = config.scenarios[name];
  if (!scenario) throw new Error(`no scenario "${name}" in scenarios.json`);
  const base = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');

  // One Trend per endpoint, named like the ones `npm run bench -- --baseline` writes.
  const trends = {};
  const thresholds = { ...scenario.thresholds };
  for (const e of config.endpoints) {
    trends[e.name] = new Trend(`latency_${e.name}`, true);
    // Per-endpoint p95 goals apply under the load scenario only (smoke is one client, stress is meant to bend).
    if (name === 'load') thresholds[`latency_${e.name}`] = [`p(95)<${e.p95Ms * 4}`];
  }

  const options = {
    thresholds,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    ...(scenario.stages ? { stages: scenario.stages } : { vus: scenario.vus, duration: scenario.duration }),
  };
  // 202 (document accepted) is success too.
  http.setResponseCallback(http.expectedStatuses(200, 201, 202));

  /** Once: sign in, mint a personal token, pick the investigation, probe pending endpoints. */
  function setup() {
    const login = http.post(`${base}/api/v1/auth/login`, JSON.stringify(config.auth), {
      headers: { 'Content-Type': 'application/json' },
    });
    if (login.status !== 200) fail(`login as ${config.auth.email} answered ${login.status}`);
    // Read the cookie from the response: in production it is Secure, and the jar would not send it over http.
    // `__Host-osint_session` where the API runs in production (Secure), `osint_session` over plain http.
    const cookieName = login.cookies['__Host-osint_session'] ? '__Host-osint_session' : 'osint_session';
    const cookie = login.cookies[cookieName]?.[0];
    if (!cookie) fail('login set no session cookie');
    const minted = http.post(
      `${base}/api/v1/auth/tokens`,
      JSON.stringify({ name: `k6 ${name}`, expiresInDays: 1 }),
      {
        headers: {
          'Content-Type': 'application/json',
          Cookie: `${cookieName}=${cookie.value}`,
          'Sec-Fetch-Site': 'same-origin',
        },
      },
    );
    if (minted.status !== 201) fail(`creating a token answered ${minted.status}`);
    const token = minted.json('token');
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const list = http.get(`${base}/api/v1/investigations?limit=100`, { headers: auth });
    const items = list.json('items') || [];
    // Documents need an editor: the first case alice owns or edits (the seed has her view-only in one).
    const mine = items.find(
      (i) => i.title !== config.investigation.benchTitle && (i.role === 'owner' || i.role === 'editor'),
    );
    if (!mine) fail('alice owns or edits no investigation: load the development seed');
    const endpoints = [];
    for (const e of config.endpoints) {
      if (e.pending) {
        const vars = { investigationId: mine.id, nonce: 'probe', term: 'zz-no-such-selector-zz' };
        for (const [k, v] of Object.entries(config.values)) if (vars[k] === undefined) vars[k] = v[0];
        const res = http.request(e.method, `${base}${fill(e.path, vars, true)}`, null, { headers: auth });
        const empty = res.status === (e.expectStatus || 200) && (res.json('items') || [1]).length === 0;
        if (!empty) {
          console.warn(`${e.name}: not served yet, skipped (${e.pending})`);
          continue;
        }
      }
      endpoints.push(e.name);
    }
    return { token, investigationId: mine.id, endpoints };
  }

  /** One iteration: one request to an endpoint drawn by weight. */
  function run(data) {
    const active = config.endpoints.filter((e) => data.endpoints.includes(e.name));
    const total = active.reduce((s, e) => s + e.weight, 0);
    let r = Math.random() * total;
    let endpoint = active[active.length - 1];
    for (const e of active) {
      r -= e.weight;
      if (r < 0) {
        endpoint = e;
        break;
      }
    }
    const vars = { investigationId: data.investigationId, nonce: `${__VU}-${__ITER}-${Date.now()}` };
    for (const [k, v] of Object.entries(config.values)) vars[k] = pickOne(v);
    const body = endpoint.body
      ? JSON.stringify(JSON.parse(fill(JSON.stringify(endpoint.body), vars, false)))
      : null;
    const res = http.request(endpoint.method, `${base}${fill(endpoint.path, vars, true)}`, body, {
      headers: { Authorization: `Bearer ${data.token}`, 'Content-Type': 'application/json' },
      tags: { endpoint: endpoint.name },
    });
    trends[endpoint.name].add(res.timings.duration);
    check(res, {
      [`${endpoint.name} answers ${endpoint.expectStatus || 200}`]: (x) =>
        x.status === (endpoint.expectStatus || 200),
    });
  }

  function handleSummary(data) {
    const out = __ENV.SUMMARY_JSON || `perf-${name}.json`;
    return { [out]: JSON.stringify(data), stdout: `${name}: summary written to ${out}\n` };
  }

  return { options, setup, run, handleSummary };
}
