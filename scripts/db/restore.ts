/**
 * `npm run db:restore` — restores a `db:backup` dump into a fresh database, then migrates it forward.
 *
 *   npm run db:restore -- <file.dump> [--database <name>] [--url postgres://…] [--force]
 *                         [--jobs N] [--skip-checksum] [--skip-migrations]
 *
 * 1. Verifies the dump: its `.sha256` sidecar must match (refuses otherwise), and `pg_restore --list`
 *    must read it. Nothing on the server is touched before this passes.
 * 2. The target is DATABASE_URL (or --url), with its database name replaced by --database when given. A
 *    missing database is created. One that holds any table is refused unless --force, which drops and
 *    re-creates it (`DROP DATABASE … WITH (FORCE)` disconnects its clients).
 * 3. pg_restore --no-owner --no-acl --exit-on-error, in one transaction (all or nothing), or with
 *    --jobs N in parallel for large dumps.
 * 4. Migrations forward: a dump taken before the newest migration gets the missing ones (advisory-locked
 *    like every migration run); a dump from newer code than this checkout is reported.
 * 5. ANALYZE, because pg_restore does not restore planner statistics.
 *
 * docs/runbooks/restore.md is the procedure around it (which backup, where to point the apps).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MIGRATIONS_FOLDER, runMigrations } from '@osint/db';
import postgres from 'postgres';
import { FixableError } from '../lib/errors.js';
import {
  databaseOf,
  findPgTool,
  libpqConnection,
  parseChecksumLine,
  runTool,
  sha256File,
  withDatabase,
} from './pg-tools.js';

export interface RestoreOptions {
  file: string;
  /** Where to restore: a URL whose database is the target (created when missing). */
  targetUrl: string;
  force?: boolean;
  jobs?: number;
  skipChecksum?: boolean;
  skipMigrations?: boolean;
  /** Migrations to apply forward (tests point this at a shorter history). */
  migrationsFolder?: string;
  log?: (line: string) => void;
}

export interface RestoreResult {
  database: string;
  migrationsInDump: number;
  migrationsApplied: number;
  tables: number;
  ms: number;
}

/** Thrown for refusals (bad checksum, non-empty target): nothing on the server was changed. */
export class RestoreRefused extends FixableError {}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function verifyDump(file: string, skipChecksum = false): Promise<void> {
  if (!existsSync(file)) throw new RestoreRefused(`${file}: no such file`, 'give the path of a .dump file');
  const sidecar = `${file}.sha256`;
  if (!skipChecksum) {
    if (!existsSync(sidecar)) {
      throw new RestoreRefused(
        `${sidecar} is missing, so the dump cannot be verified`,
        'copy the .sha256 file next to the dump, or pass --skip-checksum if you trust it',
      );
    }
    const expected = parseChecksumLine(readFileSync(sidecar, 'utf8'), file);
    const actual = await sha256File(file);
    if (actual !== expected) {
      throw new RestoreRefused(
        `checksum mismatch for ${path.basename(file)}: expected ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…`,
        'the file is damaged or incomplete: copy it again from the backup store, or restore an older backup',
      );
    }
  }
  const listed = await runTool(findPgTool('pg_restore'), ['--list', file], {});
  if (listed.code !== 0) {
    throw new RestoreRefused(
      `pg_restore cannot read ${path.basename(file)}: ${listed.stderr.trim().split('\n')[0]}`,
      'it is not a pg_dump custom-format archive (db:backup writes one), or it is damaged',
    );
  }
}

async function countMigrations(sql: postgres.Sql): Promise<number> {
  const [exists] = await sql<
    { t: string | null }[]
  >`select to_regclass('drizzle.__drizzle_migrations')::text as t`;
  if (!exists?.t) return 0;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return row?.n ?? 0;
}

function journalLength(folder: string): number {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** Prepares the target database: created when missing; refused when it holds tables, unless force. */
async function prepareTarget(targetUrl: string, force: boolean, log: (l: string) => void): Promise<void> {
  const database = databaseOf(targetUrl);
  const admin = postgres(withDatabase(targetUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin<
      { n: number }[]
    >`select count(*)::int as n from pg_database where datname = ${database}`;
    if (exists?.n) {
      const target = postgres(targetUrl, { max: 1, onnotice: () => {} });
      let tables = 0;
      try {
        const [row] = await target<{ n: number }[]>`
          select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
            and n.nspname not like 'pg_toast%'`;
        tables = row?.n ?? 0;
      } finally {
        await target.end({ timeout: 5 });
      }
      if (tables > 0 && !force) {
        throw new RestoreRefused(
          `database ${database} is not empty (${tables} tables); refusing to restore over it`,
          'restore into a new database (--database osint_restored), or pass --force to DROP and re-create it',
        );
      }
      if (tables > 0 || force) {
        log(`restore: dropping and re-creating ${database} (--force)`);
        await admin.unsafe(`drop database ${quoteIdent(database)} with (force)`);
        await admin.unsafe(`create database ${quoteIdent(database)}`);
      }
    } else {
      log(`restore: creating database ${database}`);
      await admin.unsafe(`create database ${quoteIdent(database)}`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export async function restoreDatabase(opts: RestoreOptions): Promise<RestoreResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  await verifyDump(opts.file, opts.skipChecksum);
  log(
    `restore: ${path.basename(opts.file)} verified${opts.skipChecksum ? ' (checksum skipped)' : ' (sha256 ok)'}`,
  );
  await prepareTarget(opts.targetUrl, opts.force ?? false, log);

  const { dbname, env } = libpqConnection(opts.targetUrl);
  const jobs = opts.jobs ?? 1;
  const args = ['--no-owner', '--no-acl', '--exit-on-error', `--dbname=${dbname}`];
  args.push(...(jobs > 1 ? [`--jobs=${jobs}`] : ['--single-transaction']), opts.file);
  const restored = await runTool(findPgTool('pg_restore'), args, env);
  if (restored.code !== 0) {
    throw new FixableError(
      `pg_restore failed: ${restored.stderr.trim().split('\n').slice(-3).join(' ')}`,
      jobs > 1
        ? 'the database may be partly restored: run again with --force'
        : 'nothing was restored (one transaction): fix the cause and run again',
    );
  }

  const sql = postgres(opts.targetUrl, { max: 1, onnotice: () => {} });
  try {
    const inDump = await countMigrations(sql);
    const folder = opts.migrationsFolder ?? MIGRATIONS_FOLDER;
    const known = journalLength(folder);
    let applied = 0;
    if (opts.skipMigrations) {
      log(
        `restore: the dump has ${inDump} migrations, this checkout ${known}; not migrating (--skip-migrations)`,
      );
    } else if (inDump > known) {
      log(
        `restore: WARNING the dump has ${inDump} migrations but this checkout knows ${known}: it comes from newer code; deploy that code (or newer) against it`,
      );
    } else {
      applied = (await runMigrations(opts.targetUrl, folder)).applied;
      log(`restore: the dump had ${inDump} of ${known} migrations; applied ${applied} forward`);
    }
    await sql`analyze`;
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
    const ms = Math.round(performance.now() - started);
    log(`restore: ${databaseOf(opts.targetUrl)} ready (${row?.n ?? 0} tables, analyzed) in ${ms} ms`);
    return {
      database: databaseOf(opts.targetUrl),
      migrationsInDump: inDump,
      migrationsApplied: applied,
      tables: row?.n ?? 0,
      ms,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      database: { type: 'string' },
      force: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      'skip-checksum': { type: 'boolean', default: false },
      'skip-migrations': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    throw new FixableError(
      'usage: npm run db:restore -- <file.dump> [--database name] [--force] [--jobs N]',
      'give exactly one dump file (db:backup writes them to .data/backups by default)',
    );
  }
  const base = values.url ?? process.env.DATABASE_URL ?? 'postgres://osint:osint@127.0.0.1:54320/osint';
  const targetUrl = values.database ? withDatabase(base, values.database) : base;
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new FixableError('--jobs must be an integer ≥ 1', `got ${values.jobs}`);
  await restoreDatabase({
    file,
    targetUrl,
    force: values.force,
    jobs,
    skipChecksum: values['skip-checksum'],
    skipMigrations: values['skip-migrations'],
    log: (line) => console.log(line),
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((error) => {
    if (error instanceof FixableError) {
      console.error(`✘ ${error.message}\n  fix: ${error.fix}`);
    } else {
      console.error(`✘ restore failed: ${(error as Error).message}`);
    }
    process.exit(error instanceof RestoreRefused ? 2 : 1);
  });
}
