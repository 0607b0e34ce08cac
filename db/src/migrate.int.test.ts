import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS_FOLDER, runMigrations } from './migrate.js';
import '../../tests/support/provided-context.js';

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};
const migrationCount = journal.entries.length;

/** A fresh, empty database (not a template clone: these tests are about applying migrations). */
async function emptyDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_migrate_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('runMigrations', () => {
  it('applies each migration exactly once when two runners start together, then applies nothing', async () => {
    const url = await emptyDatabase();

    const results = await Promise.all([runMigrations(url), runMigrations(url)]);

    // Whoever got the advisory lock first applied everything; the other waited and found nothing to do.
    expect(results.map((r) => r.applied).sort((a, b) => a - b)).toEqual([0, migrationCount]);
    expect(results.every((r) => r.total === migrationCount)).toBe(true);

    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ hash: string; n: number }[]>`
        select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`;
      expect(rows).toHaveLength(migrationCount);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const [tables] = await sql<{ n: number }[]>`
        select count(*)::int as n from information_schema.tables
        where table_schema = 'public' and table_name in ('users', 'investigations', 'selectors', 'audit_events')`;
      expect(tables?.n).toBe(4);
    } finally {
      await sql.end();
    }

    const again = await runMigrations(url);
    expect(again).toMatchObject({ applied: 0, total: migrationCount });
  });
});
