import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, createTestUser } from '../support/api-fixtures.js';
import { createInvestigationAs } from '../support/api-world.js';

/**
 * The graph endpoint on a known shape:
 *   E1 -owns-> S1 -resolves-to-> S2 -related-to-> E2 -same-as-> E3,  D -mentions-> S1,  plus a lone entity.
 */
const api = await createTestApi();
const { app, deps } = api;
const owner = await createTestUser(deps.db);
const outsider = await createTestUser(deps.db);
const invId = await createInvestigationAs(app, owner, 'Graph');
const inv = `/api/v1/investigations/${invId}`;
const o = as(app, owner);
const entity = async (label: string) =>
  (await o.post(`${inv}/entities`).send({ kind: 'person', label }).expect(201)).body.id as string;
const selector = async (value: string) =>
  (await o.post(`${inv}/selectors`).send({ value }).expect(201)).body.id as string;
const [E1, E2, E3, lone] = [await entity('E1'), await entity('E2'), await entity('E3'), await entity('Lone')];
const [S1, S2] = [await selector('s1.example.net'), await selector('198.51.100.44')];
const D = (await o.post(`${inv}/documents`).send({ title: 'D', text: 'see s1.example.net' }).expect(202)).body
  .document.id as string;
const link = async (source: [string, string], target: [string, string], type: string) =>
  o
    .post(`${inv}/relationships`)
    .send({ source: { kind: source[0], id: source[1] }, target: { kind: target[0], id: target[1] }, type })
    .expect(201);
await link(['entity', E1], ['selector', S1], 'owns');
await link(['selector', S1], ['selector', S2], 'resolves-to');
await link(['selector', S2], ['entity', E2], 'related-to');
await link(['entity', E2], ['entity', E3], 'same-as');
await link(['document', D], ['selector', S1], 'mentions');

type Node = { kind: string; id: string; depth: number | null; label: string };
const ids = (body: { nodes: Node[] }) => body.nodes.map((n) => n.id).sort();
const graph = (query: string) => o.get(`${inv}/graph?${query}`);

describe('GET /investigations/{id}/graph', () => {
  it('walks both edge directions breadth-first up to the depth, marking truncation', async () => {
    const one = await graph(`start=entity:${E1}&depth=1`).expect(200);
    expect(ids(one.body)).toEqual([E1, S1].sort());
    expect(one.body.truncated).toBe(true);
    expect(one.body.edges.map((e: { type: string }) => e.type)).toEqual(['owns']);

    const two = await graph(`start=entity:${E1}&depth=2`).expect(200);
    expect(ids(two.body)).toEqual([E1, S1, S2, D].sort());
    expect(two.body.edges.map((e: { type: string }) => e.type).sort()).toEqual([
      'mentions',
      'owns',
      'resolves-to',
    ]);
    expect(Object.fromEntries(two.body.nodes.map((n: Node) => [n.id, n.depth]))).toMatchObject({
      [E1]: 0,
      [S1]: 1,
      [S2]: 2,
      [D]: 2,
    });
    expect(two.body.nodes.find((n: Node) => n.id === S1)).toMatchObject({
      kind: 'selector',
      label: 's1.example.net',
      type: 'domain',
    });

    const all = await graph(`start=entity:${E1}&depth=5`).expect(200);
    expect(ids(all.body)).toEqual([E1, E2, E3, S1, S2, D].sort());
    expect(all.body.edges).toHaveLength(5);
    expect(all.body.truncated).toBe(false);
  });

  it('stops at the node limit and filters by relationship type', async () => {
    const limited = await graph(`start=selector:${S1}&depth=5&limit=2`).expect(200);
    expect(limited.body.nodes).toHaveLength(2);
    expect(limited.body.truncated).toBe(true);
    for (const e of limited.body.edges) {
      expect(ids(limited.body)).toEqual(expect.arrayContaining([e.source.id, e.target.id]));
    }
    const typed = await graph(`start=entity:${E1}&depth=5&types=owns,resolves-to`).expect(200);
    expect(ids(typed.body)).toEqual([E1, S1, S2].sort());
    expect(typed.body.truncated).toBe(false);
  });

  it('without a start returns the investigation up to the limit, connected nodes first', async () => {
    const whole = await graph('').expect(200);
    expect(ids(whole.body)).toEqual([E1, E2, E3, S1, S2, D, lone].sort());
    expect(whole.body.truncated).toBe(false);
    expect(whole.body.start).toBeNull();
    const cut = await graph('limit=6').expect(200);
    expect(cut.body.nodes).toHaveLength(6);
    expect(ids(cut.body)).not.toContain(lone);
    expect(cut.body.truncated).toBe(true);
  });

  it('validates its parameters and hides other investigations', async () => {
    expect((await graph('start=nonsense').expect(400)).body.errors[0].field).toBe('start');
    await graph('depth=9').expect(400);
    await graph('types=owns,hates').expect(400);
    await graph(`start=entity:00000000-0000-4000-8000-000000000000`).expect(404);
    const other = await createInvestigationAs(app, owner, 'Other');
    await o.get(`/api/v1/investigations/${other}/graph?start=entity:${E1}`).expect(404);
    await as(app, outsider).get(`${inv}/graph`).expect(404);
  });
});
