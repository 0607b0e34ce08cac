import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { selectors } from './selectors.js';

/**
 * What an enrichment provider said about a selector, kept for the provider's TTL so a re-run within it
 * reuses the answer instead of asking again (a DNS server, a rate-limited API). Selectors are global, so
 * one cached answer serves every investigation; linking the answer into an investigation is the job's
 * work. The worker also mirrors each row into Redis; this table is the durable copy.
 */
export const enrichmentResults = pgTable(
  'enrichment_results',
  {
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
    primaryKey({ columns: [t.selectorId, t.provider] }),
    index('enrichment_results_expires_idx').on(t.expiresAt),
    check('enrichment_results_provider_length', sql`char_length(${t.provider}) between 1 and 100`),
    check('enrichment_results_expiry_order', sql`${t.fetchedAt} <= ${t.expiresAt}`),
  ],
);
