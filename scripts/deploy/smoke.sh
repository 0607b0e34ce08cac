#!/usr/bin/env bash
# Smoke test of a deployed environment through its public URL (the Ingress → web → api path):
#   1. GET <base>/readyz                 200 with a JSON body whose status is "ok" (PostgreSQL and Redis answer)
#   2. GET <base>/api/v1/openapi.json    200 with a JSON OpenAPI document (one full API round trip)
# A check that fails is retried SMOKE_ATTEMPTS times (default 5), SMOKE_DELAY seconds apart (default 3),
# each request bounded by SMOKE_TIMEOUT seconds (default 10): a fresh rollout may need a moment before the
# Ingress routes to the new pods. JSON is checked as JSON, so an HTML page (an SPA fallback, a proxy error
# page) answering 200 does not pass.
#
#   scripts/deploy/smoke.sh https://osint.staging.example.com
#
# Needs Node.js ≥ 20 (built-in fetch); no curl or jq.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/deploy/lib.sh
source "$here/lib.sh"

[[ $# -eq 1 ]] || die "usage: smoke.sh <base-url>" 2
[[ "$1" =~ ^https?://[^[:space:]]+$ ]] || die "'$1' is not an http(s) URL" 2
require_command node "Node.js ≥ 20 runs the HTTP checks"

SMOKE_BASE_URL=$1 node --input-type=module - <<'JS'
const base = process.env.SMOKE_BASE_URL.replace(/\/+$/, '');
const attempts = Number(process.env.SMOKE_ATTEMPTS ?? 5);
const delayMs = Number(process.env.SMOKE_DELAY ?? 3) * 1000;
const timeoutMs = Number(process.env.SMOKE_TIMEOUT ?? 10) * 1000;

const checks = [
  {
    path: '/readyz',
    verify: (body) => (body?.status === 'ok' ? null : `status is ${JSON.stringify(body?.status)}, not "ok"`),
  },
  {
    path: '/api/v1/openapi.json',
    verify: (body) =>
      typeof body?.openapi === 'string' && body.paths && typeof body.paths === 'object'
        ? null
        : 'not an OpenAPI document (no "openapi" version and "paths")',
  },
];

async function once(check) {
  const res = await fetch(base + check.path, {
    headers: { accept: 'application/json' },
    redirect: 'follow',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (res.status !== 200) return `HTTP ${res.status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return `200 but not JSON (content-type ${res.headers.get('content-type')}): ${text.slice(0, 80).replace(/\s+/g, ' ')}`;
  }
  return check.verify(body);
}

let failed = false;
for (const check of checks) {
  let problem = 'not tried';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      problem = await once(check);
    } catch (error) {
      problem = `${error.name}: ${error.cause?.code ?? error.cause?.message ?? error.message}`;
    }
    if (problem === null) break;
    console.error(`[smoke] GET ${check.path} attempt ${attempt}/${attempts}: ${problem}`);
    if (attempt < attempts) await new Promise((r) => setTimeout(r, delayMs));
  }
  if (problem === null) console.error(`[smoke] GET ${check.path}: ok`);
  else failed = true;
}
process.exit(failed ? 1 : 0);
JS
