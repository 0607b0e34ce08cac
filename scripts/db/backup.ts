/**
 * `npm run db:backup` — a pg_dump custom-format backup of DATABASE_URL, timestamped, with a `sha256sum`
 * sidecar, then retention. docs/runbooks/restore.md is the other half.
 *
 *   npm run db:backup -- [--dir .data/backups] [--keep 14] [--max-age-days 30] [--url postgres://…]
 *
 * Defaults come from BACKUP_DIR, BACKUP_KEEP, BACKUP_MAX_AGE_DAYS and DATABASE_URL. The dump is written
 * to `<name>.partial` and renamed only once pg_dump succeeded and the checksum is written, so a crash
 * never leaves a file that looks like a good backup. The k8s CronJob runs the same steps in shell
 * (k8s/components/backup/backup.sh).
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FixableError } from '../lib/errors.js';
import { checksumLine, databaseOf, findPgTool, libpqConnection, runTool, sha256File } from './pg-tools.js';
import { backupFileName, type RetentionPolicy, selectForDeletion, takenAtOf } from './retention.js';

export interface BackupOptions extends RetentionPolicy {
  url: string;
  dir: string;
  /** Clock for the file name (tests). */
  now?: Date;
  log?: (line: string) => void;
}

export interface BackupResult {
  file: string;
  checksumFile: string;
  sha256: string;
  bytes: number;
  ms: number;
  deleted: string[];
}

export async function backupDatabase(opts: BackupOptions): Promise<BackupResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const pgDump = findPgTool('pg_dump');
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const database = databaseOf(opts.url);
  const file = path.join(opts.dir, backupFileName(database, opts.now ?? new Date()));
  const partial = `${file}.partial`;
  const { dbname, env } = libpqConnection(opts.url);
  // -Fc: compressed, restorable table by table and in parallel (pg_restore -j), and checkable with
  // pg_restore --list. Owners and privileges are kept in the dump; restore.ts chooses to drop them.
  const dumped = await runTool(pgDump, ['--format=custom', '--compress=6', `--file=${partial}`, dbname], env);
  if (dumped.code !== 0) {
    rmSync(partial, { force: true });
    throw new FixableError(
      `pg_dump failed: ${dumped.stderr.trim().split('\n').slice(-2).join(' ')}`,
      'check DATABASE_URL (`npm run doctor`), that the server is up, and that pg_dump is at least the server version',
    );
  }
  const sha256 = await sha256File(partial);
  renameSync(partial, file);
  const checksumFile = `${file}.sha256`;
  writeFileSync(checksumFile, checksumLine(sha256, file), { mode: 0o600 });
  const bytes = statSync(file).size;
  log(`backup: ${file} (${(bytes / 1024 ** 2).toFixed(1)} MiB, sha256 ${sha256.slice(0, 12)}…)`);
  const deleted = pruneBackups(opts.dir, opts, opts.now);
  for (const name of deleted) log(`retention: deleted ${name}`);
  return { file, checksumFile, sha256, bytes, ms: Math.round(performance.now() - started), deleted };
}

/** Applies the retention policy to a directory of backups; returns the names deleted. */
export function pruneBackups(dir: string, policy: RetentionPolicy, now = new Date()): string[] {
  const files = readdirSync(dir).flatMap((name) => {
    const takenAt = takenAtOf(name);
    return takenAt ? [{ name, takenAt }] : [];
  });
  const doomed = selectForDeletion(files, policy, now);
  for (const name of doomed) {
    rmSync(path.join(dir, name), { force: true });
    rmSync(path.join(dir, `${name}.sha256`), { force: true });
  }
  return doomed;
}

function positiveInt(value: string | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new FixableError(`${name} must be an integer ≥ ${min}`, `got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      dir: { type: 'string' },
      keep: { type: 'string' },
      'max-age-days': { type: 'string' },
    },
    strict: true,
  });
  const url = values.url ?? process.env.DATABASE_URL ?? 'postgres://osint:osint@127.0.0.1:54320/osint';
  const result = await backupDatabase({
    url,
    dir: values.dir ?? process.env.BACKUP_DIR ?? '.data/backups',
    keep: positiveInt(values.keep ?? process.env.BACKUP_KEEP, 14, 'keep'),
    maxAgeDays: positiveInt(values['max-age-days'] ?? process.env.BACKUP_MAX_AGE_DAYS, 30, 'max-age-days', 0),
    log: (line) => console.log(line),
  });
  console.log(`backup: done in ${result.ms} ms; restore with: npm run db:restore -- ${result.file}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((error) => {
    if (error instanceof FixableError) {
      console.error(`✘ ${error.message}\n  fix: ${error.fix}`);
    } else {
      console.error(`✘ backup failed: ${(error as Error).message}`);
    }
    process.exit(1);
  });
}
