import { INVESTIGATION_STATUSES, MEMBER_ROLES, TLP_LEVELS } from '@osint/contracts';
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgEnum, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { users } from './users.js';

export const investigationStatus = pgEnum('investigation_status', INVESTIGATION_STATUSES);

/** FIRST Traffic Light Protocol 2.0 markings, least to most restrictive. */
export const tlp = pgEnum('tlp', TLP_LEVELS);

/** owner manages members and deletes; editor writes; viewer reads (issue 3's access matrix). */
export const membershipRole = pgEnum('membership_role', MEMBER_ROLES);

/**
 * The unit of work and of access control: every collected object belongs to exactly one investigation
 * (except global selectors), and deleting an investigation deletes everything it owns (ON DELETE CASCADE).
 */
export const investigations = pgTable(
  'investigations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: investigationStatus('status').notNull().default('open'),
    /** Defaults to AMBER: material is shared on a need-to-know basis until someone decides otherwise. */
    tlp: tlp('tlp').notNull().default('amber'),
    /** ISO 3166-1 alpha-2 region for phone numbers written without `+` (core's `defaultRegion`). */
    defaultRegion: text('default_region'),
    /**
     * Values extraction must not turn into selectors (the investigation's own infrastructure, well-known
     * benign domains): a JSON array whose item shape the API owns.
     */
    allowList: jsonb('allow_list').notNull().default(sql`'[]'::jsonb`),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    ...timestamps(),
  },
  (t) => [
    index('investigations_created_idx').on(t.createdAt, t.id),
    check('investigations_title_length', sql`char_length(${t.title}) between 1 and 500`),
    check('investigations_default_region_iso', sql`${t.defaultRegion} ~ '^[A-Z]{2}$'`),
    check('investigations_allow_list_array', sql`jsonb_typeof(${t.allowList}) = 'array'`),
  ],
);

/** Who may see and do what in one investigation. The API keeps at least one owner per investigation. */
export const memberships = pgTable(
  'memberships',
  {
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => investigations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull(),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.investigationId, t.userId] }),
    index('memberships_user_idx').on(t.userId, t.investigationId),
  ],
);
