/**
 * The processes `npm run bench` and `npm run bench:loop` measure: a project-local PostgreSQL 15 (the tuned
 * docker/postgres/postgresql.conf, data kept in .data/bench/postgres so the 1M-row data set is generated
 * once), a throw-away Redis, and the API as `npm start` runs it. Loopback only, free ports, and every
 * process is stopped by its own id (process group) when the run ends.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { hotRunner } from '../dev/hot-runner-command.js';
import { freePort } from '../lib/ports.js';
import { embeddedLibDir, loadNativeServerSettings } from '../lib/postgres-config.js';
import { startLocalPostgres } from '../lib/postgres-provider.js';
import { startLocalRedis } from '../lib/redis-provider.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Backends {
  databaseUrl: string;
  redisUrl: string;
  /** The postmaster's pid: its children are the backends whose CPU time the bench accounts. */
  postgresPid?: number;
  stop(): Promise<void>;
}

/** PostgreSQL (persistent under dataDir) and Redis (ephemeral), both on free loopback ports. */
export async function startBackends(dataDir: string, log: (line: string) => void): Promise<Backends> {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  chmodSync(dataDir, 0o755);
  const settings = loadNativeServerSettings({ libDir: await embeddedLibDir(), onNote: log });
  const pg = await startLocalPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    persistent: true,
    settings,
    onLog: (line) => {
      if (/FATAL|PANIC/.test(line)) log(`[postgres] ${line}`);
    },
  });
  const redisDir = mkdtempSync(path.join(tmpdir(), 'osint-bench-redis-'));
  chmodSync(redisDir, 0o755);
  let redis: Awaited<ReturnType<typeof startLocalRedis>>;
  try {
    redis = await startLocalRedis({ dataDir: redisDir, port: await freePort(), persistent: false });
  } catch (error) {
    await pg.stop();
    throw error;
  }
  return {
    databaseUrl: pg.url,
    redisUrl: redis.url,
    ...(pg.process.pid ? { postgresPid: pg.process.pid } : {}),
    stop: async () => {
      await redis.stop().catch(() => {});
      await pg.stop().catch(() => {});
      rmSync(redisDir, { recursive: true, force: true });
    },
  };
}

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed (bounded), for error messages and reload detection. */
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Compiles the API and the workspaces it imports (contracts, db, core, writes) to their dist/ directories with the
 * workspaces' own `build` scripts (tsc -b), as the production image does (docker/api.Dockerfile).
 */
export function buildApi(log: (line: string) => void): void {
  const started = performance.now();
  const out = spawnSync(
    'npm',
    [
      'run',
      'build',
      '-w',
      'packages/contracts',
      '-w',
      'db',
      '-w',
      'services/core',
      '-w',
      'packages/writes',
      '-w',
      'services/api',
    ],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (out.status !== 0)
    throw new Error(`building the API failed:\n${(out.stdout + out.stderr).slice(-2000)}`);
  log(
    `compiled contracts, db, core, writes and api in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/**
 * A login role of the bench's own with a fresh random password, member of the database owner: production
 * mode refuses the published development password (ADR 0021), and the bench's PostgreSQL keeps its data
 * (and so its roles) between runs. Returns `url` logged in as that role.
 */
export async function productionDatabaseUrl(url: string): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ owner } = { owner: '' }] = await sql<{ owner: string }[]>`select current_user as owner`;
    const [exists] = await sql`select 1 from pg_roles where rolname = 'osint_bench_api'`;
    if (!exists) await sql.unsafe('create role osint_bench_api login');
    await sql.unsafe(`alter role osint_bench_api password '${password}'`);
    await sql.unsafe(`grant "${owner.replaceAll('"', '""')}" to osint_bench_api`);
  } finally {
    await sql.end();
  }
  const parsed = new URL(url);
  parsed.username = 'osint_bench_api';
  parsed.password = password;
  return parsed.toString();
}

/**
 * Starts the API in its own process group, so stopping it also stops its children (tsx's, the cluster's
 * workers). `production`: the compiled dist/main.js under NODE_ENV=production, as the image runs it
 * (call buildApi first); otherwise like `npm start` does (the hot runner when watch is set, else plain
 * tsx, NODE_ENV=development). Resolves once /readyz answers 200.
 */
export async function startApi(opts: {
  databaseUrl: string;
  redisUrl: string;
  watch?: boolean;
  production?: boolean;
  logLevel?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<ApiProcess> {
  const port = await freePort();
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const { command, args } = opts.production
    ? { command: process.execPath, args: ['services/api/dist/main.js'] }
    : opts.watch
      ? hotRunner('api', 'services/api/src/main.ts')
      : { command: tsx, args: ['--conditions=source', 'services/api/src/main.ts'] };
  const child = spawn(command, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: opts.production ? 'production' : 'development',
      ...(opts.production ? { SESSION_SECRET: randomBytes(32).toString('hex') } : {}),
      LOG_LEVEL: opts.logLevel ?? 'warn',
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      SHUTDOWN_GRACE_MS: '1000',
      ...opts.env,
    },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
      const pid = child.pid;
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        resolve();
      }
    });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited during start-up:\n${output.slice(-2000)}`);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not become ready in 90 s:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, output: () => output, stop };
}

/** Signs in as the seed user and mints a personal token (the same calls a k6 setup() makes). */
export async function mintToken(apiUrl: string, email: string, password: string): Promise<string> {
  const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`login as ${email} answered ${login.status}: ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const created = await fetch(`${apiUrl}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ name: `bench ${new Date().toISOString()}`, expiresInDays: 1 }),
  });
  if (created.status !== 201)
    throw new Error(`creating a token answered ${created.status}: ${await created.text()}`);
  return ((await created.json()) as { token: string }).token;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux everywhere in practice). */
const TICKS = 100;

/**
 * CPU seconds (user + system) used so far by the processes matching: a process group (the API under
 * tsx) or the children of a parent pid (PostgreSQL backends) plus the parent. Linux only; 0 elsewhere.
 * Wall-clock figures on a shared machine depend on what else runs; CPU time per request does much less.
 */
export function cpuSeconds(match: { pgid?: number; parent?: number }): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const pgrp = Number(fields[2]);
    const selected =
      (match.pgid !== undefined && pgrp === match.pgid) ||
      (match.parent !== undefined && (ppid === match.parent || Number(pid) === match.parent));
    if (selected) ticks += Number(fields[11]) + Number(fields[12]);
    // The parent's reaped children (backends of connections already closed, e.g. pgbench's) count too.
    if (match.parent !== undefined && Number(pid) === match.parent)
      ticks += Number(fields[13]) + Number(fields[14]);
  }
  return ticks / TICKS;
}
