import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../tests/support/test-env.js';
import { seedId } from './seed/ids.js';
import { seedDevelopment } from './seed.js';

/**
 * investigation_selector_tags is kept by triggers on investigation_selectors (migration 0013), never by the
 * application. After every kind of write to the links, its rows must be exactly the links' tags, unnested:
 * nothing missing (a tagged link the tag filter would skip) and nothing stale (a removed tag or link the
 * filter would still list).
 */
const { client } = await createTestDatabase();
const { sql } = client;
await seedDevelopment(client.db);

const user = seedId('user', 'bob');
const [scratch] = await sql<{ id: string }[]>`
  insert into investigations (title, created_by) values ('tag table checks', ${user}) returning id`;
const inv = scratch?.id ?? '';

/** Rows in one table and not the other, both ways: [] when the tag table is exact. */
async function drift(): Promise<unknown[]> {
  const rows = await sql`
    (select 'stale' as kind, link_id, tag from investigation_selector_tags g
      where not exists (select 1 from investigation_selectors l
                        where l.id = g.link_id and l.investigation_id = g.investigation_id
                          and l.created_at = g.created_at and g.tag = any(l.tags)))
    union all
    (select 'missing', l.id, t.tag from investigation_selectors l cross join lateral unnest(l.tags) as t(tag)
      where not exists (select 1 from investigation_selector_tags g where g.link_id = l.id and g.tag = t.tag))`;
  return [...rows];
}

async function tagRows(investigationId = inv): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from investigation_selector_tags where investigation_id = ${investigationId}`;
  return row?.n ?? 0;
}

/** `n` new selectors linked into the scratch investigation, link i tagged by `tagsOf(i)`, in one statement. */
async function link(prefix: string, n: number, tagsOf: (i: number) => string[]) {
  const rows = Array.from({ length: n }, (_, i) => ({ v: `${prefix}-${i}.example.net`, t: tagsOf(i) }));
  return sql<{ id: string; value: string }[]>`
    with s as (
      insert into selectors (type, value)
      select 'domain', r.v from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(v text, t text[])
      returning id, value)
    insert into investigation_selectors (investigation_id, selector_id, source, added_by, display_value, tags)
    select ${inv}, s.id, 'extraction', ${user}, s.value, r.t
    from s join jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(v text, t text[]) on r.v = s.value
    returning selector_id as id, display_value as value`;
}

describe('investigation_selector_tags follows the links', () => {
  it('holds the seeded links’ tags', async () => {
    expect(await drift()).toEqual([]);
    expect(await tagRows(seedId('investigation', 'paper-lantern'))).toBeGreaterThan(0);
  });

  it('follows a bulk insert, including links at the 50-tag limit and untagged ones', async () => {
    const fifty = Array.from({ length: 50 }, (_, k) => `t${k}`);
    await link('bulk', 2_000, (i) => (i % 100 === 0 ? fifty : i % 3 === 0 ? ['phishing'] : []));
    expect(await drift()).toEqual([]);
    expect(await tagRows()).toBe(20 * 50 + 667 - 7);
  });

  it('ignores rows an insert skipped on conflict and follows an upsert that merges tags', async () => {
    const [first] = await link('upsert', 1, () => ['a']);
    const before = await tagRows();
    await sql`
      insert into investigation_selectors (investigation_id, selector_id, source, added_by, display_value, tags)
      values (${inv}, ${first?.id ?? ''}, 'extraction', ${user}, 'x', array['skipped'])
      on conflict (investigation_id, selector_id) do nothing`;
    expect(await tagRows()).toBe(before);
    await sql`
      insert into investigation_selectors (investigation_id, selector_id, source, added_by, display_value, tags)
      values (${inv}, ${first?.id ?? ''}, 'manual', ${user}, 'x', array['b'])
      on conflict (investigation_id, selector_id) do update
        set tags = array(select distinct t from unnest(investigation_selectors.tags || excluded.tags) as t order by t)`;
    expect(await drift()).toEqual([]);
    expect(await tagRows()).toBe(before + 1);
  });

  it('follows tags added, removed, replaced and cleared, and leaves other updates alone', async () => {
    await link('edit', 4, () => ['keep', 'drop']);
    const ids = (
      await sql<{ id: string }[]>`
      select l.id from investigation_selectors l join selectors s on s.id = l.selector_id
      where s.value like 'edit-%' order by s.value`
    ).map((r) => r.id);
    await sql`update investigation_selectors set tags = tags || array['added'] where id = ${ids[0] ?? ''}`;
    await sql`update investigation_selectors set tags = array_remove(tags, 'drop') where id = ${ids[1] ?? ''}`;
    await sql`update investigation_selectors set tags = array['other'] where id = ${ids[2] ?? ''}`;
    await sql`update investigation_selectors set tags = '{}' where id = ${ids[3] ?? ''}`;
    expect(await drift()).toEqual([]);
    const before = await tagRows();
    await sql`update investigation_selectors set last_seen_at = now(), note = 'seen' where investigation_id = ${inv}`;
    expect(await tagRows()).toBe(before);
    expect(await drift()).toEqual([]);
  });

  it('drops the rows of deleted links, of a deleted investigation and of a truncation', async () => {
    await sql`delete from investigation_selectors where investigation_id = ${inv} and 'phishing' = any(tags)`;
    expect(await drift()).toEqual([]);
    expect(await tagRows()).toBeGreaterThan(0);
    await sql`delete from investigations where id = ${inv}`;
    expect(await tagRows()).toBe(0);
    expect(await drift()).toEqual([]);
    await sql`truncate investigation_selectors cascade`;
    const [left] = await sql<{ n: number }[]>`select count(*)::int as n from investigation_selector_tags`;
    expect(left?.n).toBe(0);
  });
});
