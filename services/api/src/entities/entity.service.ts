import { type Database, entities } from '@osint/db';
import {
  type Actor,
  deleteEntity as deleteEntityRow,
  insertEntities,
  recordAudit,
  updateEntity as updateEntityRow,
} from '@osint/writes';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { requireRole, transactionAs } from '../investigations/access.js';
import { NotFoundError } from '../shared/errors.js';
import { newestFirst, type Page } from '../shared/pagination.js';
import type { createEntityBody, listEntitiesQuery, updateEntityBody } from './entity.schema.js';

type EntityRow = typeof entities.$inferSelect;

export function presentEntity(row: EntityRow) {
  return {
    id: row.id,
    investigationId: row.investigationId,
    kind: row.kind,
    label: row.label,
    properties: (row.properties ?? {}) as Record<string, unknown>,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const inInvestigation = (investigationId: string, entityId: string) =>
  and(eq(entities.id, entityId), eq(entities.investigationId, investigationId));

export async function createEntity(
  db: Database,
  actor: Actor,
  investigationId: string,
  input: z.output<typeof createEntityBody>,
) {
  return transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const [row] = await insertEntities(tx, investigationId, actor.userId, [input]);
    if (!row) throw new Error('insert returned no row');
    const presented = presentEntity(row);
    await recordAudit(tx, actor, {
      action: 'entity.create',
      objectType: 'entity',
      objectId: row.id,
      investigationId,
      after: presented,
    });
    return presented;
  });
}

export async function getEntity(db: Database, userId: string, investigationId: string, entityId: string) {
  await requireRole(db, userId, investigationId, 'viewer');
  const [row] = await db.select().from(entities).where(inInvestigation(investigationId, entityId)).limit(1);
  if (!row) throw new NotFoundError('entity');
  return presentEntity(row);
}

export async function listEntities(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: z.output<typeof listEntitiesQuery>,
): Promise<Page<ReturnType<typeof presentEntity>>> {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  const list = newestFirst(
    deps.cursors,
    `entities:${investigationId}:${query.kind ?? ''}`,
    query,
    entities.createdAt,
    entities.id,
  );
  const rows = await list.fetch(
    deps.db.select({ entity: entities, t: list.time }).from(entities).$dynamic(),
    eq(entities.investigationId, investigationId),
    query.kind ? eq(entities.kind, query.kind) : undefined,
  );
  return list.page(
    rows,
    (r) => presentEntity(r.entity),
    (r) => r.entity.id,
  );
}

export async function updateEntity(
  db: Database,
  actor: Actor,
  investigationId: string,
  entityId: string,
  input: z.output<typeof updateEntityBody>,
) {
  return transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const [before] = await tx
      .select()
      .from(entities)
      .where(inInvestigation(investigationId, entityId))
      .for('update');
    if (!before) throw new NotFoundError('entity');
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const after = await updateEntityRow(tx, investigationId, entityId, changes);
    if (!after) throw new NotFoundError('entity');
    const presented = presentEntity(after);
    await recordAudit(tx, actor, {
      action: 'entity.update',
      objectType: 'entity',
      objectId: entityId,
      investigationId,
      before: presentEntity(before),
      after: presented,
    });
    return presented;
  });
}

/** Relationships that point at the entity are removed by the database's clean-up trigger. */
export async function deleteEntity(db: Database, actor: Actor, investigationId: string, entityId: string) {
  await transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const before = await deleteEntityRow(tx, investigationId, entityId);
    if (!before) throw new NotFoundError('entity');
    await recordAudit(tx, actor, {
      action: 'entity.delete',
      objectType: 'entity',
      objectId: entityId,
      investigationId,
      before: presentEntity(before),
    });
  });
}
