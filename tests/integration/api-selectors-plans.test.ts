import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, createTestUser } from '../support/api-fixtures.js';
import { createInvestigationAs } from '../support/api-world.js';

// One pooled connection: the statements the API prepares and pg_prepared_statements are on the same one.
const api = await createTestApi({ DB_POOL_MAX: '1' });
const { app, deps, database } = api;
const owner = await createTestUser(deps.db);
const o = as(app, owner);

/** `count` links tagged `tags` in `investigationId`, added one millisecond apart (newest last). */
async function addTagged(investigationId: string, prefix: string, count: number, tags: string[]) {
  await database.client.sql`
    with s as (
      insert into selectors (type, value)
      select 'domain', ${prefix} || '-' || i || '.example.org' from generate_series(1, ${count}) i
      returning id, value)
    insert into investigation_selectors
      (investigation_id, selector_id, source, tags, added_by, display_value, created_at)
    select ${investigationId}, s.id, 'manual', ${tags}::text[], ${owner.id}, s.value,
      '2026-01-01T00:00:00Z'::timestamptz + split_part(split_part(s.value, '-', 2), '.', 1)::int * interval '1 ms'
    from s`;
}

describe('the selector page plans', () => {
  it('keeps one generic plan for a large investigation, with and without a cursor, and pages exactly', async () => {
    // A skewed tag table, as at 1M links: one investigation holds nearly every tagged link. With the
    // investigation visible to the planner, its custom plan looked cheaper than the generic one and every
    // execution was planned again.
    const big = await createInvestigationAs(app, owner, 'Large');
    await addTagged(big, 'big', 4_000, ['hot', 'other']);
    for (let i = 0; i < 20; i++) {
      const small = await createInvestigationAs(app, owner, `Small ${i}`);
      await addTagged(small, `small${i}`, 3, ['hot']);
    }
    await database.client.sql`analyze investigation_selector_tags`;

    const base = `/api/v1/investigations/${big}/selectors`;
    const expected = await database.client.sql<{ id: string }[]>`
      select l.selector_id as id from investigation_selectors l
      where l.investigation_id = ${big} and 'hot' = any (l.tags)
      order by l.created_at desc, l.id desc limit 160`;
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 8; page++) {
      const url: string = `${base}?tag=hot&limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res: { body: { items: Array<{ id: string; tags: string[] }>; nextCursor: string | null } } =
        await o.get(url).expect(200);
      for (const item of res.body.items) expect(item.tags).toEqual(['hot', 'other']);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    }
    expect(seen).toEqual(expected.map((r) => r.id));
    for (let i = 0; i < 7; i++) await o.get(`${base}?tag=hot&limit=20`).expect(200);

    const plans = await deps.sql<{ statement: string; generic: number; custom: number }[]>`
      select statement, generic_plans::int as generic, custom_plans::int as custom
      from pg_prepared_statements
      where statement like '%investigation_selector_tags g%' and statement not like '%pg_prepared_statements%'`;
    // The first page and the cursor pages are two statements; PostgreSQL plans each five times to learn
    // the custom plans' cost, then keeps the generic plan.
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan.custom, plan.statement).toBe(5);
      expect(plan.generic, plan.statement).toBeGreaterThanOrEqual(2);
    }
  });

  it('keeps one generic plan for the type filter and the list cursor pages of a large investigation', async () => {
    // The same skew without tags: a type filter and every cursor page used to be planned again on each
    // execution (the investigation and the cursor visible), while the type stays a literal, so the generic
    // plan is still that type's own.
    const big = await createInvestigationAs(app, owner, 'Large, untagged');
    await addTagged(big, 'plain', 4_000, []);
    for (let i = 0; i < 20; i++) {
      const small = await createInvestigationAs(app, owner, `Small untagged ${i}`);
      await addTagged(small, `plainsmall${i}`, 3, []);
    }
    await database.client.sql`analyze investigation_selectors`;
    await database.client.sql`analyze selectors`;

    const base = `/api/v1/investigations/${big}/selectors`;
    const expected = await database.client.sql<{ id: string }[]>`
      select l.selector_id as id from investigation_selectors l
      where l.investigation_id = ${big}
      order by l.created_at desc, l.id desc limit 160`;
    for (const filter of ['type=domain&', '']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 8; page++) {
        const url: string = `${base}?${filter}limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res: { body: { items: Array<{ id: string; type: string }>; nextCursor: string | null } } =
          await o.get(url).expect(200);
        for (const item of res.body.items) expect(item.type).toBe('domain');
        seen.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
      }
      expect(seen, filter).toEqual(expected.map((r) => r.id));
    }
    for (let i = 0; i < 7; i++) await o.get(`${base}?type=domain&limit=20`).expect(200);

    const plans = await deps.sql<{ statement: string; generic: number; custom: number }[]>`
      select statement, generic_plans::int as generic, custom_plans::int as custom
      from pg_prepared_statements
      where statement like '%from investigation_selectors l join selectors s%'
        and statement not like '%pg_prepared_statements%'
        and (statement like '%s.type = %' or statement like '%(l.created_at, l.id) <%')`;
    // The type filter's first page, its cursor pages and the plain list's cursor pages.
    expect(plans).toHaveLength(3);
    for (const plan of plans) {
      expect(plan.custom, plan.statement).toBe(5);
      expect(plan.generic, plan.statement).toBeGreaterThanOrEqual(2);
    }
  });
});
