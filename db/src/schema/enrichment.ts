import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { investigations } from './investigations.js';
import { selectors } from './selectors.js';

/**
 * What an enrichment provider said about a selector for the investigation that asked, kept for the
 * provider's TTL so that investigation's re-run within it reuses the answer instead of asking again (a DNS
 * server, a rate-limited API). Answers are per investigation, never shared: a cached answer, or the time it
 * was fetched, would tell one investigation that another looked at the same value (ADR 0020). They go with
 * the investigation. The worker also mirrors each row into Redis; this table is the durable copy.
 */
export const enrichmentResults = pgTable(
  'enrichment_results',
  {
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => investigations.id, { onDelete: 'cascade' }),
    selectorId: uuid('selector_id')
      .notNull()
      .references(() => selectors.id, { onDelete: 'cascade' }),
    /** Provider name (`dns`, `domain-suffix`...), stable across releases. */
    provider: text('provider').notNull(),
    /** The provider's answer: attributes and related values, before they are linked into any investigation. */
    result: jsonb('result').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.investigationId, t.selectorId, t.provider] }),
    index('enrichment_results_selector_idx').on(t.selectorId),
    index('enrichment_results_expires_idx').on(t.expiresAt),
    check('enrichment_results_provider_length', sql`char_length(${t.provider}) between 1 and 100`),
    check('enrichment_results_expiry_order', sql`${t.fetchedAt} <= ${t.expiresAt}`),
  ],
);
