import { randomUUID } from 'node:crypto';
import { jobs } from '@osint/db';
import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { type Auth, as, call, createTestUser, type TestUser } from '../support/api-fixtures.js';
import { addMembers, buildWorld, createInvestigationAs, unique, type World } from '../support/api-world.js';

/**
 * The full access matrix (issue 3): every action inside an investigation × owner / editor / viewer /
 * non-member / non-member admin / anonymous. Non-members (admins included) must get 404 on everything
 * inside an investigation, anonymous callers 401, members below the required role 403, and members at or
 * above it the action's success status. Each request is made fresh (destructive actions prepare their own
 * target), so the order of cases does not matter.
 */
const api = await createTestApi();
const world = await buildWorld(api);
const { app, owner } = world;

type Role = 'owner' | 'editor' | 'viewer';
type Caller = 'owner' | 'editor' | 'viewer' | 'outsider' | 'admin' | 'anonymous';
type Method = 'get' | 'post' | 'patch' | 'delete';

interface Target {
  investigationId: string;
  url: string;
  body?: unknown;
}

interface Action {
  name: string;
  method: Method;
  minRole: Role;
  ok: number[];
  /** Builds the request for one call; may create a fresh object to act on. */
  prepare: () => Promise<Target>;
}

const inv = world.investigationId;
const base = `/api/v1/investigations/${inv}`;
const fixed = (url: string, body?: unknown) => async (): Promise<Target> => ({
  investigationId: inv,
  url,
  body,
});
const asOwner = as(app, owner);

async function freshInvestigation(): Promise<Target> {
  const id = await createInvestigationAs(app, owner, 'Disposable');
  await addMembers(api, id, [
    { user: world.editor, role: 'editor' },
    { user: world.viewer, role: 'viewer' },
  ]);
  return { investigationId: id, url: `/api/v1/investigations/${id}` };
}

async function freshSelector(): Promise<string> {
  const res = await asOwner
    .post(`${base}/selectors`)
    .send({ value: `${unique('s')}.example.org` })
    .expect(201);
  return res.body.id;
}

async function freshEntity(): Promise<string> {
  const res = await asOwner
    .post(`${base}/entities`)
    .send({ kind: 'other', label: unique('e') })
    .expect(201);
  return res.body.id;
}

async function freshJob(): Promise<string> {
  const res = await asOwner
    .post(`${base}/documents`)
    .send({ title: 'Job', text: unique('job') })
    .expect(202);
  return res.body.job.id;
}

const finishedExportId = randomUUID();
await api.deps.db.insert(jobs).values({
  id: finishedExportId,
  kind: 'export',
  status: 'succeeded',
  investigationId: inv,
  targetType: 'investigation',
  targetId: inv,
  payload: { jobId: finishedExportId, investigationId: inv, format: 'csv', requestedBy: owner.id },
});

async function freshMember(role: Role = 'viewer'): Promise<TestUser> {
  const user = await createTestUser(api.deps.db);
  await addMembers(api, inv, [{ user, role }]);
  return user;
}

const actions: Action[] = [
  // investigations
  { name: 'get investigation', method: 'get', minRole: 'viewer', ok: [200], prepare: fixed(base) },
  {
    name: 'update investigation',
    method: 'patch',
    minRole: 'editor',
    ok: [200],
    prepare: fixed(base, { description: 'changed' }),
  },
  {
    name: 'delete investigation',
    method: 'delete',
    minRole: 'owner',
    ok: [204],
    prepare: freshInvestigation,
  },
  // members
  { name: 'list members', method: 'get', minRole: 'viewer', ok: [200], prepare: fixed(`${base}/members`) },
  {
    name: 'add member',
    method: 'post',
    minRole: 'owner',
    ok: [202],
    prepare: async () => {
      const user = await createTestUser(api.deps.db);
      return { investigationId: inv, url: `${base}/members`, body: { userId: user.id, role: 'viewer' } };
    },
  },
  {
    name: 'change member role',
    method: 'patch',
    minRole: 'owner',
    ok: [200],
    prepare: async () => {
      const user = await freshMember();
      return { investigationId: inv, url: `${base}/members/${user.id}`, body: { role: 'editor' } };
    },
  },
  {
    name: 'remove member',
    method: 'delete',
    minRole: 'owner',
    ok: [204],
    prepare: async () => {
      const user = await freshMember();
      return { investigationId: inv, url: `${base}/members/${user.id}` };
    },
  },
  // selectors
  {
    name: 'add selector',
    method: 'post',
    minRole: 'editor',
    ok: [201],
    prepare: async () => ({
      investigationId: inv,
      url: `${base}/selectors`,
      body: { value: `${unique('a')}.example.net` },
    }),
  },
  {
    name: 'list selectors',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/selectors`),
  },
  {
    name: 'get selector',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/selectors/${world.selectorId}`),
  },
  {
    name: 'update selector',
    method: 'patch',
    minRole: 'editor',
    ok: [200],
    prepare: fixed(`${base}/selectors/${world.selectorId}`, { tags: ['matrix'] }),
  },
  {
    name: 'remove selector',
    method: 'delete',
    minRole: 'editor',
    ok: [204],
    prepare: async () => ({ investigationId: inv, url: `${base}/selectors/${await freshSelector()}` }),
  },
  {
    name: 'selector correlations',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/selectors/${world.selectorId}/correlations`),
  },
  {
    name: 'selector mentions',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/selectors/${world.selectorId}/mentions`),
  },
  // documents
  {
    name: 'create document',
    method: 'post',
    minRole: 'editor',
    ok: [202],
    prepare: async () => ({
      investigationId: inv,
      url: `${base}/documents`,
      body: { title: 'Pasted', text: `text ${unique('d')}` },
    }),
  },
  {
    name: 'list documents',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/documents`),
  },
  {
    name: 'get document',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/documents/${world.documentId}`),
  },
  {
    name: 'document mentions',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/documents/${world.documentId}/mentions`),
  },
  {
    name: 'delete document',
    method: 'delete',
    minRole: 'editor',
    ok: [204],
    prepare: async () => {
      const res = await asOwner
        .post(`${base}/documents`)
        .send({ title: 'Doomed', text: unique('doc') })
        .expect(202);
      return { investigationId: inv, url: `${base}/documents/${res.body.document.id}` };
    },
  },
  {
    name: 'get job',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`/api/v1/jobs/${world.jobId}`),
  },
  // entities
  {
    name: 'create entity',
    method: 'post',
    minRole: 'editor',
    ok: [201],
    prepare: fixed(`${base}/entities`, { kind: 'person', label: 'Someone' }),
  },
  { name: 'list entities', method: 'get', minRole: 'viewer', ok: [200], prepare: fixed(`${base}/entities`) },
  {
    name: 'get entity',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/entities/${world.entityId}`),
  },
  {
    name: 'update entity',
    method: 'patch',
    minRole: 'editor',
    ok: [200],
    prepare: fixed(`${base}/entities/${world.entityId}`, { properties: { note: 'x' } }),
  },
  {
    name: 'delete entity',
    method: 'delete',
    minRole: 'editor',
    ok: [204],
    prepare: async () => ({ investigationId: inv, url: `${base}/entities/${await freshEntity()}` }),
  },
  // relationships
  {
    name: 'create relationship',
    method: 'post',
    minRole: 'editor',
    ok: [201],
    prepare: async () => ({
      investigationId: inv,
      url: `${base}/relationships`,
      body: {
        source: { kind: 'entity', id: await freshEntity() },
        target: { kind: 'entity', id: world.entity2Id },
        type: 'related-to',
      },
    }),
  },
  {
    name: 'list relationships',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/relationships`),
  },
  {
    name: 'get relationship',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/relationships/${world.relationshipId}`),
  },
  {
    name: 'delete relationship',
    method: 'delete',
    minRole: 'editor',
    ok: [204],
    prepare: async () => {
      const res = await asOwner
        .post(`${base}/relationships`)
        .send({
          source: { kind: 'entity', id: await freshEntity() },
          target: { kind: 'entity', id: world.entity2Id },
          type: 'same-as',
        })
        .expect(201);
      return { investigationId: inv, url: `${base}/relationships/${res.body.id}` };
    },
  },
  // notes
  {
    name: 'create note',
    method: 'post',
    minRole: 'editor',
    ok: [201],
    prepare: fixed(`${base}/notes`, { body: 'hello', target: { kind: 'entity', id: world.entityId } }),
  },
  { name: 'list notes', method: 'get', minRole: 'viewer', ok: [200], prepare: fixed(`${base}/notes`) },
  {
    name: 'get note',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/notes/${world.noteId}`),
  },
  {
    name: 'update note',
    method: 'patch',
    minRole: 'editor',
    ok: [200],
    prepare: fixed(`${base}/notes/${world.noteId}`, { body: 'edited' }),
  },
  {
    name: 'delete note',
    method: 'delete',
    minRole: 'editor',
    ok: [204],
    prepare: async () => {
      const res = await asOwner.post(`${base}/notes`).send({ body: 'bye' }).expect(201);
      return { investigationId: inv, url: `${base}/notes/${res.body.id}` };
    },
  },
  // jobs, search, graph, exports (issue 8)
  { name: 'list jobs', method: 'get', minRole: 'viewer', ok: [200], prepare: fixed(`${base}/jobs`) },
  {
    name: 'cancel job',
    method: 'post',
    minRole: 'editor',
    ok: [200],
    prepare: async () => ({ investigationId: inv, url: `/api/v1/jobs/${await freshJob()}/cancel` }),
  },
  {
    // A finished job's stream sends its state and ends, so it can be read to the end here; the
    // investigation-wide stream never ends by itself and is covered in sse-jobs.test.ts.
    name: 'job events',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: async () => {
      const jobId = await freshJob();
      await asOwner.post(`/api/v1/jobs/${jobId}/cancel`).expect(200);
      return { investigationId: inv, url: `/api/v1/jobs/${jobId}/events` };
    },
  },
  {
    name: 'enrich selector',
    method: 'post',
    minRole: 'editor',
    ok: [202],
    prepare: fixed(`${base}/selectors/${world.selectorId}/enrich`, {}),
  },
  { name: 'search', method: 'get', minRole: 'viewer', ok: [200], prepare: fixed(`${base}/search?q=example`) },
  {
    name: 'paste-a-list look-up',
    method: 'post',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/search/lookup`, { text: 'example[.]com' }),
  },
  { name: 'graph', method: 'get', minRole: 'viewer', ok: [200], prepare: fixed(`${base}/graph`) },
  {
    name: 'request export',
    method: 'post',
    minRole: 'viewer',
    ok: [202],
    prepare: fixed(`${base}/exports`, { format: 'csv' }),
  },
  {
    // No worker runs here: a job row marked succeeded whose file does not exist answers 410 to those who
    // pass the access check.
    name: 'download export',
    method: 'get',
    minRole: 'viewer',
    ok: [410],
    prepare: async () => ({ investigationId: inv, url: `/api/v1/exports/${finishedExportId}/download` }),
  },
  // audit
  {
    name: 'investigation audit',
    method: 'get',
    minRole: 'viewer',
    ok: [200],
    prepare: fixed(`${base}/audit`),
  },
];

const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

function expected(action: Action, caller: Caller): number[] {
  if (caller === 'anonymous') return [401];
  // The brief's one exception: administrators may read any job's status (and watch it); they know such a
  // job exists, so changing it is 403 rather than 404.
  if (caller === 'admin') {
    if (action.name === 'get job' || action.name === 'job events') return [200];
    return action.name === 'cancel job' ? [403] : [404];
  }
  if (caller === 'outsider') return [404];
  return RANK[caller] >= RANK[action.minRole] ? action.ok : [403];
}

function authFor(w: World, caller: Caller, kind: 'session' | 'token'): Auth {
  if (caller === 'anonymous') return { kind: 'anonymous' };
  return { kind, user: w[caller] };
}

const callers: Caller[] = ['owner', 'editor', 'viewer', 'outsider', 'admin', 'anonymous'];
const cases = actions.flatMap((action) => callers.map((caller) => ({ action, caller })));

describe('access matrix (session cookie)', () => {
  it.each(cases)('$action.name as $caller', async ({ action, caller }) => {
    const target = await action.prepare();
    const req = call(app, authFor(world, caller, 'session'), action.method, target.url);
    const res = target.body === undefined ? await req : await req.send(target.body as object);
    expect(expected(action, caller), `${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
    if (res.status >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('access matrix (bearer token) agrees for reads and writes', () => {
  const sample = actions.filter((a) =>
    ['get investigation', 'update entity', 'add member', 'list notes'].includes(a.name),
  );
  const tokenCases = sample.flatMap((action) =>
    (['owner', 'editor', 'viewer', 'outsider'] as Caller[]).map((caller) => ({ action, caller })),
  );
  it.each(tokenCases)('$action.name as $caller', async ({ action, caller }) => {
    const target = await action.prepare();
    const req = call(app, authFor(world, caller, 'token'), action.method, target.url);
    const res = target.body === undefined ? await req : await req.send(target.body as object);
    expect(expected(action, caller)).toContain(res.status);
  });
});

describe('no existence leaks', () => {
  it('a non-member cannot tell an existing investigation from a missing one', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const o = as(app, world.outsider);
    for (const suffix of ['', '/selectors', '/documents', '/entities', '/notes', '/audit', '/members']) {
      const real = await o.get(`${base}${suffix}`);
      const fake = await o.get(`/api/v1/investigations/${missing}${suffix}`);
      expect(real.status).toBe(404);
      expect(fake.status).toBe(404);
      expect({ ...real.body, instance: '', requestId: '' }).toEqual({
        ...fake.body,
        instance: '',
        requestId: '',
      });
    }
  });

  it("lists show only the caller's investigations, even to admins", async () => {
    const mine = await as(app, world.viewer).get('/api/v1/investigations').expect(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(inv);
    const admin = await as(app, world.admin).get('/api/v1/investigations').expect(200);
    expect(admin.body.items).toEqual([]);
  });

  it('objects of another investigation are 404 even for a member of both', async () => {
    const other = await createInvestigationAs(app, owner, 'Other');
    for (const path of [
      `selectors/${world.selectorId}`,
      `entities/${world.entityId}`,
      `documents/${world.documentId}`,
      `selectors/${world.selectorId}/mentions`,
      `documents/${world.documentId}/mentions`,
      `relationships/${world.relationshipId}`,
      `notes/${world.noteId}`,
    ]) {
      await asOwner.get(`/api/v1/investigations/${other}/${path}`).expect(404);
    }
  });
});

describe('platform administration: disabling and re-enabling accounts (administrators only)', () => {
  const adminActions = ['disable', 'enable'] as const;
  const adminCases = adminActions.flatMap((action) => callers.map((caller) => ({ action, caller })));
  it.each(adminCases)('$action a user as $caller', async ({ action, caller }) => {
    // A fresh account each time, so disabling never touches the world's callers.
    const target = await createTestUser(api.deps.db);
    const res = await call(
      app,
      authFor(world, caller, 'session'),
      'post',
      `/api/v1/users/${target.id}/${action}`,
    );
    const status = caller === 'anonymous' ? 401 : caller === 'admin' ? 200 : 403;
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status === 200) expect(res.body).toMatchObject({ id: target.id, disabled: action === 'disable' });
  });
});
