import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Spawned {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Runs a TypeScript entry point the way `npm start` does (node + tsx loader, `source` condition). */
export function spawnTs(entry: string, env: NodeJS.ProcessEnv, opts: { detached?: boolean } = {}): Spawned {
  // One API process unless the test asks for more (API_PROCESSES defaults to one per CPU): a test about
  // something else should not pay for starting a cluster (tests/integration/api-cluster.test.ts does).
  return spawnTracked(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', entry],
    { API_PROCESSES: '1', ...env },
    opts,
  );
}

export function spawnTracked(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { detached?: boolean } = {},
): Spawned {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    detached: opts.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${out.slice(-3000)}`),
          );
        }, timeoutMs);
        listeners.add(check);
        exited.then(() => {
          if (!pattern.test(out)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited before ${pattern}; output:\n${out.slice(-3000)}`));
          }
        });
        check();
      });
    },
  };
}

/** Processes whose command line mentions `needle` (ps), for orphan checks. */
export function processesMatching(needle: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'))
    .map((l) => l.trim());
}
