import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { type Spawned, spawnTs } from '../support/processes.js';
import { createTestDatabase } from '../support/test-env.js';

/** Pids of the cluster's workers: children of `pid` running the API's entry (not tsx's esbuild service). */
function childrenOf(pid: number): number[] {
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .filter((line) => line.includes('services/api/src/main.ts'))
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter((n) => n > 0);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * API_PROCESSES (docs/decisions/0024-api-processes.md): the primary forks that many workers sharing one
 * port, splits the connection budget between them, replaces a worker that dies while serving, drains
 * them all on SIGTERM and stops the whole group when a worker cannot start.
 */
describe('API processes (cluster)', () => {
  const started: Spawned[] = [];
  afterAll(() => {
    for (const api of started) if (api.child.exitCode === null) api.child.kill('SIGKILL');
  });

  const start = async (env: Record<string, string>) => {
    const database = await createTestDatabase();
    const port = Number(env.API_PORT ?? (await freePort()));
    const api = spawnTs('services/api/src/main.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: `cluster${port}`,
      SHUTDOWN_GRACE_MS: '3000',
      ...env,
    });
    started.push(api);
    return { api, base: `http://127.0.0.1:${port}` };
  };

  it('serves from API_PROCESSES workers, replaces one that dies, and drains them all on SIGTERM', async () => {
    const { api, base } = await start({ API_PROCESSES: '2' });
    await api.waitFor(/api workers listening/, 90_000);
    const primary = api.child.pid as number;
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);
    // Each worker got its share of the replica's 10 connections (DB_POOL_MAX unset).
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/osint_db_pool_size\{pool="api"\} 5\b/);

    // Many requests over fresh connections: all answered while both workers serve.
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${base}/healthz`, { headers: { connection: 'close' } })),
    );
    expect(statuses.map((r) => r.status)).toEqual(Array(40).fill(200));

    const [victim] = workers as [number];
    process.kill(victim, 'SIGKILL');
    await api.waitFor(/an API worker died: starting another/, 10_000);
    await until('a replacement worker', () => {
      const now = childrenOf(primary);
      return now.length === 2 && !now.includes(victim);
    });
    await api.waitFor(/api workers listening[\s\S]*api workers listening/, 90_000);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const survivors = childrenOf(primary);
    api.child.kill('SIGTERM');
    const { code } = await api.exited;
    expect(code).toBe(0);
    expect((api.output().match(/shutdown complete/g) ?? []).length).toBe(2);
    await until('the workers to exit', () => survivors.every((pid) => !alive(pid)), 5_000);
  }, 240_000);

  it('stops the whole group, exit 1, when a worker cannot listen', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { api } = await start({ API_PROCESSES: '2', API_PORT: String(port) });
      const { code } = await api.exited;
      expect(code).toBe(1);
      expect(api.output()).toMatch(/already in use/);
      expect(api.output()).toMatch(/failed during start-up: stopping/);
    } finally {
      blocker.close();
    }
  }, 120_000);
});
