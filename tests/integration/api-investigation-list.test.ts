import { auditEvents, investigations } from '@osint/db';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, createTestUser } from '../support/api-fixtures.js';
import { addMembers, createInvestigationAs } from '../support/api-world.js';

/** `GET /investigations` items carry the member count and the last activity (issue 9), in one statement. */
const api = await createTestApi();
const { app, deps } = api;
const owner = await createTestUser(deps.db);
const o = as(app, owner);

interface Item {
  id: string;
  status: string;
  tlp: string;
  memberCount: number;
  lastActivityAt: string;
  updatedAt: string;
}

async function list(query: Record<string, string | number> = {}): Promise<Item[]> {
  const res = await o.get('/api/v1/investigations').query(query).expect(200);
  return res.body.items;
}

const item = async (id: string) => (await list({ limit: 200 })).find((i) => i.id === id);

describe('investigation list fields', () => {
  it('counts every member, whatever the role', async () => {
    const id = await createInvestigationAs(app, owner, 'Counted');
    expect((await item(id))?.memberCount).toBe(1);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => createTestUser(deps.db)));
    await addMembers(api, id, [
      { user: a!, role: 'viewer' },
      { user: b!, role: 'editor' },
      { user: c!, role: 'owner' },
    ]);
    expect((await item(id))?.memberCount).toBe(4);
    // A member sees the same count in their own list.
    const theirs = await as(app, a!).get('/api/v1/investigations').expect(200);
    expect(theirs.body.items.find((i: Item) => i.id === id).memberCount).toBe(4);
  });

  it('moves last activity forward with each audited change, and never shows another investigation’s', async () => {
    const id = await createInvestigationAs(app, owner, 'Active');
    const other = await createInvestigationAs(app, owner, 'Quiet');
    const before = (await item(id))!;
    const quiet = (await item(other))!;
    // The creation itself is the first activity.
    const [created] = await deps.db
      .select({ at: auditEvents.at })
      .from(auditEvents)
      .where(eq(auditEvents.objectId, id));
    expect(Date.parse(before.lastActivityAt)).toBe(Math.floor(created!.at.getTime()));
    await new Promise((r) => setTimeout(r, 20));
    await o.post(`/api/v1/investigations/${id}/selectors`).send({ value: 'active.example.org' }).expect(201);
    const after = (await item(id))!;
    expect(Date.parse(after.lastActivityAt)).toBeGreaterThan(Date.parse(before.lastActivityAt));
    // Adding a selector does not touch the investigation row itself: the activity comes from the trail.
    expect(after.updatedAt).toBe(before.updatedAt);
    expect((await item(other))!.lastActivityAt).toBe(quiet.lastActivityAt);
  });

  it('counts data written without an audit event (seeded rows) as activity too', async () => {
    const id = await createInvestigationAs(app, owner, 'Seeded');
    const before = (await item(id))!;
    // As the seed script does: rows straight into the tables, dated later than the last event.
    await deps.db.execute(sql`
      insert into documents (investigation_id, title, media_type, size_bytes, sha256, content, created_by,
                             created_at, updated_at)
      values (${id}, 'Seeded', 'text/plain', 1, repeat('a', 64), 'x'::bytea, ${owner.id},
              now() + interval '1 hour', now() + interval '1 hour')`);
    const after = (await item(id))!;
    expect(Date.parse(after.lastActivityAt) - Date.parse(before.lastActivityAt)).toBeGreaterThan(3_500_000);
  });

  it('still filters by status and pages with the new fields on every item', async () => {
    const closed = await createInvestigationAs(app, owner, 'Closed one');
    await o.patch(`/api/v1/investigations/${closed}`).send({ status: 'closed', tlp: 'red' }).expect(200);
    const onlyClosed = await list({ status: 'closed' });
    expect(onlyClosed.map((i) => i.id)).toEqual([closed]);
    expect(onlyClosed[0]).toMatchObject({ status: 'closed', tlp: 'red', memberCount: 1 });
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Item[]; nextCursor: string | null } } = await o
        .get('/api/v1/investigations')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const total = await deps.db.$count(investigations);
    expect(seen).toHaveLength(total);
    for (const i of seen) {
      expect(i.memberCount).toBeGreaterThanOrEqual(1);
      expect(Date.parse(i.lastActivityAt)).toBeGreaterThanOrEqual(Date.parse(i.updatedAt));
    }
  });
});
