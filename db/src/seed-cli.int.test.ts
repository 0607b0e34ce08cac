import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../tests/support/test-env.js';

/**
 * The seed's command line, run as `npm run db:seed` runs it (a tsx process against a fresh clone): what it
 * prints and that it refuses production. A process-level test (vitest.config.ts `processFiles`); the
 * seed's data set itself is checked in-process by seed.int.test.ts.
 */
describe('seed CLI', async () => {
  const { url } = await createTestDatabase();
  const run = promisify(execFile);
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsx = `${root}node_modules/.bin/tsx`;

  it('prints how many rows it wrote, then that it skipped', async () => {
    const env = { ...process.env, DATABASE_URL: url, NODE_ENV: 'development' };
    const args = ['--conditions=source', 'db/src/seed.cli.ts'];
    const first = await run(tsx, args, { cwd: root, env });
    const line = JSON.parse(first.stdout.trim()) as { msg: string; total: number };
    expect(line.msg).toMatch(/^seed wrote \d+ rows \(users 4, selectors \d+, investigations 3/);
    expect(line.total).toBeGreaterThan(300);
    const second = await run(tsx, args, { cwd: root, env });
    expect(JSON.parse(second.stdout.trim())).toMatchObject({
      msg: expect.stringMatching(/^seed skipped/),
      total: 0,
    });
  });

  it('refuses to run with NODE_ENV=production', async () => {
    const env = { ...process.env, DATABASE_URL: url, NODE_ENV: 'production' };
    const error = await run(tsx, ['--conditions=source', 'db/src/seed.cli.ts'], { cwd: root, env }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 78 });
    expect(error.stderr).toMatch(/refusing/);
  });
});
