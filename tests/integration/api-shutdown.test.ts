import { describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { spawnTs } from '../support/processes.js';
import { createTestDatabase } from '../support/test-env.js';

/**
 * Graceful shutdown under load: clients stream requests while the API gets SIGTERM. /readyz turns 503 first
 * (SHUTDOWN_DELAY_MS), clients stop sending new requests when they see it — as a load balancer does — and
 * every request that was sent must succeed; the process must exit 0 within the grace period.
 */
describe('API graceful shutdown', () => {
  it('drains in-flight requests on SIGTERM: none fails', async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    const api = spawnTs('services/api/src/main.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: `shutdown${port}`,
      SHUTDOWN_DELAY_MS: '1000',
      SHUTDOWN_GRACE_MS: '5000',
    });
    await api.waitFor(/api listening/, 30_000);
    const base = `http://127.0.0.1:${port}`;

    let draining = false;
    const results = { ok: 0, failed: [] as string[] };
    const client = async () => {
      while (!draining) {
        try {
          const res = await fetch(`${base}/readyz`);
          if (res.status === 503) {
            draining = true; // the load balancer's view: take this instance out of rotation
            results.ok++;
            break;
          }
          if (res.status === 200) results.ok++;
          else results.failed.push(`status ${res.status}`);
        } catch (error) {
          results.failed.push((error as Error).message);
        }
      }
    };
    const clients = Array.from({ length: 16 }, client);
    // Signal once the stream is established (by count, not by time: CI machines vary in speed).
    const streamDeadline = Date.now() + 30_000;
    while (results.ok < 10 && Date.now() < streamDeadline) await new Promise((r) => setTimeout(r, 20));
    const okBeforeSignal = results.ok;
    const sent = Date.now();
    api.child.kill('SIGTERM');
    await Promise.all(clients);
    const { code, at } = await api.exited;
    console.log(
      `[shutdown] ${results.ok} requests ok (${okBeforeSignal} before SIGTERM), ${results.failed.length} failed, exit ${code} after ${at - sent} ms`,
    );
    expect(okBeforeSignal).toBeGreaterThanOrEqual(10);
    expect(results.failed).toEqual([]);
    expect(code).toBe(0);
    expect(at - sent).toBeLessThan(7_000);
    expect(api.output()).toMatch(/shutdown complete/);
  }, 60_000);
});
