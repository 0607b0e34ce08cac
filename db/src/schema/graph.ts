import { ENTITY_KINDS, OBJECT_KINDS, RELATIONSHIP_TYPES } from '@osint/contracts';
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgEnum, pgTable, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { documents } from './documents.js';
import { investigations } from './investigations.js';
import { jobs } from './jobs.js';
import { users } from './users.js';

export const entityKind = pgEnum('entity_kind', ENTITY_KINDS);

/**
 * What a graph edge or a note can point at. A `selector` endpoint is the global `selectors.id` (so edges
 * line up across investigations), valid only while the selector is in the edge's investigation.
 */
export const objectKind = pgEnum('object_kind', OBJECT_KINDS);

export const relationshipType = pgEnum('relationship_type', RELATIONSHIP_TYPES);

/** People, organisations and other things an investigation reasons about, beyond raw selectors. */
export const entities = pgTable(
  'entities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => investigations.id, { onDelete: 'cascade' }),
    kind: entityKind('kind').notNull(),
    label: text('label').notNull(),
    properties: jsonb('properties').notNull().default(sql`'{}'::jsonb`),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    ...timestamps(),
  },
  (t) => [
    index('entities_page_idx').on(t.investigationId, t.createdAt, t.id),
    check('entities_label_length', sql`char_length(${t.label}) between 1 and 500`),
    check('entities_properties_object', sql`jsonb_typeof(${t.properties}) = 'object'`),
  ],
);

/**
 * Directed, typed edges between objects of one investigation. Endpoints are (kind, id) pairs, which a
 * foreign key cannot express; triggers (migration 0004) do its job: an endpoint must be in the edge's
 * investigation (else SQLSTATE 23503, like a foreign key), and an edge goes when an endpoint leaves it.
 */
export const relationships = pgTable(
  'relationships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => investigations.id, { onDelete: 'cascade' }),
    sourceKind: objectKind('source_kind').notNull(),
    sourceId: uuid('source_id').notNull(),
    targetKind: objectKind('target_kind').notNull(),
    targetId: uuid('target_id').notNull(),
    type: relationshipType('type').notNull(),
    /** 0..100, the analyst's (or job's) confidence that the edge is true. */
    confidence: smallint('confidence').notNull().default(50),
    /** The document that supports the edge; the edge survives the document's deletion without it. */
    evidenceDocumentId: uuid('evidence_document_id').references(() => documents.id, { onDelete: 'set null' }),
    createdByUser: uuid('created_by_user').references(() => users.id),
    /** Who asserted the edge: a person, a job, or both (a person's request carried out by a job). */
    createdByJob: uuid('created_by_job').references(() => jobs.id),
    ...timestamps(),
  },
  (t) => [
    unique('relationships_edge_key').on(
      t.investigationId,
      t.sourceKind,
      t.sourceId,
      t.targetKind,
      t.targetId,
      t.type,
    ),
    index('relationships_target_idx').on(t.investigationId, t.targetKind, t.targetId),
    index('relationships_page_idx').on(t.investigationId, t.createdAt, t.id),
    index('relationships_evidence_idx')
      .on(t.evidenceDocumentId)
      .where(sql`${t.evidenceDocumentId} is not null`),
    index('relationships_job_idx').on(t.createdByJob).where(sql`${t.createdByJob} is not null`),
    check('relationships_has_creator', sql`${t.createdByUser} is not null or ${t.createdByJob} is not null`),
    check('relationships_confidence_range', sql`${t.confidence} between 0 and 100`),
    check(
      'relationships_not_self',
      sql`not (${t.sourceKind} = ${t.targetKind} and ${t.sourceId} = ${t.targetId})`,
    ),
  ],
);
