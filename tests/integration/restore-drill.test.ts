/**
 * Restore drill (issue 7): the development seed is backed up with `db:backup`'s code, restored into a new
 * database with `db:restore`'s code, and every table must come back with the same row count and the same
 * content checksum (md5 over the rows' text, ordered). Also: a non-empty target is refused, a damaged dump
 * is refused before the server is touched, a dump from before the newest migration is migrated forward,
 * and the CronJob's shell script (k8s/components/backup/backup.sh) writes a dump the restore accepts.
 *
 * Needs pg_dump/pg_restore 15+ (Debian's postgresql-client, installed by .ci/run); without them the
 * file fails with the package to install.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MIGRATIONS_FOLDER, runMigrations, seedDevelopment } from '@osint/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backupDatabase } from '../../scripts/db/backup.js';
import { findPgTool, libpqConnection, withDatabase } from '../../scripts/db/pg-tools.js';
import { RestoreRefused, restoreDatabase } from '../../scripts/db/restore.js';
import { FixableError } from '../../scripts/lib/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

let source: TestDatabase;
let workDir: string;
let dumpFile: string;
const created: string[] = [];
const adminUrl = () => inject('pgAdminUrl');

function requireTool(tool: 'pg_dump' | 'pg_restore'): void {
  try {
    findPgTool(tool);
  } catch (error) {
    if (error instanceof FixableError) throw new Error(`${error.message} — ${error.fix}`);
    throw error;
  }
}

/** A database name of this file's own, dropped afterwards. */
function scratchDatabase(suffix: string): string {
  const name = `${source.name}_${suffix}`;
  created.push(name);
  return name;
}

interface TableFingerprint {
  rows: number;
  md5: string;
}

/** Row count and content checksum of every table in the application schemas (public and drizzle). */
async function fingerprint(url: string): Promise<Record<string, TableFingerprint>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ schema: string; name: string }[]>`
      select schemaname as schema, tablename as name from pg_tables
      where schemaname in ('public', 'drizzle') order by 1, 2`;
    const result: Record<string, TableFingerprint> = {};
    for (const { schema, name } of tables) {
      const qualified = `"${schema}"."${name}"`;
      const [row] = await sql.unsafe<{ rows: number; md5: string }[]>(
        `select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5
         from ${qualified} t`,
      );
      result[`${schema}.${name}`] = { rows: row?.rows ?? -1, md5: row?.md5 ?? '' };
    }
    // Identity/serial positions too: a restored database must not hand out ids that already exist.
    const sequences = await sql<{ name: string; last: string | null }[]>`
      select schemaname || '.' || sequencename as name, last_value::text as last from pg_sequences
      where schemaname in ('public', 'drizzle') order by 1`;
    for (const s of sequences) result[`sequence ${s.name}`] = { rows: 0, md5: s.last ?? 'null' };
    return result;
  } finally {
    await sql.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    return rows.length > 0;
  } finally {
    await sql.end();
  }
}

beforeAll(async () => {
  requireTool('pg_dump');
  requireTool('pg_restore');
  source = await createTestDatabase();
  const seeded = await seedDevelopment(source.client.db);
  expect(seeded.total).toBeGreaterThan(300);
  workDir = mkdtempSync(path.join(tmpdir(), 'osint-restore-drill-'));
  const backup = await backupDatabase({
    url: source.url,
    dir: path.join(workDir, 'backups'),
    keep: 3,
    maxAgeDays: 0,
  });
  dumpFile = backup.file;
}, 120_000);

afterAll(async () => {
  const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  for (const name of created) await sql.unsafe(`drop database if exists "${name}" with (force)`);
  await sql.end();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('restore drill', () => {
  it('backup → restore into a new database: every table has the same row count and checksum', async () => {
    const target = withDatabase(source.url, scratchDatabase('restored'));
    const result = await restoreDatabase({ file: dumpFile, targetUrl: target });
    expect(result.migrationsApplied).toBe(0);
    const before = await fingerprint(source.url);
    const after = await fingerprint(target);
    expect(Object.keys(before).length).toBeGreaterThan(15);
    // The seed reached the tables that matter (not a drill over empty tables).
    for (const table of ['users', 'investigations', 'selectors', 'documents', 'mentions', 'audit_events']) {
      expect(before[`public.${table}`]?.rows, table).toBeGreaterThan(0);
    }
    expect(after).toEqual(before);
  });

  it('the backup is a timestamped custom-format dump with a sha256sum-compatible sidecar', () => {
    expect(path.basename(dumpFile)).toMatch(/^osint-t_\d+_[0-9a-f]+-\d{8}T\d{6}Z\.dump$/);
    expect(readFileSync(dumpFile).subarray(0, 5).toString()).toBe('PGDMP');
    const check = spawnSync('sha256sum', ['-c', `${path.basename(dumpFile)}.sha256`], {
      cwd: path.dirname(dumpFile),
      encoding: 'utf8',
    });
    expect(check.stdout).toMatch(/: OK/);
  });

  it('refuses to restore over a non-empty database, and changes nothing', async () => {
    const before = await fingerprint(source.url);
    await expect(restoreDatabase({ file: dumpFile, targetUrl: source.url })).rejects.toThrow(
      /is not empty .*refusing/,
    );
    expect(await fingerprint(source.url)).toEqual(before);
  });

  it('--force drops and re-creates a non-empty target', async () => {
    const name = scratchDatabase('forced');
    const target = withDatabase(source.url, name);
    await restoreDatabase({ file: dumpFile, targetUrl: target });
    const sql = postgres(target, { max: 1, onnotice: () => {} });
    await sql`create table leftover (x int)`;
    await sql.end();
    await restoreDatabase({ file: dumpFile, targetUrl: target, force: true });
    const after = await fingerprint(target);
    expect(after['public.leftover']).toBeUndefined();
    expect(after['public.users']).toEqual((await fingerprint(source.url))['public.users']);
  });

  it('refuses a dump whose checksum does not match, before touching the server', async () => {
    const dir = path.join(workDir, 'damaged');
    mkdirSync(dir);
    const copy = path.join(dir, path.basename(dumpFile));
    cpSync(dumpFile, copy);
    cpSync(`${dumpFile}.sha256`, `${copy}.sha256`);
    const bytes = readFileSync(copy);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    writeFileSync(copy, bytes);
    const name = scratchDatabase('damaged');
    const attempt = restoreDatabase({ file: copy, targetUrl: withDatabase(source.url, name) });
    await expect(attempt).rejects.toBeInstanceOf(RestoreRefused);
    await expect(attempt).rejects.toThrow(/checksum mismatch/);
    expect(await databaseExists(name)).toBe(false);
  });

  it('refuses a dump without its checksum file', async () => {
    const copy = path.join(workDir, 'no-sidecar.dump');
    cpSync(dumpFile, copy);
    await expect(
      restoreDatabase({ file: copy, targetUrl: withDatabase(source.url, scratchDatabase('nosidecar')) }),
    ).rejects.toThrow(/\.sha256 is missing/);
  });

  it('a dump taken before the newest migration is migrated forward after the restore', async () => {
    // A database migrated with every migration but the last, as an older release would have left it.
    const olderFolder = path.join(workDir, 'older-migrations');
    cpSync(MIGRATIONS_FOLDER, olderFolder, { recursive: true });
    const journalFile = path.join(olderFolder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
    const newest = journal.entries.pop();
    writeFileSync(journalFile, JSON.stringify(journal));
    const oldName = scratchDatabase('old');
    const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${oldName}"`);
    await admin.end();
    const oldUrl = withDatabase(source.url, oldName);
    await runMigrations(oldUrl, olderFolder);
    const backup = await backupDatabase({
      url: oldUrl,
      dir: path.join(workDir, 'old-backups'),
      keep: 1,
      maxAgeDays: 0,
    });

    const target = withDatabase(source.url, scratchDatabase('forward'));
    const result = await restoreDatabase({ file: backup.file, targetUrl: target });
    expect(result.migrationsInDump).toBe(journal.entries.length);
    expect(result.migrationsApplied).toBe(1);
    const sql = postgres(target, { max: 1, onnotice: () => {} });
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await sql.end();
    expect(row?.n).toBe(journal.entries.length + 1);
    expect(newest?.tag).toBeDefined();
  });

  it('retention keeps the newest backups only', async () => {
    const dir = path.join(workDir, 'retention');
    for (let i = 0; i < 4; i++) {
      await backupDatabase({
        url: source.url,
        dir,
        keep: 2,
        maxAgeDays: 0,
        now: new Date(Date.UTC(2026, 0, 1 + i)),
      });
    }
    expect(readdirSync(dir).sort()).toEqual(
      [
        `osint-${source.name}-20260103T000000Z.dump`,
        `osint-${source.name}-20260103T000000Z.dump.sha256`,
        `osint-${source.name}-20260104T000000Z.dump`,
        `osint-${source.name}-20260104T000000Z.dump.sha256`,
      ].sort(),
    );
  });

  it("the CronJob's backup.sh writes a dump that db:restore verifies and restores", async () => {
    const script = path.resolve('k8s/components/backup/backup.sh');
    const dir = path.join(workDir, 'cronjob');
    mkdirSync(dir);
    const { dbname, env } = libpqConnection(source.url);
    const out = spawnSync('sh', [script], {
      encoding: 'utf8',
      env: {
        PATH: `${path.dirname(findPgTool('pg_dump'))}:${process.env.PATH}`,
        ...env,
        DATABASE_URL: dbname,
        BACKUP_DIR: dir,
        BACKUP_KEEP: '2',
        BACKUP_MAX_AGE_DAYS: '30',
      },
    });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const dumps = readdirSync(dir).filter((f) => f.endsWith('.dump'));
    expect(dumps).toHaveLength(1);
    const target = withDatabase(source.url, scratchDatabase('fromcron'));
    await restoreDatabase({ file: path.join(dir, dumps[0] ?? ''), targetUrl: target });
    expect(await fingerprint(target)).toEqual(await fingerprint(source.url));
  });

  describe('the password reaches pg_dump through the environment, never its command line', () => {
    /** A login of this file's own, member of the backup role, with a password found nowhere else. */
    let login: { name: string; password: string };
    let recorder: { dir: string; log: string };

    beforeAll(async () => {
      login = {
        name: `bk_${randomBytes(4).toString('hex')}`,
        password: `pw${randomBytes(12).toString('hex')}`,
      };
      const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
      await sql.unsafe(`create role "${login.name}" login password '${login.password}' in role osint_backup`);
      await sql.end();
      // A `pg_dump` that records its argv and whether PGPASSWORD was set, then runs the real one.
      const dir = path.join(workDir, 'recorder');
      mkdirSync(dir);
      const log = path.join(dir, 'calls.log');
      writeFileSync(
        path.join(dir, 'pg_dump'),
        `#!/bin/sh\nprintf 'argv:%s\\n' "$*" >>'${log}'\nprintf 'pgpassword:%s\\n' "\${PGPASSWORD:+set}" >>'${log}'\nexec '${findPgTool('pg_dump')}' "$@"\n`,
      );
      chmodSync(path.join(dir, 'pg_dump'), 0o755);
      recorder = { dir, log };
    });

    afterAll(async () => {
      const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop owned by "${login.name}"`).catch(() => {});
      await sql.unsafe(`drop role if exists "${login.name}"`);
      await sql.end();
    });

    const loginUrl = (query = '') => {
      const url = new URL(source.url);
      url.username = login.name;
      url.password = login.password;
      return `${url.toString()}${query}`;
    };
    const calls = () => readFileSync(recorder.log, 'utf8');

    it('db:backup (scripts/db/backup.ts), with the password in the URL or a password= parameter', async () => {
      const previous = process.env.PG_DUMP;
      process.env.PG_DUMP = path.join(recorder.dir, 'pg_dump');
      try {
        for (const url of [
          loginUrl(),
          `${loginUrl().replace(`:${login.password}@`, '@')}?password=${login.password}`,
        ]) {
          writeFileSync(recorder.log, '');
          const result = await backupDatabase({
            url,
            dir: path.join(workDir, 'argv'),
            keep: 5,
            maxAgeDays: 0,
          });
          expect(result.bytes).toBeGreaterThan(0);
          const log = calls();
          // The dump itself ran (not only `--version`), with the password set in its environment.
          expect(log).toMatch(/argv:--format=custom .*postgres/);
          expect(log).toContain('pgpassword:set');
          expect(log).not.toContain(login.password);
        }
      } finally {
        if (previous === undefined) delete process.env.PG_DUMP;
        else process.env.PG_DUMP = previous;
      }
    });

    it("the CronJob's backup.sh takes PGPASSWORD and refuses a URL that carries a password", () => {
      const script = path.resolve('k8s/components/backup/backup.sh');
      const run = (databaseUrl: string, extra: NodeJS.ProcessEnv = {}) =>
        spawnSync('sh', [script], {
          encoding: 'utf8',
          env: {
            PATH: `${recorder.dir}:${path.dirname(findPgTool('pg_dump'))}:${process.env.PATH}`,
            DATABASE_URL: databaseUrl,
            BACKUP_DIR: path.join(workDir, 'argv-cron'),
            ...extra,
          },
        });
      writeFileSync(recorder.log, '');
      const refused = run(loginUrl());
      expect(refused.status).toBe(64);
      expect(refused.stderr).toContain('DATABASE_URL carries a password');
      expect(refused.stderr).not.toContain(login.password);
      expect(run(`${loginUrl().replace(`:${login.password}@`, '@')}?password=${login.password}`).status).toBe(
        64,
      );
      expect(calls()).toBe('');

      const ok = run(loginUrl().replace(`:${login.password}@`, '@'), { PGPASSWORD: login.password });
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(calls()).toContain('pgpassword:set');
      expect(calls()).not.toContain(login.password);
    });
  });
});
