import { auditEvents, type DbOrTx } from '@osint/db';
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { CursorCodec, Page } from '../shared/pagination.js';
import { toPage } from '../shared/pagination.js';

type AuditRow = typeof auditEvents.$inferSelect;

export function presentAuditEvent(row: AuditRow) {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    investigationId: row.investigationId,
    before: row.before ?? null,
    after: row.after ?? null,
    requestId: row.requestId,
  };
}

/**
 * The global trail's view of an event: who did what to which object when. An investigation's events
 * carry no snapshots here (their `before`/`after` are the investigation's content: selector values, notes,
 * document titles, job summaries), whoever the administrator is a member of; members read them on the
 * investigation's own trail (ADR 0006). Platform events (accounts, tokens) keep theirs.
 */
export function presentAuditEventForAdmin(row: AuditRow) {
  const event = presentAuditEvent(row);
  return row.investigationId === null ? event : { ...event, before: null, after: null };
}

export interface AuditFilters {
  investigationId?: string | undefined;
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  actor?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

const auditKey = z.number().int().positive();

/**
 * Newest first by the identity column, which is insertion order: keyset pagination on one indexed integer,
 * stable while new events keep arriving.
 */
export async function queryAuditEvents(
  db: DbOrTx,
  cursors: CursorCodec,
  filters: AuditFilters,
  present: (row: AuditRow) => ReturnType<typeof presentAuditEvent> = presentAuditEvent,
): Promise<Page<ReturnType<typeof presentAuditEvent>>> {
  const scope = `audit:${filters.investigationId ?? '*'}:${filters.action ?? ''}:${filters.objectType ?? ''}:${filters.objectId ?? ''}:${filters.actor ?? ''}`;
  const after = filters.cursor ? cursors.decode(scope, filters.cursor, auditKey) : null;
  const a = auditEvents;
  const rows = await db
    .select()
    .from(a)
    .where(
      and(
        filters.investigationId ? eq(a.investigationId, filters.investigationId) : undefined,
        filters.action ? eq(a.action, filters.action) : undefined,
        filters.objectType ? eq(a.objectType, filters.objectType) : undefined,
        filters.objectId ? eq(a.objectId, filters.objectId) : undefined,
        filters.actor ? eq(a.actorId, filters.actor) : undefined,
        after !== null ? lt(a.id, after) : undefined,
      ),
    )
    .orderBy(desc(a.id))
    .limit(filters.limit + 1);
  return toPage(rows, filters.limit, present, (r) => cursors.encode(scope, r.id));
}
