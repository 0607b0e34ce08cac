import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema>;
/** The handle `Database#transaction` gives its callback. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** A database handle or an open transaction: queries take this first (house style 3). */
export type DbOrTx = Database | Transaction;

export interface DbClientOptions {
  /** Pool size for this process; see docs/operations.md for how it is derived from max_connections. */
  max?: number;
  /** Per-statement ceiling in ms so a runaway query cannot hold a pooled connection forever. */
  statementTimeoutMs?: number;
  applicationName?: string;
  /** How long opening a connection may take before the query fails (postgres.js `connect_timeout`); default 5 s. */
  connectTimeoutMs?: number;
}

export interface DbClient {
  db: Database;
  sql: postgres.Sql;
  close(timeoutSeconds?: number): Promise<void>;
}

/** Longest wait, in seconds, before the pool tries to connect again after a failed or lost connection. */
export const RECONNECT_DELAY_MAX_SECONDS = 1;

/**
 * The pool's wait before its next connection attempt after `retries` failed ones (postgres.js `backoff`;
 * the count returns to 0 on the first connection that succeeds): 50 ms doubling per failure, at most
 * RECONNECT_DELAY_MAX_SECONDS, with jitter so processes do not reconnect in step. postgres.js's own
 * default grows as 3^retries / 100 s up to 20 s: after the few seconds of a PostgreSQL restart, queries
 * waited up to 20 s for a connection that would have succeeded, so the API answered 503 (or nothing) for
 * that long after the database was back. Attempts are made only when queries are waiting, so a short cap
 * does not hammer a server that stays down.
 */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(0.05 * 2 ** retries, RECONNECT_DELAY_MAX_SECONDS) * (0.5 + Math.random() / 2);
}

/** Creates a pooled postgres.js client and its Drizzle handle; the caller owns and closes it. */
export function createDbClient(url: string, options: DbClientOptions = {}): DbClient {
  const connection: Record<string, string | number> = {
    application_name: options.applicationName ?? 'osint',
  };
  if (options.statementTimeoutMs) connection.statement_timeout = options.statementTimeoutMs;
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: (options.connectTimeoutMs ?? 5_000) / 1000,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection,
  });
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  return { db, sql, close: (timeout = 5) => sql.end({ timeout }) };
}
