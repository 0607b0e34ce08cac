import { investigationSelectors, selectors } from '@osint/db';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, createTestUser } from '../support/api-fixtures.js';
import { addMembers, createInvestigationAs } from '../support/api-world.js';

const api = await createTestApi();
const { app, deps } = api;
const owner = await createTestUser(deps.db);
const inv = await createInvestigationAs(app, owner, 'Selectors');
const base = `/api/v1/investigations/${inv}/selectors`;
const o = as(app, owner);

describe('adding selectors', () => {
  it('normalises through core (refang, case, type detection) and reports the canonical value', async () => {
    const res = await o.post(base).send({ value: 'WWW.Example[.]COM.' }).expect(201);
    expect(res.body).toMatchObject({
      type: 'domain',
      value: 'www.example.com',
      displayValue: 'WWW.Example[.]COM.',
      source: 'manual',
      addedBy: owner.id,
    });
  });

  it("uses the investigation's default region for national phone numbers", async () => {
    await o.patch(`/api/v1/investigations/${inv}`).send({ defaultRegion: 'GB' }).expect(200);
    const res = await o.post(base).send({ type: 'phone', value: '020 7946 0000' }).expect(201);
    expect(res.body.value).toBe('+442079460000');
  });

  it('refuses invalid values with 400 naming the field and the reason code', async () => {
    const res = await o.post(base).send({ type: 'ipv4', value: '010.0.0.1' }).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'invalid_selector', selectorError: 'ipv4_leading_zero' });
    expect(res.body.errors[0].field).toBe('value');
    const undetectable = await o.post(base).send({ value: 'just some words' }).expect(400);
    expect(undetectable.body.errors[0].field).toBe('type');
  });

  it('re-adding the same value answers 200 with the existing entry and merges tags', async () => {
    const first = await o
      .post(base)
      .send({ value: '198.51.100.7', tags: ['c2'] })
      .expect(201);
    const again = await o
      .post(base)
      .send({ value: '198.51.100.7', tags: ['infra'] })
      .expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.tags).toEqual(['c2', 'infra']);
  });

  it('20 concurrent adds of the same selector: one selectors row, one link, no 5xx', async () => {
    const value = 'concurrent.example.net';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        o.post(base).send({ value: i % 2 === 0 ? value : value.toUpperCase() }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const rows = await deps.db
      .select()
      .from(selectors)
      .where(and(eq(selectors.type, 'domain'), eq(selectors.value, value)));
    expect(rows).toHaveLength(1);
    const links = await deps.db
      .select()
      .from(investigationSelectors)
      .where(eq(investigationSelectors.selectorId, rows[0]!.id));
    expect(links).toHaveLength(1);
  });

  it('20 concurrent adds across different investigations share one global selector', async () => {
    const invs = await Promise.all(
      Array.from({ length: 4 }, () => createInvestigationAs(app, owner, 'Fan-out')),
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        o.post(`/api/v1/investigations/${invs[i % 4]}/selectors`).send({ value: 'shared@example.com' }),
      ),
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const links = await deps.db
      .select()
      .from(investigationSelectors)
      .where(eq(investigationSelectors.selectorId, results[0]!.body.id));
    expect(links).toHaveLength(4);
  });
});

const listInv = await createInvestigationAs(app, owner, 'Listing');
const listBase = `/api/v1/investigations/${listInv}/selectors`;
for (const value of Array.from({ length: 7 }, (_, i) => `host${i}.example.org`)) {
  await o
    .post(listBase)
    .send({ value, tags: value.startsWith('host1') ? ['x'] : [] })
    .expect(201);
}
await o.post(listBase).send({ value: '203.0.113.9' }).expect(201);

describe('listing, filtering and pagination', () => {
  it('walks every item exactly once with opaque cursors', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `${listBase}?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res: { body: { items: Array<{ value: string }>; nextCursor: string | null } } = await o
        .get(url)
        .expect(200);
      seen.push(...res.body.items.map((i) => i.value));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
  });

  it('filters by type, tag, source and falsePositive', async () => {
    const ipv4 = await o.get(`${listBase}?type=ipv4`).expect(200);
    expect(ipv4.body.items.map((i: { value: string }) => i.value)).toEqual(['203.0.113.9']);
    const tagged = await o.get(`${listBase}?tag=x`).expect(200);
    expect(tagged.body.items.map((i: { value: string }) => i.value)).toEqual(['host1.example.org']);
    const manual = await o.get(`${listBase}?source=manual&limit=200`).expect(200);
    expect(manual.body.items).toHaveLength(8);
    const target = manual.body.items[0];
    await o.patch(`${listBase}/${target.id}`).send({ falsePositive: true, note: 'benign' }).expect(200);
    const fp = await o.get(`${listBase}?falsePositive=true`).expect(200);
    expect(fp.body.items.map((i: { id: string }) => i.id)).toEqual([target.id]);
    expect(fp.body.items[0].note).toBe('benign');
  });

  it('pages a tag in list order, and follows tags as they are edited', async () => {
    const tagInv = await createInvestigationAs(app, owner, 'Tag paging');
    const tagBase = `/api/v1/investigations/${tagInv}/selectors`;
    for (let i = 0; i < 7; i++)
      await o
        .post(tagBase)
        .send({ value: `tagged${i}.example.org` })
        .expect(201);
    const all = await o.get(`${tagBase}?limit=200`).expect(200);
    const items = all.body.items as Array<{ id: string; value: string; tags: string[] }>;
    // Tag every other item "pg" (through the API's own PATCH, which the tag table must follow).
    const chosen = items.filter((_, i) => i % 2 === 0);
    for (const item of chosen) {
      await o
        .patch(`${tagBase}/${item.id}`)
        .send({ tags: [...item.tags, 'pg'] })
        .expect(200);
    }
    const walk = async (tag: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const url: string = `${tagBase}?tag=${tag}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await o
          .get(url)
          .expect(200);
        seen.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      return seen;
    };
    expect(await walk('pg')).toEqual(chosen.map((i) => i.id));
    const [dropped, ...kept] = chosen;
    await o.patch(`${tagBase}/${dropped?.id}`).send({ tags: [] }).expect(200);
    expect(await walk('pg')).toEqual(kept.map((i) => i.id));
    await o.delete(`${tagBase}/${kept[0]?.id}`).expect(204);
    expect(await walk('pg')).toEqual(kept.slice(1).map((i) => i.id));
    expect(await walk('absent')).toEqual([]);
  });

  it('lists each selector exactly as GET presents it (same fields, same timestamp format)', async () => {
    const page = await o.get(`${listBase}?limit=200`).expect(200);
    expect(page.body.items).toHaveLength(8);
    for (const item of page.body.items as Array<{ id: string; attributes: unknown }>) {
      const one = await o.get(`${listBase}/${item.id}`).expect(200);
      expect(item).toEqual(one.body);
    }
    expect(page.body.items.some((i: { attributes: object }) => Object.keys(i.attributes).length > 0)).toBe(
      true,
    );
  });

  it('refuses tampered, foreign and garbage cursors with 400 invalid_cursor', async () => {
    const page = await o.get(`${listBase}?limit=2`).expect(200);
    const cursor: string = page.body.nextCursor;
    const [payload, mac] = cursor.split('.');
    const forged = Buffer.from(
      JSON.stringify(['2000-01-01T00:00:00.000000Z', '00000000-0000-4000-8000-000000000000']),
    ).toString('base64url');
    for (const bad of [
      `${forged}.${mac}`,
      `${payload}.AAAA`,
      'garbage',
      `${payload}`,
      '..',
      `${payload}.${mac}.x`,
    ]) {
      const res = await o.get(`${listBase}?cursor=${encodeURIComponent(bad)}`).expect(400);
      expect(res.body.code).toBe('invalid_cursor');
    }
    // A cursor from one filter does not work on another list.
    const filtered = await o.get(`${listBase}?type=ipv4&cursor=${encodeURIComponent(cursor)}`).expect(400);
    expect(filtered.body.code).toBe('invalid_cursor');
  });

  it('bounds limit to 1..200', async () => {
    for (const limit of ['0', '201', '-1', 'abc', '1.5']) {
      const res = await o.get(`${listBase}?limit=${limit}`).expect(400);
      expect(res.body.errors[0].field).toBe('limit');
    }
    await o.get(`${listBase}?limit=200`).expect(200);
  });
});

describe('removing and correlating', () => {
  it('DELETE removes the selector from this investigation only', async () => {
    const a = await createInvestigationAs(app, owner, 'A');
    const b = await createInvestigationAs(app, owner, 'B');
    const added = await o
      .post(`/api/v1/investigations/${a}/selectors`)
      .send({ value: 'keep.example.com' })
      .expect(201);
    await o.post(`/api/v1/investigations/${b}/selectors`).send({ value: 'keep.example.com' }).expect(201);
    await o.delete(`/api/v1/investigations/${a}/selectors/${added.body.id}`).expect(204);
    await o.get(`/api/v1/investigations/${a}/selectors/${added.body.id}`).expect(404);
    await o.get(`/api/v1/investigations/${b}/selectors/${added.body.id}`).expect(200);
    const [global] = await deps.db.select().from(selectors).where(eq(selectors.id, added.body.id));
    expect(global?.value).toBe('keep.example.com');
  });

  it('correlations list only investigations the caller is a member of, with counts', async () => {
    const colleague = await createTestUser(deps.db);
    const mine = await createInvestigationAs(app, owner, 'Mine');
    const alsoMine = await createInvestigationAs(app, owner, 'Also mine');
    const theirs = await createInvestigationAs(app, colleague, 'Secret');
    const shared = await createInvestigationAs(app, colleague, 'Shared with me');
    await addMembers(api, shared, [{ user: owner, role: 'viewer' }]);
    const value = 'pivot.example.com';
    const first = await o.post(`/api/v1/investigations/${mine}/selectors`).send({ value }).expect(201);
    await o.post(`/api/v1/investigations/${alsoMine}/selectors`).send({ value }).expect(201);
    await as(app, colleague).post(`/api/v1/investigations/${theirs}/selectors`).send({ value }).expect(201);
    await as(app, colleague).post(`/api/v1/investigations/${shared}/selectors`).send({ value }).expect(201);

    const res = await o
      .get(`/api/v1/investigations/${mine}/selectors/${first.body.id}/correlations`)
      .expect(200);
    const ids = res.body.items.map((i: { investigationId: string }) => i.investigationId).sort();
    expect(ids).toEqual([alsoMine, shared].sort());
    expect(res.body.total).toBe(2);
    expect(JSON.stringify(res.body)).not.toContain(theirs);
    expect(JSON.stringify(res.body)).not.toContain('Secret');
    const sharedItem = res.body.items.find((i: { investigationId: string }) => i.investigationId === shared);
    expect(sharedItem).toMatchObject({ role: 'viewer', title: 'Shared with me', mentionCount: 0 });

    // The colleague sees their own three, not mine/alsoMine.
    const theirView = await as(app, colleague)
      .get(`/api/v1/investigations/${theirs}/selectors/${first.body.id}/correlations`)
      .expect(200);
    expect(theirView.body.total).toBe(1);
    expect(theirView.body.items[0].investigationId).toBe(shared);
  });
});
