import { type Database, notes } from '@osint/db';
import { type Actor, recordAudit } from '@osint/writes';
import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { requireRole, transactionAs } from '../investigations/access.js';
import { objectExists } from '../relationships/relationship.service.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { newestFirst, type Page } from '../shared/pagination.js';
import type { createNoteBody, listNotesQuery } from './note.schema.js';

type NoteRow = typeof notes.$inferSelect;

export function presentNote(row: NoteRow) {
  return {
    id: row.id,
    investigationId: row.investigationId,
    target: row.targetKind && row.targetId ? { kind: row.targetKind, id: row.targetId } : null,
    body: row.body,
    authorId: row.authorId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const inInvestigation = (investigationId: string, noteId: string) =>
  and(eq(notes.investigationId, investigationId), eq(notes.id, noteId));

export async function createNote(
  db: Database,
  actor: Actor,
  investigationId: string,
  input: z.output<typeof createNoteBody>,
) {
  return transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    if (input.target && !(await objectExists(tx, investigationId, input.target.kind, input.target.id))) {
      throw new ValidationError([
        { field: 'target', message: `no such ${input.target.kind} in this investigation` },
      ]);
    }
    const [row] = await tx
      .insert(notes)
      .values({
        investigationId,
        targetKind: input.target?.kind ?? null,
        targetId: input.target?.id ?? null,
        body: input.body,
        authorId: actor.userId,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    const presented = presentNote(row);
    await recordAudit(tx, actor, {
      action: 'note.create',
      objectType: 'note',
      objectId: row.id,
      investigationId,
      after: presented,
    });
    return presented;
  });
}

export async function getNote(db: Database, userId: string, investigationId: string, noteId: string) {
  await requireRole(db, userId, investigationId, 'viewer');
  const [row] = await db.select().from(notes).where(inInvestigation(investigationId, noteId)).limit(1);
  if (!row) throw new NotFoundError('note');
  return presentNote(row);
}

export async function listNotes(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: z.output<typeof listNotesQuery>,
): Promise<Page<ReturnType<typeof presentNote>>> {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  if (
    query.targetId !== undefined &&
    (query.targetKind === undefined || query.targetKind === 'investigation')
  ) {
    throw new ValidationError([
      { field: 'targetKind', message: 'give the kind of the object targetId names' },
    ]);
  }
  const list = newestFirst(
    deps.cursors,
    `notes:${investigationId}:${query.targetKind ?? ''}:${query.targetId ?? ''}`,
    query,
    notes.createdAt,
    notes.id,
  );
  const target =
    query.targetKind === 'investigation'
      ? isNull(notes.targetKind)
      : query.targetKind
        ? and(
            eq(notes.targetKind, query.targetKind),
            query.targetId ? eq(notes.targetId, query.targetId) : undefined,
          )
        : undefined;
  const rows = await list.fetch(
    deps.db.select({ note: notes, t: list.time }).from(notes).$dynamic(),
    eq(notes.investigationId, investigationId),
    target,
  );
  return list.page(
    rows,
    (r) => presentNote(r.note),
    (r) => r.note.id,
  );
}

/** Editors may edit any note of the investigation (notes are shared working material, and audited). */
export async function updateNote(
  db: Database,
  actor: Actor,
  investigationId: string,
  noteId: string,
  body: string,
) {
  return transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const [before] = await tx
      .select()
      .from(notes)
      .where(inInvestigation(investigationId, noteId))
      .for('update');
    if (!before) throw new NotFoundError('note');
    const [after] = await tx.update(notes).set({ body }).where(eq(notes.id, noteId)).returning();
    if (!after) throw new NotFoundError('note');
    const presented = presentNote(after);
    await recordAudit(tx, actor, {
      action: 'note.update',
      objectType: 'note',
      objectId: noteId,
      investigationId,
      before: presentNote(before),
      after: presented,
    });
    return presented;
  });
}

export async function deleteNote(db: Database, actor: Actor, investigationId: string, noteId: string) {
  await transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const [before] = await tx.delete(notes).where(inInvestigation(investigationId, noteId)).returning();
    if (!before) throw new NotFoundError('note');
    await recordAudit(tx, actor, {
      action: 'note.delete',
      objectType: 'note',
      objectId: noteId,
      investigationId,
      before: presentNote(before),
    });
  });
}
