/**
 * The Tilt loop's end-to-end check (the Tiltfile's `smoke` resource, which `tilt ci` runs once api, web
 * and the seed are ready): sign in as the development seed's user through the web port forward (Vite
 * proxies /api to the api Service), list the investigations and read one. One line per step; the first
 * failure exits 1 with what answered and what to look at.
 *
 *   node scripts/dev/tilt-smoke.mjs                      # BASE_URL defaults to the web forward, :5173
 *   BASE_URL=http://localhost:4000 node scripts/dev/tilt-smoke.mjs
 *
 * Plain JavaScript with Node's fetch: it runs on the host where `tilt up` runs, before or without
 * `npm ci`. SMOKE_EMAIL / SMOKE_PASSWORD override the seed user (db/src/seed/users.data.ts).
 */

const base = (process.env.BASE_URL ?? 'http://localhost:5173').replace(/\/$/, '');
const email = process.env.SMOKE_EMAIL ?? 'alice@example.com';
const password = process.env.SMOKE_PASSWORD ?? 'osint-dev-password';
/** A port forward that has just come up can refuse the first connections: retry those, for this long. */
const connectRetryMs = Number(process.env.SMOKE_CONNECT_RETRY_MS ?? 30_000);
/** Per request: generous for a cold Vite and API on a small machine. */
const requestTimeoutMs = 15_000;

class SmokeFailure extends Error {}

async function request(path, init = {}) {
  const deadline = Date.now() + connectRetryMs;
  for (;;) {
    const started = performance.now();
    try {
      const res = await fetch(`${base}${path}`, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await res.text();
      return { res, text, ms: performance.now() - started };
    } catch (error) {
      const cause = error?.cause?.code ?? error?.name ?? String(error);
      if (Date.now() >= deadline || !/ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET/.test(cause)) {
        throw new SmokeFailure(
          `${init.method ?? 'GET'} ${base}${path}: ${cause} (is the port forward up? \`tilt get uiresource\`)`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function json(step, { res, text }) {
  try {
    return JSON.parse(text);
  } catch {
    throw new SmokeFailure(`${step}: answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
}

function expectStatus(step, reply, status, hint) {
  if (reply.res.status !== status) {
    throw new SmokeFailure(
      `${step}: answered ${reply.res.status}, expected ${status}: ${reply.text.slice(0, 300)}${hint ? `\n  ${hint}` : ''}`,
    );
  }
}

async function main() {
  const login = await request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expectStatus(
    'sign in',
    login,
    200,
    'the development seed is not loaded? `tilt trigger seed` (or the seed resource\'s "Load the seed" button)',
  );
  const cookie = (login.res.headers.getSetCookie?.() ?? [login.res.headers.get('set-cookie') ?? ''])
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('osint_session='));
  if (!cookie) throw new SmokeFailure('sign in: answered 200 but set no osint_session cookie');
  console.log(`smoke: signed in as ${email} (${login.ms.toFixed(0)} ms)`);

  const headers = { cookie };
  const list = await request('/api/v1/investigations?limit=5', { headers });
  expectStatus('list investigations', list, 200);
  const items = json('list investigations', list).items;
  if (!Array.isArray(items) || items.length === 0) {
    throw new SmokeFailure(`list investigations: ${email} sees none; the seed gives every user some`);
  }
  console.log(`smoke: ${items.length} investigation(s) listed (${list.ms.toFixed(0)} ms)`);

  const first = items[0];
  const one = await request(`/api/v1/investigations/${encodeURIComponent(first.id)}`, { headers });
  expectStatus('read an investigation', one, 200);
  const body = json('read an investigation', one);
  if (body.id !== first.id || typeof body.title !== 'string') {
    throw new SmokeFailure(`read an investigation: unexpected body ${one.text.slice(0, 300)}`);
  }
  console.log(`smoke: read "${body.title}" (${one.ms.toFixed(0)} ms)`);
  console.log(`smoke: ok against ${base}`);
}

main().catch((error) => {
  console.error(`smoke: FAILED ${error instanceof SmokeFailure ? error.message : (error?.stack ?? error)}`);
  process.exit(1);
});
