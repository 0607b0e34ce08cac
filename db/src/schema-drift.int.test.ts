import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../tests/support/test-env.js';
import { MIGRATIONS_FOLDER } from './migrate.js';
import * as schema from './schema/index.js';

/**
 * Three ways the schema and db/migrations can drift apart, each checked here:
 * 1. someone edits db/src/schema without running `drizzle-kit generate` (the generator would write SQL);
 * 2. a migration file is added, removed or renamed by hand (the journal, snapshots and files disagree);
 * 3. generated SQL is hand-edited so the database is not what the snapshot says (compare the migrated
 *    database's catalog with the Drizzle table definitions).
 */

const run = promisify(execFile);
const DB_DIR = fileURLToPath(new URL('..', import.meta.url));
const DRIZZLE_KIT = fileURLToPath(new URL('../../node_modules/.bin/drizzle-kit', import.meta.url));
const SCHEMA_FILE = path.join(DB_DIR, 'src/schema/index.ts');
/** drizzle-kit generate takes ~1 s; a prompt (it asks about renames on a TTY) must not hang the suite. */
const GENERATE_TIMEOUT_MS = 15_000;

const work = mkdtempSync(path.join(tmpdir(), 'osint-drift-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

function readJournal(folder: string): Journal {
  return JSON.parse(readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as Journal;
}

/**
 * Runs `drizzle-kit generate` for the real schema into `out` (a copy of the migrations folder) and returns
 * the SQL files it added. It runs in the copy's parent directory, so the project's drizzle.config.ts is not
 * picked up (the options below are the same as its), and `--out` is relative because drizzle-kit prefixes
 * `./` to it. drizzle-kit exits 0 even when it fails, so the caller also checks what it printed.
 */
async function generateInto(out: string): Promise<{ added: string[]; output: string }> {
  const before = new Set(readdirSync(out));
  const args = ['generate', '--dialect', 'postgresql', '--schema', SCHEMA_FILE, '--out', path.basename(out)];
  args.push('--casing', 'snake_case', '--name', 'drift_probe');
  let output: string;
  try {
    const result = await run(DRIZZLE_KIT, args, {
      cwd: path.dirname(out),
      timeout: GENERATE_TIMEOUT_MS,
      // The schema imports @osint/contracts, whose TypeScript entry is behind the `source` condition.
      env: { ...process.env, NODE_OPTIONS: '--conditions=source' },
    });
    output = `${result.stdout}\n${result.stderr}`;
  } catch (error) {
    const e = error as { killed?: boolean; stdout?: string; stderr?: string };
    const why = e.killed ? 'timed out (it probably asked whether a column or table was renamed)' : 'failed';
    throw new Error(`drizzle-kit generate ${why}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  const added = readdirSync(out).filter((f) => !before.has(f) && f.endsWith('.sql'));
  return { added, output };
}

describe('schema vs committed migrations', () => {
  it('drizzle-kit generate has nothing to add (run it and commit the result if this fails)', async () => {
    const out = path.join(work, 'current');
    cpSync(MIGRATIONS_FOLDER, out, { recursive: true });
    const { added, output } = await generateInto(out);
    const generated = added.map((f) => readFileSync(path.join(out, f), 'utf8')).join('\n');
    expect(added, `schema changes without a migration:\n${generated}`).toEqual([]);
    expect(output, output).toMatch(/No schema changes, nothing to migrate/);
  });

  it('the probe itself notices drift (a folder that stops at 0000_init gets a new migration)', async () => {
    const out = path.join(work, 'stale');
    cpSync(MIGRATIONS_FOLDER, out, { recursive: true });
    const journal = readJournal(out);
    const [first] = journal.entries;
    if (!first) throw new Error('the journal is empty');
    for (const entry of journal.entries.slice(1)) {
      rmSync(path.join(out, `${entry.tag}.sql`));
      rmSync(path.join(out, `meta/${String(entry.idx).padStart(4, '0')}_snapshot.json`));
    }
    writeFileSync(path.join(out, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: [first] }));
    const { added, output } = await generateInto(out);
    expect(added, output).toHaveLength(1);
    expect(readFileSync(path.join(out, added[0] ?? ''), 'utf8')).toMatch(/CREATE TABLE "selectors"/);
  });

  it('every migration file is in the journal with a snapshot, in order, and nothing else is there', () => {
    const journal = readJournal(MIGRATIONS_FOLDER);
    const tags = journal.entries.map((e) => e.tag);
    const files = readdirSync(MIGRATIONS_FOLDER)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.slice(0, -4))
      .sort();
    expect(files).toEqual(tags);
    journal.entries.forEach((entry, i) => {
      expect(entry.idx).toBe(i);
      expect(entry.tag.startsWith(String(i).padStart(4, '0'))).toBe(true);
      if (i > 0) expect(entry.when).toBeGreaterThan(journal.entries[i - 1]?.when ?? 0);
    });
    const snapshots = readdirSync(path.join(MIGRATIONS_FOLDER, 'meta')).filter((f) =>
      f.endsWith('_snapshot.json'),
    );
    expect(snapshots.sort()).toEqual(
      journal.entries.map((e) => `${String(e.idx).padStart(4, '0')}_snapshot.json`),
    );
  });
});

/** Objects only hand-written (`--custom`) migrations create; the catalog check expects exactly these. */
const HAND_WRITTEN_TRIGGERS: Record<string, string[]> = {
  audit_events: ['audit_events_append_only', 'audit_events_no_truncate'],
  documents: ['documents_forget_deleted', 'documents_keep_investigation'],
  entities: ['entities_forget_deleted', 'entities_keep_investigation'],
  investigation_selectors: [
    'investigation_selectors_drop_unreferenced',
    'investigation_selectors_forget_deleted',
    'investigation_selectors_keep_investigation',
    'investigation_selectors_keep_selector',
    'investigation_selectors_tags_added',
    'investigation_selectors_tags_changed',
    'investigation_selectors_tags_removed',
    'investigation_selectors_tags_truncated',
  ],
  mentions: ['mentions_drop_unreferenced'],
  notes: ['notes_check_target'],
  relationships: [
    'relationships_check_endpoints',
    'relationships_forget_deleted',
    'relationships_keep_investigation',
  ],
};

describe('migrated database vs Drizzle table definitions', async () => {
  const { client } = await createTestDatabase();
  const tables = (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => getTableConfig(table));

  it('has exactly the tables the schema defines', async () => {
    const rows = await client.sql<{ name: string }[]>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
    expect(rows.map((r) => r.name)).toEqual(tables.map((t) => t.name).sort());
  });

  for (const table of tables) {
    it(`${table.name}: columns, types, nullability, indexes, constraints and triggers match`, async () => {
      const columns = await client.sql<{ name: string; type: string; notNull: boolean }[]>`
        select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull"
        from pg_attribute a
        where a.attrelid = ${`public.${table.name}`}::regclass and a.attnum > 0 and not a.attisdropped
        order by a.attname`;
      const expected = table.columns
        .map((c) => ({ name: c.name, type: c.getSQLType(), notNull: c.notNull }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(columns).toEqual(expected);

      const constraints = await client.sql<{ name: string; kind: string }[]>`
        select conname as name, contype as kind from pg_constraint
        where conrelid = ${`public.${table.name}`}::regclass order by 1`;
      const byKind = (kind: string) =>
        constraints
          .filter((c) => c.kind === kind)
          .map((c) => c.name)
          .sort();
      expect(byKind('c')).toEqual(table.checks.map((c) => c.name).sort());
      expect(byKind('f')).toEqual(table.foreignKeys.map((fk) => fk.getName()).sort());
      expect(byKind('u')).toEqual(table.uniqueConstraints.map((u) => u.getName()).sort());

      const indexes = await client.sql<{ name: string }[]>`
        select indexname as name from pg_indexes where schemaname = 'public' and tablename = ${table.name}`;
      const constraintIndexes = constraints
        .filter((c) => c.kind === 'p' || c.kind === 'u')
        .map((c) => c.name);
      expect(indexes.map((i) => i.name).sort()).toEqual(
        [...table.indexes.map((i) => i.config.name ?? '?'), ...constraintIndexes].sort(),
      );

      const triggers = await client.sql<{ name: string }[]>`
        select tgname as name from pg_trigger
        where tgrelid = ${`public.${table.name}`}::regclass and not tgisinternal order by 1`;
      expect(triggers.map((t) => t.name)).toEqual((HAND_WRITTEN_TRIGGERS[table.name] ?? []).sort());
    });
  }
});
