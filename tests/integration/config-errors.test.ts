import { describe, expect, it } from 'vitest';
import { spawnTs } from '../support/processes.js';

/** A bad environment stops start-up with one line per bad variable and no stack trace. */
describe('configuration errors stop start-up', () => {
  it('the API names every malformed variable and exits 78', async () => {
    const api = spawnTs('services/api/src/main.ts', {
      API_PORT: 'not-a-port',
      DATABASE_URL: 'mysql://nope',
      SESSION_SECRET: 'short',
    });
    const { code } = await api.exited;
    const out = api.output();
    expect(code).toBe(78);
    expect(out).toContain('api: refusing to start, invalid configuration');
    expect(out).toMatch(/API_PORT: /);
    expect(out).toMatch(/DATABASE_URL: must be a postgres/);
    expect(out).toMatch(/SESSION_SECRET: must be at least 32 characters/);
    expect(out).not.toContain('short'); // the secret's value is never echoed
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 30_000);

  it('production refuses the development default secret', async () => {
    const api = spawnTs('services/api/src/main.ts', {
      NODE_ENV: 'production',
      SESSION_SECRET: '',
      DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/osint',
    });
    // An empty variable falls back to the default, which production must refuse.
    const { code } = await api.exited;
    expect(code).toBe(78);
    expect(api.output()).toMatch(/SESSION_SECRET: /);
  }, 30_000);

  it('the worker names a malformed variable and exits 78', async () => {
    const worker = spawnTs('services/worker/src/main.ts', { WORKER_CONCURRENCY: '-3' });
    const { code } = await worker.exited;
    expect(code).toBe(78);
    expect(worker.output()).toMatch(/WORKER_CONCURRENCY: /);
  }, 30_000);

  it('production: the worker refuses the development database password like the API', async () => {
    // A development URL of any role (the runtime role here) carries the published password.
    const worker = spawnTs('services/worker/src/main.ts', {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://osint_app:osint@db.internal:5432/osint',
    });
    const { code } = await worker.exited;
    const out = worker.output();
    expect(code).toBe(78);
    expect(out).toContain('worker: refusing to start, invalid configuration');
    expect(out).toMatch(/DATABASE_URL: uses the development default/);
  }, 30_000);
});
