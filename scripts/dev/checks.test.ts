import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/ports.js';
import { composeApplies, runChecks } from './checks.js';
import { devSettings } from './settings.js';

/**
 * The port checks of `npm start` / `npm run doctor`: natively every port must be free; with the Compose
 * provider PostgreSQL's and Redis's ports belong to the Compose services (already up from the last run
 * is normal), so only the app's own ports are checked.
 */
describe('start-up checks', () => {
  let taken: Server;
  let pgPort = 0;
  beforeAll(async () => {
    pgPort = await freePort();
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(pgPort, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  const settingsWith = async (env: NodeJS.ProcessEnv, argv: string[] = []) =>
    devSettings(
      {
        API_PORT: String(await freePort()),
        WORKER_PORT: String(await freePort()),
        WEB_PORT: String(await freePort()),
        PG_PORT: String(pgPort),
        REDIS_PORT: String(await freePort()),
        ...env,
      },
      argv,
    );

  it('natively, a taken PostgreSQL port is an error with its fix', async () => {
    const findings = await runChecks(await settingsWith({}), { native: true });
    const port = findings.find((f) => f.check === 'ports' && f.level === 'error');
    expect(port?.message).toBe(`port ${pgPort} (PostgreSQL) is already in use`);
    expect(port?.fix).toMatch(/PG_PORT/);
  });

  it('with Compose, the PostgreSQL port is left to the Compose services', async () => {
    const findings = await runChecks(await settingsWith({}), { native: false });
    expect(findings.filter((f) => f.check === 'ports' && f.level === 'error')).toEqual([]);
    expect(findings.find((f) => f.check === 'ports')?.message).not.toContain(String(pgPort));
  });

  it('Compose applies only without URLs and without --native', async () => {
    expect(composeApplies(await settingsWith({ OSINT_PROVIDER: 'compose' }))).toBe(true);
    expect(composeApplies(await settingsWith({ OSINT_PROVIDER: 'compose' }, ['--native']))).toBe(false);
    expect(composeApplies(await settingsWith({ DATABASE_URL: 'postgres://x@127.0.0.1:1/x' }))).toBe(false);
    expect(composeApplies(await settingsWith({ OSINT_PROVIDER: 'native' }))).toBe(false);
  });
});
