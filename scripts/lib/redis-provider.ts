import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { FixableError } from './errors.js';
import { isPortFree, waitForPort } from './ports.js';

export interface LocalRedisOptions {
  dataDir: string;
  port: number;
  /** Append-only persistence for `npm start`; tests run purely in memory. */
  persistent: boolean;
  onLog?: (line: string) => void;
  /**
   * Own process group: a Ctrl-C in the terminal (SIGINT to the foreground group) does not reach the
   * server, so it stays up while the app processes drain against it and is stopped last by its owner.
   */
  ownProcessGroup?: boolean;
}

export interface LocalRedis {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function findRedisServer(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** The exact command a developer runs when redis-server is missing and we cannot install it ourselves. */
export function redisInstallHint(): string {
  if (process.platform === 'darwin') return 'brew install redis';
  return 'sudo apt-get install -y redis-server   (or your distribution’s redis package, version 7)';
}

/**
 * Makes sure `redis-server` is on the PATH: installs Debian's package when we are root with apt-get, or
 * Homebrew's formula on macOS, and otherwise stops with the exact command to run.
 */
export function ensureRedisServer(log: (line: string) => void = () => {}): string {
  const existing = findRedisServer();
  if (existing) return existing;
  const isRoot = process.getuid?.() === 0;
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  try {
    if (process.platform === 'linux' && isRoot && has('apt-get')) {
      log('redis-server is missing: installing Debian package redis-server (apt-get)…');
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], {
        stdio: 'ignore',
        env,
      });
    } else if (process.platform === 'darwin' && has('brew')) {
      log('redis-server is missing: installing with Homebrew…');
      execFileSync('brew', ['install', 'redis'], { stdio: 'inherit' });
    }
  } catch {
    // fall through to the message below
  }
  const installed = findRedisServer();
  if (installed) return installed;
  throw new FixableError('redis-server (Redis 7) is not installed', `install it: ${redisInstallHint()}`);
}

/** Starts a project-owned Redis on a non-default port, with `noeviction` as the queues require. */
export async function startLocalRedis(opts: LocalRedisOptions): Promise<LocalRedis> {
  const bin = ensureRedisServer(opts.onLog);
  if (!(await isPortFree(opts.port))) {
    throw new FixableError(
      `port ${opts.port} (Redis) is taken by another program`,
      `free it (\`ss -ltnp 'sport = :${opts.port}'\` shows who holds it) or set REDIS_PORT to another port`,
    );
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    '--port',
    String(opts.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    opts.dataDir,
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--appendonly',
    opts.persistent ? 'yes' : 'no',
    '--loglevel',
    'warning',
  ];
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownProcessGroup ?? false,
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) opts.onLog?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new FixableError(`redis-server exited with code ${code}`, 'see its log lines above')),
    ),
  );
  await Promise.race([waitForPort(opts.port, '127.0.0.1', 15_000), exited]);
  exited.catch(() => {});
  return {
    url: `redis://127.0.0.1:${opts.port}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 4_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
