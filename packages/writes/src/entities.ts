import type { EntityKind } from '@osint/contracts';
import { type DbOrTx, entities } from '@osint/db';
import { and, eq } from 'drizzle-orm';
import { chunks } from './sql-state.js';

type EntityRow = typeof entities.$inferSelect;

export interface EntityInput {
  /** Chosen by the caller when it must map old ids to new ones (an import); otherwise PostgreSQL's. */
  id?: string;
  kind: EntityKind;
  label: string;
  properties?: Record<string, unknown>;
}

/** Inserts an investigation's entities, set-based; returns the rows. */
export async function insertEntities(
  tx: DbOrTx,
  investigationId: string,
  userId: string,
  items: readonly EntityInput[],
): Promise<EntityRow[]> {
  const out: EntityRow[] = [];
  for (const batch of chunks(items)) {
    out.push(
      ...(await tx
        .insert(entities)
        .values(batch.map((e) => ({ ...e, investigationId, createdBy: userId })))
        .returning()),
    );
  }
  return out;
}

const inInvestigation = (investigationId: string, entityId: string) =>
  and(eq(entities.id, entityId), eq(entities.investigationId, investigationId));

/** Changes an entity of the investigation; undefined when there is none. */
export async function updateEntity(
  tx: DbOrTx,
  investigationId: string,
  entityId: string,
  changes: Partial<Pick<EntityRow, 'kind' | 'label' | 'properties'>>,
): Promise<EntityRow | undefined> {
  const [after] = await tx
    .update(entities)
    .set(changes)
    .where(inInvestigation(investigationId, entityId))
    .returning();
  return after;
}

/** Deletes an entity of the investigation (its edges go by the clean-up trigger); returns it as it was. */
export async function deleteEntity(
  tx: DbOrTx,
  investigationId: string,
  entityId: string,
): Promise<EntityRow | undefined> {
  const [before] = await tx.delete(entities).where(inInvestigation(investigationId, entityId)).returning();
  return before;
}
