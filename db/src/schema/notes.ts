import { NOTE_TARGET_KINDS } from '@osint/contracts';
import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { investigations } from './investigations.js';
import { users } from './users.js';

/** What a note can be attached to besides the investigation itself. */
export const noteTargetKind = pgEnum('note_target_kind', NOTE_TARGET_KINDS);

/**
 * Markdown notes on an investigation (no target) or on one object in it (target kind + id). Like edges, a
 * target must be in the note's investigation, and the note goes when its target does (migration 0004).
 */
export const notes = pgTable(
  'notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => investigations.id, { onDelete: 'cascade' }),
    targetKind: noteTargetKind('target_kind'),
    targetId: uuid('target_id'),
    /** Markdown source; rendered (and sanitised) by the client. */
    body: text('body').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    ...timestamps(),
  },
  (t) => [
    index('notes_page_idx').on(t.investigationId, t.createdAt, t.id),
    index('notes_target_idx')
      .on(t.investigationId, t.targetKind, t.targetId)
      .where(sql`${t.targetKind} is not null`),
    check('notes_target_pair', sql`(${t.targetKind} is null) = (${t.targetId} is null)`),
    check('notes_body_length', sql`char_length(${t.body}) between 1 and 100000`),
  ],
);
