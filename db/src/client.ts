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
    onnotice: () => {},
    connection,
  });
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  return { db, sql, close: (timeout = 5) => sql.end({ timeout }) };
}
