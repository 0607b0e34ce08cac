import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { repoRoot, spawnTracked } from '../support/processes.js';

/**
 * The development runner of the API and worker (scripts/dev/hot-runner.ts), on a small service written
 * for the test: it serves a message from a second module, imports a third-party package (preloaded by the
 * stand-by) and a workspace package (bundled from source), and answers /readyz. The runner owns the
 * public port and forwards to the process serving. Saves reload it without a failed request; a save that
 * does not compile, one that compiles but crashes at start-up, and one whose process never gets ready all
 * keep the old process serving; test files do not restart it; SIGTERM leaves no process behind.
 */

const dir = path.join(repoRoot, '.data', 'tmp', `hot-runner-${process.pid}`);
const src = path.join(dir, 'src');

const mainTs = `
import { createServer } from 'node:http';
import { z } from 'zod';
import { refang } from '@osint/core';
import { message } from './message.js';

const port = z.coerce.number().int().parse(process.env.HOT_TEST_PORT);
const server = createServer((req, res) => {
  if (req.url === '/readyz') {
    res.statusCode = message === 'never-ready' ? 503 : 200;
    res.end();
    return;
  }
  res.end(JSON.stringify({ message, pid: process.pid, workspace: refang('example[.]org') === 'example.org', url: import.meta.url }));
});
server.listen(port, process.env.HOT_TEST_HOST, () => console.log('fixture listening'));
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

function getOnNewConnection(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
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
  it('reloads on save without a failed request; a broken save, a start-up crash and a never-ready process keep the old one serving; ignores test files; leaves nothing behind', async () => {
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
        '--port-env',
        'HOT_TEST_PORT',
        '--host-env',
        'HOT_TEST_HOST',
        '--ready',
        '/readyz',
        '--out',
        path.join(dir, 'out'),
        path.relative(repoRoot, path.join(src, 'main.ts')),
      ],
      {
        HOT_TEST_PORT: String(port),
        HOT_TEST_HOST: '127.0.0.1',
        HOT_DEBUG: '1',
        SHUTDOWN_GRACE_MS: '1000',
        HOT_READY_TIMEOUT_MS: '8000',
      },
      { detached: true },
    );
    const group = runner.child.pid as number;
    try {
      const first = await until(async () => (await get(port))?.message === 'one' && get(port), 60_000, 'one');
      expect(first.workspace).toBe(true); // @osint/core bundled from source
      // import.meta.url names the file it is written in, not the bundle.
      expect(first.url).toBe(`file://${path.join(src, 'main.ts')}`);

      // A save reloads, in a new process, and no request fails meanwhile: the old process serves until
      // the new one is ready.
      await runner.waitFor(/stand-by preloaded [1-9]\d* packages/, 60_000);
      // Each poll on a new connection: that is what the runner guarantees (every connection finds a
      // process serving). A request on a kept-alive connection can still meet the old process closing it
      // idle, the ordinary keep-alive race that HTTP clients retry.
      let failed = 0;
      let answered = 0;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          if (await getOnNewConnection(port)) answered++;
          else failed++;
        }
      })();
      writeFileSync(path.join(src, 'message.ts'), message('two'));
      const second = await until(
        async () => (await get(port))?.message === 'two' && get(port),
        60_000,
        'two',
      );
      polling = false;
      await poller;
      expect(second.pid).not.toBe(first.pid);
      expect({ failed, answeredSome: answered > 0 }).toEqual({ failed: 0, answeredSome: true });

      // A save that does not compile: the error is printed and the previous code keeps serving.
      writeFileSync(path.join(src, 'message.ts'), 'export const message = ;\n');
      await runner.waitFor(/does not build; the running process keeps serving/, 30_000);
      expect((await get(port))?.message).toBe('two');

      // A save that compiles but crashes at start-up: the new process dies, the old one never stopped.
      writeFileSync(path.join(src, 'message.ts'), `throw new Error('boom at start-up');\n${message('x')}`);
      await runner.waitFor(
        /hot-fixture crashed at start-up \(code 1\); the running process keeps serving/,
        60_000,
      );
      expect(await get(port)).toMatchObject({ message: 'two', pid: second.pid });

      // A save whose process starts but never gets ready (/readyz 503): given up after
      // HOT_READY_TIMEOUT_MS, the old process still serving.
      writeFileSync(path.join(src, 'message.ts'), message('never-ready'));
      await runner.waitFor(
        /hot-fixture was not ready within 8 s \(\/readyz answered 503\); the running process keeps serving/,
        60_000,
      );
      expect(await get(port)).toMatchObject({ message: 'two', pid: second.pid });

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
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- runner output ---\n${runner.output().slice(-3000)}`);
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
