import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/**
 * A timestamptz as `Date#toISOString` renders it (UTC, milliseconds truncated), computed by PostgreSQL, so
 * a reader that only passes rows on needs neither a `Date` per value nor a mapping step.
 */
export function isoMillis(value: SQLWrapper): SQL<string> {
  return sql<string>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The same at full (microsecond) precision: a keyset cursor's time must lose nothing. */
export function isoMicros(value: SQLWrapper): SQL<string> {
  return sql<string>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
