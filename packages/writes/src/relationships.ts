import type { ObjectKind, RelationshipType } from '@osint/contracts';
import { type DbOrTx, relationships } from '@osint/db';
import { and, eq, sql } from 'drizzle-orm';
import { chunks } from './sql-state.js';

export interface EdgeInput {
  sourceKind: ObjectKind;
  sourceId: string;
  targetKind: ObjectKind;
  targetId: string;
  type: RelationshipType;
  confidence: number;
  evidenceDocumentId: string | null;
}

/** An edge's natural key (relationships_edge_key without the investigation). */
export const edgeKey = (e: Pick<EdgeInput, 'sourceKind' | 'sourceId' | 'targetKind' | 'targetId' | 'type'>) =>
  `${e.sourceKind}:${e.sourceId}>${e.targetKind}:${e.targetId}:${e.type}`;

/**
 * Inserts edges that do not exist yet (the edge key ignores confidence and evidence: the first stays), in
 * key order. A job's edges record the job and the person it acts for; a person's, the person. Edges from
 * an object to itself are dropped unless `keepSelfLoops` (a person may draw one; derived facts never need
 * one). Returns the new edges' ids by {@link edgeKey}.
 */
export async function insertRelationships(
  tx: DbOrTx,
  edge: {
    investigationId: string;
    jobId: string | null;
    userId: string | null;
    items: readonly EdgeInput[];
    keepSelfLoops?: boolean;
  },
): Promise<Array<{ id: string; key: string }>> {
  const unique = new Map<string, EdgeInput>();
  for (const e of edge.items) {
    if (!edge.keepSelfLoops && e.sourceKind === e.targetKind && e.sourceId === e.targetId) continue;
    const key = edgeKey(e);
    if (!unique.has(key)) unique.set(key, e);
  }
  const sorted = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
  const inserted: Array<{ id: string; key: string }> = [];
  for (const batch of chunks(sorted)) {
    const json = JSON.stringify(
      batch.map((e) => ({
        sk: e.sourceKind,
        si: e.sourceId,
        tk: e.targetKind,
        ti: e.targetId,
        t: e.type,
        c: e.confidence,
        ev: e.evidenceDocumentId,
      })),
    );
    const rows = await tx.execute<{
      id: string;
      sk: ObjectKind;
      si: string;
      tk: ObjectKind;
      ti: string;
      t: RelationshipType;
    }>(sql`
      insert into relationships (investigation_id, source_kind, source_id, target_kind, target_id, type,
                                 confidence, evidence_document_id, created_by_user, created_by_job)
      select ${edge.investigationId}::uuid, r.sk, r.si, r.tk, r.ti, r.t, r.c, r.ev,
             ${edge.userId}::uuid, ${edge.jobId}::uuid
      from jsonb_to_recordset(${json}::jsonb)
        as r(sk object_kind, si uuid, tk object_kind, ti uuid, t relationship_type, c smallint, ev uuid)
      on conflict on constraint relationships_edge_key do nothing
      returning id, source_kind as sk, source_id as si, target_kind as tk, target_id as ti, type as t`);
    for (const r of rows) {
      inserted.push({
        id: r.id,
        key: edgeKey({ sourceKind: r.sk, sourceId: r.si, targetKind: r.tk, targetId: r.ti, type: r.t }),
      });
    }
  }
  return inserted;
}

/** Deletes one edge of the investigation; returns it as it was, or undefined when there was none. */
export async function deleteRelationship(tx: DbOrTx, investigationId: string, relationshipId: string) {
  const [before] = await tx
    .delete(relationships)
    .where(and(eq(relationships.investigationId, investigationId), eq(relationships.id, relationshipId)))
    .returning();
  return before;
}
