import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  inet,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';

/** Platform-wide role: admins manage users; everything inside an investigation is decided by membership. */
export const userRole = pgEnum('user_role', ['admin', 'member']);

/**
 * People who sign in. Users are disabled, not deleted: rows they authored reference them without cascade
 * (ON DELETE NO ACTION), so deleting a user who created anything fails instead of erasing provenance.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored as typed; uniqueness is case-insensitive through `users_email_lower_key`. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** argon2id PHC string (`$argon2id$v=19$...`), produced by the API; never a plain password. */
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    role: userRole('role').notNull().default('member'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    check('users_email_shape', sql`${t.email} ~ '^[^@\\s]+@[^@\\s]+$' and char_length(${t.email}) <= 320`),
    check('users_display_name_length', sql`char_length(${t.displayName}) between 1 and 200`),
    check('users_password_hash_argon2id', sql`${t.passwordHash} like '$argon2id$%'`),
  ],
);

/**
 * Browser sessions. The primary key is the hex SHA-256 of the session token, so a leaked table (or backup)
 * cannot be replayed as cookies; the token itself exists only in the cookie.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    ip: inet('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
    check('sessions_id_sha256_hex', sql`${t.id} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * Personal API tokens for automation. Only the hex SHA-256 of a token is stored (it is shown once at
 * creation); `prefix` is the token's first characters, kept so a user can tell tokens apart in a list.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash),
    index('api_tokens_user_idx').on(t.userId, t.createdAt),
    check('api_tokens_token_hash_sha256_hex', sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check('api_tokens_prefix_length', sql`char_length(${t.prefix}) between 1 and 16`),
    check('api_tokens_name_length', sql`char_length(${t.name}) between 1 and 200`),
  ],
);
