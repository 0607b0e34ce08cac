import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const actorType = pgEnum('actor_type', ['user', 'job', 'system']);

/**
 * Append-only trail of every mutation (and of export reads). The `audit_events_append_only` triggers reject
 * UPDATE, DELETE and TRUNCATE. No foreign keys on purpose: the trail must outlive the investigation, user
 * or object it describes, so ids are plain values. `before`/`after` never carry secrets (password hashes,
 * token hashes, session ids).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    /** Identity, not uuid: gives a total order for pagination that matches insertion order. */
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorType: actorType('actor_type').notNull(),
    /** users.id or jobs.id; null for `system`. */
    actorId: uuid('actor_id'),
    /** `<object>.<verb>`, e.g. `investigation.create`, `selector.update`, `export.read`. */
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    /** Text, not uuid: some objects have composite or non-uuid keys (a membership is investigation + user). */
    objectId: text('object_id'),
    investigationId: uuid('investigation_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_events_investigation_idx').on(t.investigationId, t.id.desc()),
    index('audit_events_object_idx').on(t.objectType, t.objectId, t.id.desc()),
    index('audit_events_actor_idx').on(t.actorId, t.id.desc()),
    index('audit_events_at_brin_idx').using('brin', t.at),
    check('audit_events_actor_id_present', sql`${t.actorType} = 'system' or ${t.actorId} is not null`),
    check('audit_events_action_length', sql`char_length(${t.action}) between 1 and 100`),
  ],
);
