import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('0009–0011: per-investigation observations (ADR 0020)', () => {
  /** The migrations folder as it was before ADR 0020: files and journal up to 0008. */
  function foldersUpTo(lastTag: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'osint-migrations-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const keep = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === lastTag) + 1);
    mkdirSync(path.join(dir, 'meta'));
    const full = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'));
    writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...full, entries: keep }));
    for (const e of keep)
      copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
    return dir;
  }

  it("gives each existing link what its own investigation saw, never another's", async () => {
    const url = await emptyDatabase();
    await runMigrations(url, foldersUpTo('0008_jobs_lease_and_enrichment_cache'));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const [u] = await sql<{ id: string }[]>`
        insert into users (email, display_name, password_hash) values ('a@example.org', 'A', '$argon2id$x')
        returning id`;
      const uid = u!.id;
      const inv = async (title: string) =>
        (
          await sql<{ id: string }[]>`
          insert into investigations (title, created_by) values (${title}, ${uid}) returning id`
        )[0]!.id;
      const alice = await inv('Alice');
      const bob = await inv('Bob');
      const carol = await inv('Carol');
      // The shared row as the old schema kept it: Alice's spelling, her dates, her DNS answer.
      const [s] = await sql<{ id: string }[]>`
        insert into selectors (type, value, display_value, attributes, first_seen_at, last_seen_at)
        values ('domain', 'x.example.com', 'X.EXAMPLE.com',
                ${sql.json({ reserved: true, enrichment: { dns: { a: ['192.0.2.1'] } } })},
                '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z')
        returning id`;
      const sid = s!.id;
      const [orphan] = await sql<{ id: string }[]>`
        insert into selectors (type, value, display_value) values ('domain', 'gone.example.com', 'gone.example.com')
        returning id`;
      const link = (investigation: string, at: string) => sql`
        insert into investigation_selectors (investigation_id, selector_id, source, added_by, created_at, updated_at)
        values (${investigation}, ${sid}, 'manual', ${uid}, ${at}, ${at})`;
      await link(alice, '2026-01-01T00:00:00Z');
      await link(bob, '2026-03-01T00:00:00Z');
      await link(carol, '2026-04-01T00:00:00Z');
      // Alice enriched it; Carol's document spells it her way.
      await sql`
        insert into jobs (kind, investigation_id, payload)
        values ('enrich', ${alice}, ${sql.json({ selectorIds: [sid] })})`;
      const [doc] = await sql<{ id: string }[]>`
        insert into documents (investigation_id, title, media_type, size_bytes, sha256, content, created_by)
        values (${carol}, 'd', 'text/plain', 15, ${'0'.repeat(64)}, ${Buffer.from('x[.]example.com')}, ${uid})
        returning id`;
      await sql`
        insert into mentions (document_id, selector_id, start_offset, end_offset, raw_text, extractor_version)
        values (${doc!.id}, ${sid}, 0, 15, 'x[.]example.com', 't')`;
      await sql`
        insert into enrichment_results (selector_id, provider, result, expires_at)
        values (${sid}, 'dns', '{}'::jsonb, now() + interval '1 hour')`;

      await runMigrations(url);

      const rows = await sql<
        {
          investigation_id: string;
          display_value: string;
          attributes: Record<string, unknown>;
          first: string;
        }[]
      >`
        select investigation_id, display_value, attributes, to_char(first_seen_at at time zone 'UTC', 'YYYY-MM-DD') as first
        from investigation_selectors where selector_id = ${sid}`;
      const by = new Map(rows.map((r) => [r.investigation_id, r]));
      expect(by.get(alice)).toMatchObject({
        display_value: 'X.EXAMPLE.com',
        attributes: { reserved: true, enrichment: { dns: { a: ['192.0.2.1'] } } },
        first: '2026-01-01',
      });
      expect(by.get(bob)).toMatchObject({
        display_value: 'x.example.com',
        attributes: { reserved: true },
        first: '2026-03-01',
      });
      expect(by.get(bob)?.attributes.enrichment).toBeUndefined();
      expect(by.get(carol)).toMatchObject({ display_value: 'x[.]example.com', first: '2026-04-01' });
      expect(by.get(carol)?.attributes.enrichment).toBeUndefined();
      const [shared] = await sql`select * from selectors where id = ${sid}`;
      expect(Object.keys(shared!).sort()).toEqual(['id', 'type', 'value']);
      expect(await sql`select 1 from selectors where id = ${orphan!.id}`).toHaveLength(0);
      expect(await sql`select 1 from enrichment_results`).toHaveLength(0);
    } finally {
      await sql.end();
    }
  });
});
