import { memberships } from '@osint/db';
import type { Express } from 'express';
import { expect } from 'vitest';
import type { TestApi } from './api.js';
import { as, createTestUser, type TestUser } from './api-fixtures.js';

/**
 * A small populated investigation with one user per role, plus an outsider and an admin who are not
 * members: the fixture the access-matrix, audit and hostile-input suites share.
 */
export interface World {
  app: Express;
  api: TestApi;
  owner: TestUser;
  editor: TestUser;
  viewer: TestUser;
  outsider: TestUser;
  admin: TestUser;
  investigationId: string;
  selectorId: string;
  entityId: string;
  entity2Id: string;
  documentId: string;
  jobId: string;
  relationshipId: string;
  noteId: string;
}

let seq = 0;
/** A value unique within the test run, for bodies that must not collide (selectors, documents). */
export function unique(prefix = 'x'): string {
  seq += 1;
  return `${prefix}${seq}${Date.now().toString(36)}`;
}

export async function createInvestigationAs(app: Express, owner: TestUser, title = 'Test investigation') {
  const res = await as(app, owner).post('/api/v1/investigations').send({ title, defaultRegion: 'GB' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

export async function addMembers(
  api: TestApi,
  investigationId: string,
  members: Array<{ user: TestUser; role: 'owner' | 'editor' | 'viewer' }>,
) {
  if (members.length === 0) return;
  await api.deps.db
    .insert(memberships)
    .values(members.map((m) => ({ investigationId, userId: m.user.id, role: m.role })));
}

export async function buildWorld(api: TestApi): Promise<World> {
  const { app, deps } = api;
  const [owner, editor, viewer, outsider, admin] = await Promise.all([
    createTestUser(deps.db),
    createTestUser(deps.db),
    createTestUser(deps.db),
    createTestUser(deps.db),
    createTestUser(deps.db, { role: 'admin' }),
  ]);
  const investigationId = await createInvestigationAs(app, owner);
  await addMembers(api, investigationId, [
    { user: editor, role: 'editor' },
    { user: viewer, role: 'viewer' },
  ]);
  const o = as(app, owner);
  const base = `/api/v1/investigations/${investigationId}`;
  const selector = await o.post(`${base}/selectors`).send({ value: 'example.com' }).expect(201);
  const entity = await o.post(`${base}/entities`).send({ kind: 'person', label: 'A. Person' }).expect(201);
  const entity2 = await o.post(`${base}/entities`).send({ kind: 'organisation', label: 'Org' }).expect(201);
  const doc = await o
    .post(`${base}/documents`)
    .send({ title: 'Report', text: 'seen example.com' })
    .expect(202);
  const rel = await o
    .post(`${base}/relationships`)
    .send({
      source: { kind: 'entity', id: entity.body.id },
      target: { kind: 'selector', id: selector.body.id },
      type: 'owns',
    })
    .expect(201);
  const note = await o.post(`${base}/notes`).send({ body: 'A *note*.' }).expect(201);
  return {
    app,
    api,
    owner,
    editor,
    viewer,
    outsider,
    admin,
    investigationId,
    selectorId: selector.body.id,
    entityId: entity.body.id,
    entity2Id: entity2.body.id,
    documentId: doc.body.document.id,
    jobId: doc.body.job.id,
    relationshipId: rel.body.id,
    noteId: note.body.id,
  };
}
