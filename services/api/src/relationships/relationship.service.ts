import type { ObjectKind } from '@osint/contracts';
import {
  type Database,
  type DbOrTx,
  documents,
  entities,
  investigationSelectors,
  relationships,
} from '@osint/db';
import {
  type Actor,
  deleteRelationship as deleteEdge,
  insertRelationships,
  recordAudit,
} from '@osint/writes';
import { and, eq, or } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { requireRole, transactionAs } from '../investigations/access.js';
import { AppError, type FieldError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newestFirst, type Page } from '../shared/pagination.js';
import type { createRelationshipBody, listRelationshipsQuery } from './relationship.schema.js';

type RelationshipRow = typeof relationships.$inferSelect;

export function presentRelationship(row: RelationshipRow) {
  return {
    id: row.id,
    investigationId: row.investigationId,
    source: { kind: row.sourceKind, id: row.sourceId },
    target: { kind: row.targetKind, id: row.targetId },
    type: row.type,
    confidence: row.confidence,
    evidenceDocumentId: row.evidenceDocumentId,
    createdBy: row.createdByUser,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Whether (kind, id) is an object of this investigation; selectors count while they are linked to it. */
export async function objectExists(
  db: DbOrTx,
  investigationId: string,
  kind: ObjectKind | 'relationship',
  id: string,
): Promise<boolean> {
  switch (kind) {
    case 'selector': {
      const rows = await db
        .select({ id: investigationSelectors.id })
        .from(investigationSelectors)
        .where(
          and(
            eq(investigationSelectors.investigationId, investigationId),
            eq(investigationSelectors.selectorId, id),
          ),
        )
        .limit(1);
      return rows.length > 0;
    }
    case 'entity': {
      const rows = await db
        .select({ id: entities.id })
        .from(entities)
        .where(and(eq(entities.investigationId, investigationId), eq(entities.id, id)))
        .limit(1);
      return rows.length > 0;
    }
    case 'document': {
      const rows = await db
        .select({ id: documents.id })
        .from(documents)
        .where(and(eq(documents.investigationId, investigationId), eq(documents.id, id)))
        .limit(1);
      return rows.length > 0;
    }
    case 'relationship': {
      const rows = await db
        .select({ id: relationships.id })
        .from(relationships)
        .where(and(eq(relationships.investigationId, investigationId), eq(relationships.id, id)))
        .limit(1);
      return rows.length > 0;
    }
  }
}

export async function createRelationship(
  db: Database,
  actor: Actor,
  investigationId: string,
  input: z.output<typeof createRelationshipBody>,
) {
  return transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const missing: FieldError[] = [];
    if (!(await objectExists(tx, investigationId, input.source.kind, input.source.id))) {
      missing.push({ field: 'source', message: `no such ${input.source.kind} in this investigation` });
    }
    if (!(await objectExists(tx, investigationId, input.target.kind, input.target.id))) {
      missing.push({ field: 'target', message: `no such ${input.target.kind} in this investigation` });
    }
    if (
      input.evidenceDocumentId &&
      !(await objectExists(tx, investigationId, 'document', input.evidenceDocumentId))
    ) {
      missing.push({ field: 'evidenceDocumentId', message: 'no such document in this investigation' });
    }
    if (missing.length > 0) throw new ValidationError(missing, 'Both ends must belong to the investigation.');
    const [created] = await insertRelationships(tx, {
      investigationId,
      jobId: null,
      userId: actor.userId,
      keepSelfLoops: true,
      items: [
        {
          sourceKind: input.source.kind,
          sourceId: input.source.id,
          targetKind: input.target.kind,
          targetId: input.target.id,
          type: input.type,
          confidence: input.confidence,
          evidenceDocumentId: input.evidenceDocumentId ?? null,
        },
      ],
    });
    if (!created) throw new AppError(409, 'duplicate_relationship', 'That relationship already exists.');
    const [row] = await tx.select().from(relationships).where(eq(relationships.id, created.id));
    if (!row) throw new Error('insert returned no row');
    const presented = presentRelationship(row);
    await recordAudit(tx, actor, {
      action: 'relationship.create',
      objectType: 'relationship',
      objectId: row.id,
      investigationId,
      after: presented,
    });
    return presented;
  });
}

export async function getRelationship(
  db: Database,
  userId: string,
  investigationId: string,
  relationshipId: string,
) {
  await requireRole(db, userId, investigationId, 'viewer');
  const [row] = await db
    .select()
    .from(relationships)
    .where(and(eq(relationships.investigationId, investigationId), eq(relationships.id, relationshipId)))
    .limit(1);
  if (!row) throw new NotFoundError('relationship');
  return presentRelationship(row);
}

export async function listRelationships(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: z.output<typeof listRelationshipsQuery>,
): Promise<Page<ReturnType<typeof presentRelationship>>> {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  if ((query.objectKind === undefined) !== (query.objectId === undefined)) {
    throw new ValidationError([{ field: 'objectId', message: 'give objectKind and objectId together' }]);
  }
  const r = relationships;
  const list = newestFirst(
    deps.cursors,
    `relationships:${investigationId}:${query.type ?? ''}:${query.objectKind ?? ''}:${query.objectId ?? ''}`,
    query,
    r.createdAt,
    r.id,
  );
  const touching =
    query.objectKind && query.objectId
      ? or(
          and(eq(r.sourceKind, query.objectKind), eq(r.sourceId, query.objectId)),
          and(eq(r.targetKind, query.objectKind), eq(r.targetId, query.objectId)),
        )
      : undefined;
  const rows = await list.fetch(
    deps.db.select({ rel: r, t: list.time }).from(r).$dynamic(),
    eq(r.investigationId, investigationId),
    query.type ? eq(r.type, query.type) : undefined,
    touching,
  );
  return list.page(
    rows,
    (row) => presentRelationship(row.rel),
    (row) => row.rel.id,
  );
}

export async function deleteRelationship(
  db: Database,
  actor: Actor,
  investigationId: string,
  relationshipId: string,
) {
  await transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const before = await deleteEdge(tx, investigationId, relationshipId);
    if (!before) throw new NotFoundError('relationship');
    await recordAudit(tx, actor, {
      action: 'relationship.delete',
      objectType: 'relationship',
      objectId: relationshipId,
      investigationId,
      before: presentRelationship(before),
    });
  });
}
