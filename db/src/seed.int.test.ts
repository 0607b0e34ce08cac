import { createHash } from 'node:crypto';
import { verify } from '@node-rs/argon2';
// Test-only imports from outside db (house style 1 forbids them in db's own code): core's normaliser is
// the judge of the seed's pre-normalised values.
import { SELECTOR_TYPES } from '@osint/contracts';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { normaliseSelector } from '../../services/core/src/selectors/index.js';
import { createTestDatabase } from '../../tests/support/test-env.js';
import type { DbClient } from './client.js';
import { SEED_EXTRACTOR_VERSION } from './seed/plan.js';
import { DEV_PASSWORD, seedDevelopment, seedIfEmpty } from './seed.js';

const TABLES = [
  'users',
  'sessions',
  'api_tokens',
  'investigations',
  'memberships',
  'selectors',
  'investigation_selectors',
  'jobs',
  'documents',
  'mentions',
  'entities',
  'relationships',
  'notes',
  'audit_events',
];

async function counts(client: DbClient): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await client.sql<{ n: number }[]>`select count(*)::int as n from ${client.sql(table)}`;
    out[table] = row?.n ?? -1;
  }
  return out;
}

describe('seedDevelopment', async () => {
  const { client } = await createTestDatabase();
  const first = await seedDevelopment(client.db);
  const afterFirst = await counts(client);

  it('writes the documented data set and says how much it wrote', () => {
    expect(first.seeded).toBe(true);
    expect(first.rows).toMatchObject({ users: 4, investigations: 3, memberships: 9, audit_events: 1 });
    expect(first.rows.selectors).toBeGreaterThanOrEqual(250);
    expect(first.total).toBe(Object.values(first.rows).reduce((a, b) => a + b, 0));
    const { audit_events: _audit, ...written } = first.rows;
    for (const [table, n] of Object.entries(written)) expect(afterFirst[table], table).toBe(n);
  });

  it('changes nothing when run again: same row counts, nothing inserted, no second audit event', async () => {
    const second = await seedDevelopment(client.db);
    expect(second.seeded).toBe(false);
    expect(second.total).toBe(0);
    expect(await counts(client)).toEqual(afterFirst);
  });

  it("stores every selector under the value core normalises each investigation's spelling to", async () => {
    const rows = await client.sql<{ type: string; value: string; display_value: string }[]>`
      select s.type, s.value, l.display_value
      from investigation_selectors l join selectors s on s.id = l.selector_id
      order by s.type, s.value`;
    expect(rows.length).toBeGreaterThanOrEqual(250);
    const mismatches = rows.flatMap((row) => {
      const normalised = normaliseSelector(row.type as (typeof SELECTOR_TYPES)[number], row.display_value);
      return normalised.value === row.value
        ? []
        : [`${row.type} ${row.display_value} -> ${normalised.value} != ${row.value}`];
    });
    expect(mismatches).toEqual([]);
  });

  it('covers all 14 selector types, in every investigation', async () => {
    const rows = await client.sql<{ title: string; types: string[] }[]>`
      select i.title, array_agg(distinct s.type::text order by s.type::text) as types
      from investigations i
      join investigation_selectors x on x.investigation_id = i.id
      join selectors s on s.id = x.selector_id
      group by i.title`;
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.types.sort(), row.title).toEqual([...SELECTOR_TYPES].sort());
  });

  it('shares some selectors between investigations, so correlation has something to find', async () => {
    const [row] = await client.sql<{ n: number }[]>`
      select count(*)::int as n from (
        select selector_id from investigation_selectors group by selector_id having count(*) > 1) shared`;
    expect(row?.n).toBeGreaterThan(10);
  });

  it('gives every investigation one owner and covers every membership role', async () => {
    const rows = await client.sql<{ role: string; n: number }[]>`
      select role::text, count(*)::int as n from memberships group by role order by role::text desc`;
    expect(rows).toEqual([
      { role: 'viewer', n: 3 },
      { role: 'owner', n: 3 },
      { role: 'editor', n: 3 },
    ]);
    const statuses = await client.sql<
      { status: string; tlp: string }[]
    >`select status::text, tlp::text from investigations`;
    expect(new Set(statuses.map((s) => s.status)).size).toBe(3);
    expect(new Set(statuses.map((s) => s.tlp)).size).toBe(3);
  });

  it('has mentions whose offsets point at their raw text, which normalises to the mentioned selector', async () => {
    const rows = await client.sql<
      {
        text: string;
        start: number;
        end: number;
        raw: string;
        type: string;
        value: string;
        version: string;
      }[]
    >`
      select d.extracted_text as text, m.start_offset as start, m.end_offset as end, m.raw_text as raw,
             s.type::text as type, s.value, m.extractor_version as version
      from mentions m join documents d on d.id = m.document_id join selectors s on s.id = m.selector_id`;
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      expect(row.text.slice(row.start, row.end)).toBe(row.raw);
      expect(normaliseSelector(row.type as (typeof SELECTOR_TYPES)[number], row.raw).value).toBe(row.value);
      expect(row.version).toBe(SEED_EXTRACTOR_VERSION);
    }
  });

  it('stores documents whose bytes, size and sha256 agree, and whose text is full-text searchable', async () => {
    const docs = await client.sql<{ content: Buffer; size: number; sha256: string; text: string }[]>`
      select content, size_bytes::int as size, sha256, extracted_text as text from documents`;
    expect(docs).toHaveLength(6);
    for (const doc of docs) {
      expect(doc.content.length).toBe(doc.size);
      expect(createHash('sha256').update(doc.content).digest('hex')).toBe(doc.sha256);
      expect(doc.content.toString('utf8')).toBe(doc.text);
    }
    const [hit] = await client.sql<{ n: number }[]>`
      select count(*)::int as n from documents where search_vector @@ websearch_to_tsquery('simple', 'landing page')`;
    expect(hit?.n).toBe(3);
  });

  it('stores a password hash the API can verify with the documented development password', async () => {
    const rows = await client.sql<{ hash: string }[]>`select distinct password_hash as hash from users`;
    expect(rows).toHaveLength(1);
    expect(await verify(rows[0]?.hash ?? '', DEV_PASSWORD)).toBe(true);
    expect(await verify(rows[0]?.hash ?? '', 'wrong password')).toBe(false);
  });

  it('records who added each selector: a person for manual and import, a job for extraction and enrichment', async () => {
    const rows = await client.sql<{ source: string; by_user: boolean; by_job: boolean; n: number }[]>`
      select source::text, added_by is not null as by_user, added_by_job_id is not null as by_job, count(*)::int as n
      from investigation_selectors group by 1, 2, 3 order by 1`;
    expect(rows.map((r) => [r.source, r.by_user, r.by_job])).toEqual([
      ['enrichment', false, true],
      ['extraction', false, true],
      ['import', true, false],
      ['manual', true, false],
    ]);
  });

  it('wrote one system audit event for the run', async () => {
    const rows = await client.db.execute<{ action: string; actor_type: string }>(
      sql`select action, actor_type from audit_events`,
    );
    expect([...rows]).toEqual([{ action: 'seed.apply', actor_type: 'system' }]);
  });
});

describe('seedIfEmpty', async () => {
  const { client, url } = await createTestDatabase();

  it('seeds an empty database, then leaves it alone', async () => {
    const first = await seedIfEmpty(url);
    expect(first.seeded).toBe(true);
    expect(first.reason).toMatch(/alice@example\.com/);
    const second = await seedIfEmpty(url);
    expect(second).toMatchObject({ seeded: false, total: 0 });
    expect(second.reason).toMatch(/users table is not empty/);
  });

  it('does not seed a database that has any user, even one the seed does not know', async () => {
    const other = await createTestDatabase();
    await other.client.sql`
      insert into users (email, display_name, password_hash) values ('someone@example.net', 'Someone', '$argon2id$x')`;
    const result = await seedIfEmpty(other.url);
    expect(result.seeded).toBe(false);
    expect((await counts(other.client)).investigations).toBe(0);
    expect((await counts(client)).investigations).toBe(3);
  });
});
