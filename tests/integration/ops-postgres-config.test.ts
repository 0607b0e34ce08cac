/**
 * The tuned docker/postgres/postgresql.conf is accepted by a real PostgreSQL 15 (the embedded binaries
 * native mode runs) exactly as `npm start` passes it: every value takes effect, pg_stat_statements is
 * preloaded and its extension can be created (what `npm run db:stats` does). A typo in the file, or a
 * value PostgreSQL 15 rejects, fails here instead of at someone's `npm start`.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { embeddedLibDir, loadNativeServerSettings } from '../../scripts/lib/postgres-config.js';
import { type LocalPostgres, startLocalPostgres } from '../../scripts/lib/postgres-provider.js';

let pg: LocalPostgres;
let sql: postgres.Sql;
let workDir: string;
let settings: Record<string, string>;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'osint-pgconf-'));
  chmodSync(workDir, 0o755);
  settings = loadNativeServerSettings({ libDir: await embeddedLibDir() });
  pg = await startLocalPostgres({
    dataDir: path.join(workDir, 'pg'),
    port: await freePort(),
    persistent: false,
    settings,
  });
  sql = postgres(pg.url, { max: 1, onnotice: () => {} });
}, 60_000);

afterAll(async () => {
  await sql?.end();
  await pg?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('docker/postgres/postgresql.conf on PostgreSQL 15', () => {
  it('the embedded binaries ship pg_stat_statements, so native mode preloads it', () => {
    expect(settings.shared_preload_libraries).toBe('pg_stat_statements');
  });

  it('every setting takes effect with the value the file gives', async () => {
    const rows = await sql<{ name: string; setting: string; unit: string | null; source: string }[]>`
      select lower(name) as name, setting, unit, source from pg_settings
      where lower(name) = any(${Object.keys(settings)})`;
    const byName = new Map(rows.map((r) => [r.name, r]));
    // Every key is a real PostgreSQL 15 parameter.
    expect(Object.keys(settings).filter((k) => !byName.has(k))).toEqual([]);
    // And comes from the command line (not a default that happened to match).
    expect(rows.filter((r) => r.source !== 'command line').map((r) => r.name)).toEqual([]);
    const shown = async (name: string) =>
      (await sql.unsafe<{ v: string }[]>(`select current_setting('${name}') as v`))[0]?.v;
    expect(await shown('shared_buffers')).toBe(settings.shared_buffers);
    expect(await shown('log_min_duration_statement')).toBe('250ms');
    expect(await shown('jit')).toBe('off');
    expect(await shown('max_connections')).toBe('100');
    expect(await shown('log_line_prefix')).toBe('%m [%p] %q%u@%d app=%a ');
  });

  it('pg_stat_statements collects once the extension exists', async () => {
    await sql`create extension if not exists pg_stat_statements`;
    await sql`select 42 as answer_for_pg_stat_statements`;
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_statements where query like '%answer_for_pg_stat_statements%'`;
    expect(row?.n).toBeGreaterThan(0);
  });
});
