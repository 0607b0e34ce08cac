import { customType, timestamp } from 'drizzle-orm/pg-core';

/**
 * `timestamptz` everywhere: instants are stored unambiguously and rendered in the reader's zone. Drizzle's
 * `$onUpdate` keeps `updated_at` honest for updates made through Drizzle; raw SQL must set it itself.
 */
export function timestamps() {
  return {
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  };
}

/** `bytea` (Drizzle 0.45 has no built-in): original document bytes, exactly as received. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

/**
 * `tsvector`, only ever written by PostgreSQL (a generated column); read back as PostgreSQL's text form,
 * which nothing in the application needs to parse.
 */
export const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});
