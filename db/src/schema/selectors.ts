import { SELECTOR_SOURCES, SELECTOR_TYPES } from '@osint/contracts';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { investigations } from './investigations.js';
import { jobs } from './jobs.js';
import { users } from './users.js';

export const selectorType = pgEnum('selector_type', SELECTOR_TYPES);

/** How a selector came into an investigation: typed by a person, found in a document, learnt, imported. */
export const selectorSource = pgEnum('selector_source', SELECTOR_SOURCES);

/**
 * Largest match key, in bytes, the unique (type, value) B-tree can hold. A B-tree entry must fit in a third
 * of an 8 KiB page (2704 bytes, PostgreSQL's "index row size" limit); 2048 leaves room for the type and
 * tuple headers. The API refuses longer values with a 400 before they reach the database.
 */
export const MAX_SELECTOR_VALUE_BYTES = 2048;

/**
 * Global, de-duplicated selectors: one row per (type, normalised value) across all investigations, so
 * correlation is a join. The row holds only what no investigation can learn anything from — the type and
 * the match key — and everything an investigation observed (its spelling, when it saw the value, what
 * enrichment told it) lives on its `investigation_selectors` link (ADR 0020). Rows are referenced from
 * links and mentions with ON DELETE NO ACTION; deleting an investigation removes the rows nothing else
 * references. `value` is only ever written by core's `normaliseSelector`.
 */
export const selectors = pgTable(
  'selectors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: selectorType('type').notNull(),
    /** Canonical match key from core's normaliser; same type + same value = same selector. */
    value: text('value').notNull(),
  },
  (t) => [
    unique('selectors_type_value_key').on(t.type, t.value),
    index('selectors_value_trgm_idx').using('gin', t.value.op('gin_trgm_ops')),
    check(
      'selectors_value_size',
      sql`octet_length(${t.value}) between 1 and ${sql.raw(String(MAX_SELECTOR_VALUE_BYTES))}`,
    ),
  ],
);

/**
 * A selector's life inside one investigation: where it came from, how this investigation spelt it, when it
 * saw it first and last, what its enrichment found, how the team labelled it, whether it is a false
 * positive. Nothing here is visible to another investigation (ADR 0020). Removing it from an investigation
 * deletes this row, never the global selector.
 */
export const investigationSelectors = pgTable(
  'investigation_selectors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => investigations.id, { onDelete: 'cascade' }),
    selectorId: uuid('selector_id')
      .notNull()
      .references(() => selectors.id),
    source: selectorSource('source').notNull(),
    /** The first spelling this investigation saw (trimmed), shown back to its members. */
    displayValue: text('display_value').notNull(),
    /** Facts from normalisation and from the enrichment this investigation asked for (`enrichment.<provider>`). */
    attributes: jsonb('attributes').notNull().default(sql`'{}'::jsonb`),
    /** When this investigation first and last saw the value (added, extracted, derived, imported). */
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    note: text('note'),
    falsePositive: boolean('false_positive').notNull().default(false),
    /** The person who added it; null when a job did (then `added_by_job_id` says which). */
    addedBy: uuid('added_by').references(() => users.id),
    addedByJobId: uuid('added_by_job_id').references(() => jobs.id),
    ...timestamps(),
  },
  (t) => [
    unique('investigation_selectors_investigation_selector_key').on(t.investigationId, t.selectorId),
    index('investigation_selectors_page_idx').on(t.investigationId, t.createdAt, t.id),
    index('investigation_selectors_selector_idx').on(t.selectorId, t.investigationId),
    index('investigation_selectors_job_idx').on(t.addedByJobId).where(sql`${t.addedByJobId} is not null`),
    check('investigation_selectors_tags_limit', sql`cardinality(${t.tags}) <= 50`),
    check(
      'investigation_selectors_display_value_length',
      sql`char_length(${t.displayValue}) between 1 and 8192`,
    ),
    check('investigation_selectors_attributes_object', sql`jsonb_typeof(${t.attributes}) = 'object'`),
    check('investigation_selectors_seen_order', sql`${t.firstSeenAt} <= ${t.lastSeenAt}`),
    check(
      'investigation_selectors_has_adder',
      sql`${t.addedBy} is not null or ${t.addedByJobId} is not null`,
    ),
    check(
      'investigation_selectors_manual_has_person',
      sql`${t.source} <> 'manual' or ${t.addedBy} is not null`,
    ),
  ],
);

/**
 * One row per tag of an investigation's selector link, so the list filtered by a tag walks that tag's own
 * page order `(investigation_id, tag, created_at, link_id)` and reads about a page of entries whatever the
 * tag's frequency (docs/performance.md#tag-filter, ADR 0004). Kept by statement-level triggers on
 * investigation_selectors (migration 0013: insert, update, delete), never written by the application:
 * every write of `tags`, by any code path, keeps it exact. `created_at` is the link's, so the order and the
 * keyset cursor are the list's own.
 */
export const investigationSelectorTags = pgTable(
  'investigation_selector_tags',
  {
    linkId: uuid('link_id').notNull(),
    investigationId: uuid('investigation_id').notNull(),
    tag: text('tag').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'investigation_selector_tags_pkey', columns: [t.linkId, t.tag] }),
    index('investigation_selector_tags_page_idx').on(t.investigationId, t.tag, t.createdAt, t.linkId),
  ],
);
