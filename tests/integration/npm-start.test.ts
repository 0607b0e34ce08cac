import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { processesMatching, spawnTracked } from '../support/processes.js';

/**
 * `npm start`'s orchestrator in native mode, for real: project-local PostgreSQL + Redis on its own ports and
 * data directory, api/worker watchers and Vite; then a Ctrl-C (SIGINT to the process group, as a terminal
 * sends it) must leave nothing behind, and a second start must find the data of the first.
 */
describe('npm start (native mode)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'osint-start-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as `postgres`, which must enter it
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function boot() {
    const ports = {
      API_PORT: String(await freePort()),
      WORKER_PORT: String(await freePort()),
      WEB_PORT: String(await freePort()),
      PG_PORT: String(await freePort()),
      REDIS_PORT: String(await freePort()),
    };
    const started = Date.now();
    const run = spawnTracked(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'scripts/dev/start.ts'],
      {
        ...ports,
        OSINT_DATA_DIR: dataDir,
        OSINT_PROVIDER: 'native',
        DATABASE_URL: '',
        REDIS_URL: '',
        NO_COLOR: '1',
      },
      { detached: true },
    );
    await run.waitFor(/ready in [\d.]+ s/, 90_000);
    return { run, ports, bootMs: Date.now() - started };
  }

  async function ctrlC(run: Awaited<ReturnType<typeof boot>>['run']) {
    const sent = Date.now();
    process.kill(-(run.child.pid as number), 'SIGINT');
    const { at } = await run.exited;
    return at - sent;
  }

  it('boots, serves /readyz and the web page, stops within 5 s leaving no process, and keeps data', async () => {
    const first = await boot();
    const api = `http://127.0.0.1:${first.ports.API_PORT}`;
    const ready = await fetch(`${api}/readyz`);
    expect(ready.status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${first.ports.WEB_PORT}/`);
    expect(await page.text()).toContain('<div id="root">');
    const proxied = await fetch(`http://127.0.0.1:${first.ports.WEB_PORT}/readyz`);
    expect(proxied.status).toBe(200);

    const url = `postgres://osint:osint@127.0.0.1:${first.ports.PG_PORT}/osint`;
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await sql`insert into jobs (kind) values ('start-test-marker')`;
    await sql.end();

    const stopMs = await ctrlC(first.run);
    console.log(`[npm start] boot ${first.bootMs} ms, stop ${stopMs} ms`);
    expect(stopMs).toBeLessThan(5_000);
    // A clean stop: the app processes drained against PostgreSQL and Redis, which the terminal's SIGINT
    // does not reach (their own process groups), so nothing had to be killed.
    expect(first.run.output()).not.toMatch(/forced to kill/);
    expect(first.run.output()).toMatch(/stopped in \d+ ms; data kept in/);
    await new Promise((r) => setTimeout(r, 300));
    expect(processesMatching(dataDir)).toEqual([]);
    expect(processesMatching(`--port ${first.ports.WEB_PORT}`)).toEqual([]);
    expect(processesMatching(`:${first.ports.REDIS_PORT}`)).toEqual([]);

    const second = await boot();
    expect(second.run.output()).toMatch(/migrations: 0 applied/);
    const sql2 = postgres(`postgres://osint:osint@127.0.0.1:${second.ports.PG_PORT}/osint`, {
      max: 1,
      onnotice: () => {},
    });
    const rows = await sql2`select count(*)::int as n from jobs where kind = 'start-test-marker'`;
    await sql2.end();
    expect(rows[0]?.n).toBe(1);
    await ctrlC(second.run);
    expect(processesMatching(dataDir)).toEqual([]);
  }, 240_000);

  it('a taken port stops start-up with the fix, not a stack trace', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const run = spawnTracked(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'scripts/dev/start.ts'],
        { API_PORT: String(port), OSINT_DATA_DIR: dataDir, OSINT_PROVIDER: 'native', NO_COLOR: '1' },
      );
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.output()).toContain(`port ${port} (API) is already in use`);
      expect(run.output()).toContain('fix:');
      expect(run.output()).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
