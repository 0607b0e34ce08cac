import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { FixableError } from '../lib/errors.js';

/** The client tools the backup scripts run; all come from Debian's `postgresql-client` (15). */
export type PgTool = 'pg_dump' | 'pg_restore' | 'psql' | 'pgbench';

/** The Debian package that ships each tool (pgbench comes with the server package on Debian 12). */
export const PG_TOOL_PACKAGE: Record<PgTool, string> = {
  pg_dump: 'postgresql-client',
  pg_restore: 'postgresql-client',
  psql: 'postgresql-client',
  pgbench: 'postgresql-15 (Debian 12; postgresql-contrib on older releases)',
};

/** The server major the project runs (docs/conventions.md); pg_dump must be at least this version. */
export const SERVER_MAJOR = 15;

function majorOf(binary: string): number | undefined {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(out.stdout) ?? /\s(\d+)(?:\.\d+)+/.exec(out.stdout);
  return match ? Number(match[1]) : undefined;
}

/**
 * Finds a PostgreSQL client tool of major version ≥ 15: `$<TOOL>` (e.g. PG_DUMP=/path/to/pg_dump), then
 * Debian's versioned directories (/usr/lib/postgresql/<major>/bin, newest first), then the PATH. Debian's
 * /usr/bin wrappers pick the newest installed version, which is what we want too.
 */
export function findPgTool(tool: PgTool): string {
  const candidates: string[] = [];
  const fromEnv = process.env[tool.toUpperCase()];
  if (fromEnv) candidates.push(fromEnv);
  for (const major of [18, 17, 16, 15]) candidates.push(`/usr/lib/postgresql/${major}/bin/${tool}`);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    candidates.push(path.join(dir, tool));
  }
  const seen: string[] = [];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const major = majorOf(candidate);
    if (major !== undefined && major >= SERVER_MAJOR) return candidate;
    seen.push(`${candidate} (${major ?? 'unknown'} version)`);
  }
  throw new FixableError(
    seen.length > 0
      ? `${tool} ${SERVER_MAJOR} or newer is needed; found only ${seen.join(', ')}`
      : `${tool} (PostgreSQL ${SERVER_MAJOR} client tools) is not installed`,
    `install Debian's ${PG_TOOL_PACKAGE[tool]} package (\`sudo apt-get install -y ${PG_TOOL_PACKAGE[tool].split(' ')[0]}\`; .ci/run does this), Homebrew's libpq on macOS, or set ${tool.toUpperCase()}=/path/to/${tool}`,
  );
}

/**
 * libpq environment for a connection URL, so the password never appears on a command line (`ps` and
 * /proc/<pid>/cmdline show arguments to every user of the machine; a process's environment only to its
 * own user). Returns the URL without its password (in the user-info part or a `password=` parameter, both
 * of which libpq accepts) plus PGPASSWORD. tests/integration/restore-drill.test.ts records pg_dump's argv.
 */
export function libpqConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password) || (parsed.searchParams.get('password') ?? '');
  parsed.password = '';
  parsed.searchParams.delete('password');
  const env: NodeJS.ProcessEnv = { PGCONNECT_TIMEOUT: '10' };
  if (password) env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env };
}

/** The URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** Hex SHA-256 of a file, streamed (dumps can be large). */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The `sha256sum` line for a file (`<hex>  <basename>`), so `sha256sum -c file.sha256` works too. */
export function checksumLine(hex: string, file: string): string {
  return `${hex}  ${path.basename(file)}\n`;
}

/** Reads a `sha256sum`-style sidecar; returns the hex digest it records for `file`. */
export function parseChecksumLine(text: string, file: string): string {
  const match = /^([0-9a-f]{64})\s+\*?(.+)$/m.exec(text.trim());
  if (!match) throw new Error('the checksum file is not in `sha256sum` format');
  if (match[2] !== path.basename(file)) {
    throw new Error(`the checksum file names ${match[2]}, not ${path.basename(file)}`);
  }
  return match[1] ?? '';
}

export interface RunResult {
  code: number;
  stderr: string;
}

/** Runs a client tool; stderr is collected (and passed to onStderr) for the error message. */
export function runTool(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onStderr?: (line: string) => void,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr += text;
      for (const line of text.split('\n')) if (line.trim()) onStderr?.(line);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}
