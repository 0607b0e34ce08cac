import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { repoRoot, spawnTracked } from '../support/processes.js';

/**
 * The development runner of the API and worker (scripts/dev/hot-runner.ts), on a small service written
 * for the test: it serves a message from a second module, imports a third-party package (preloaded by the
 * stand-by) and a workspace package (bundled from source). Saves reload it; a save that does not compile
 * keeps the old code serving; test files do not restart it; SIGTERM leaves no process behind.
 */

const dir = path.join(repoRoot, '.data', 'tmp', `hot-runner-${process.pid}`);
const src = path.join(dir, 'src');

const mainTs = `
import { createServer } from 'node:http';
import { z } from 'zod';
import { isSelectorType } from '@osint/core';
import { message } from './message.js';

const port = z.coerce.number().int().parse(process.env.HOT_TEST_PORT);
const server = createServer((_req, res) => {
  res.end(JSON.stringify({ message, pid: process.pid, workspace: isSelectorType('domain'), url: import.meta.url }));
});
server.listen(port, '127.0.0.1', () => console.log('fixture listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const message = (text: string) => `export const message = ${JSON.stringify(text)};\n`;

async function get(
  port: number,
): Promise<{ message: string; pid: number; workspace: boolean; url: string } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
    return (await res.json()) as { message: string; pid: number; workspace: boolean; url: string };
  } catch {
    return null;
  }
}

async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hot runner', () => {
  it('reloads on save, keeps serving through a broken save, ignores test files and leaves nothing behind', async () => {
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'message.ts'), message('one'));
    writeFileSync(path.join(src, 'main.ts'), mainTs);
    const port = await freePort();
    const runner = spawnTracked(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        'scripts/dev/hot-runner.ts',
        '--name',
        'hot-fixture',
        '--out',
        path.join(dir, 'out'),
        path.relative(repoRoot, path.join(src, 'main.ts')),
      ],
      { HOT_TEST_PORT: String(port), HOT_DEBUG: '1', SHUTDOWN_GRACE_MS: '1000' },
      { detached: true },
    );
    const group = runner.child.pid as number;
    try {
      const first = await until(async () => (await get(port))?.message === 'one' && get(port), 60_000, 'one');
      expect(first.workspace).toBe(true); // @osint/core bundled from source
      // import.meta.url names the file it is written in, not the bundle.
      expect(first.url).toBe(`file://${path.join(src, 'main.ts')}`);

      // A save reloads, in a new process.
      await runner.waitFor(/stand-by preloaded [1-9]\d* packages/, 60_000);
      writeFileSync(path.join(src, 'message.ts'), message('two'));
      const second = await until(
        async () => (await get(port))?.message === 'two' && get(port),
        60_000,
        'two',
      );
      expect(second.pid).not.toBe(first.pid);

      // A save that does not compile: the error is printed and the previous code keeps serving.
      writeFileSync(path.join(src, 'message.ts'), 'export const message = ;\n');
      await runner.waitFor(/does not build; the running process keeps serving/, 30_000);
      expect((await get(port))?.message).toBe('two');

      writeFileSync(path.join(src, 'message.ts'), message('three'));
      const third = await until(
        async () => (await get(port))?.message === 'three' && get(port),
        60_000,
        'three',
      );

      // A test file is not part of the service: no restart.
      const restarts = runner.output().match(/restarting hot-fixture/g)?.length ?? 0;
      writeFileSync(path.join(src, 'message.test.ts'), '// not part of the bundle\n');
      await new Promise((r) => setTimeout(r, 1_500));
      expect(runner.output().match(/restarting hot-fixture/g)?.length ?? 0).toBe(restarts);
      expect((await get(port))?.pid).toBe(third.pid);
    } finally {
      runner.child.kill('SIGTERM');
      const exit = await Promise.race([
        runner.exited,
        new Promise<null>((r) => setTimeout(() => r(null), 20_000)),
      ]);
      expect(exit?.code, runner.output().slice(-2000)).toBe(0);
    }
    // Neither the service nor the stand-by outlives the runner.
    await until(
      async () => {
        try {
          process.kill(-group, 0);
          return false;
        } catch {
          return true;
        }
      },
      10_000,
      'the process group to be empty',
    );
  }, 240_000);
});
