import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { seedDevelopment } from '@osint/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { createTestApi } from '../support/api.js';
import { repoRoot } from '../support/processes.js';

/**
 * The Tilt loop's `smoke` resource (scripts/dev/tilt-smoke.mjs), run as `tilt ci` runs it, against a real
 * API on a seeded database: it signs in as the seed user, lists the investigations and reads one; it
 * fails with what answered when the seed is missing (wrong credentials) and when nothing listens.
 */

const { app, deps } = await createTestApi();
await seedDevelopment(deps.db);
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function smoke(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/dev/tilt-smoke.mjs'], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('the Tilt smoke check (scripts/dev/tilt-smoke.mjs)', () => {
  let unused = 0;
  beforeAll(async () => {
    unused = await freePort();
  });

  it('signs in as the seed user, lists investigations and reads one', async () => {
    const { code, out } = await smoke({ BASE_URL: base });
    expect(out).toMatch(/smoke: signed in as alice@example\.com/);
    expect(out).toMatch(/smoke: [1-5] investigation\(s\) listed/);
    expect(out).toMatch(/smoke: read ".+"/);
    expect(out).toMatch(/smoke: ok against/);
    expect(code).toBe(0);
  });

  it('fails at sign-in, naming the seed, when the credentials are not the seed user', async () => {
    const { code, out } = await smoke({ BASE_URL: base, SMOKE_PASSWORD: 'not-the-seed-password' });
    expect(code).toBe(1);
    expect(out).toMatch(/smoke: FAILED sign in: answered 401, expected 200/);
    expect(out).toMatch(/tilt trigger seed/);
  });

  it('fails with the URL and a hint when nothing listens (after its bounded retry)', async () => {
    const { code, out } = await smoke({
      BASE_URL: `http://127.0.0.1:${unused}`,
      SMOKE_CONNECT_RETRY_MS: '600',
    });
    expect(code).toBe(1);
    expect(out).toMatch(/smoke: FAILED POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/login: ECONNREFUSED/);
  });
});
