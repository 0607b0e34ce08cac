import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { applyRoleGrants, DEFAULT_ROLE_NAMES, type GrantOutcome, type RoleNames } from './roles.js';

/** The committed drizzle-kit output; resolves the same from `src/` (tsx) and `dist/` (compiled). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

/** Arbitrary constant key for pg_advisory_lock; any runner of this project uses the same one. */
const MIGRATION_LOCK_KEY = 727_001;

export interface MigrationResult {
  applied: number;
  total: number;
  ms: number;
  /** What the runtime and backup roles were granted (docs/decisions/0021-database-roles.md). */
  roles: GrantOutcome;
}

/**
 * Applies pending migrations under a session-level advisory lock, so concurrent runners (several pods, the
 * Compose one-shot and a developer's shell) apply each migration exactly once and the others wait; then,
 * under the same lock, re-states the runtime and backup roles' privileges. `url` is the migration
 * (owner) role's connection.
 */
export async function runMigrations(
  url: string,
  folder = MIGRATIONS_FOLDER,
  roles: RoleNames = DEFAULT_ROLE_NAMES,
): Promise<MigrationResult> {
  const started = performance.now();
  // One connection: the advisory lock belongs to the session that took it.
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const before = await countApplied(sql);
    await migrate(drizzle(sql), { migrationsFolder: folder });
    const after = await countApplied(sql);
    const granted = await applyRoleGrants(sql, roles);
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    return {
      applied: after - before,
      total: after,
      ms: Math.round(performance.now() - started),
      roles: granted,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function countApplied(sql: postgres.Sql): Promise<number> {
  const [exists] = await sql<
    { t: string | null }[]
  >`select to_regclass('drizzle.__drizzle_migrations')::text as t`;
  if (!exists?.t) return 0;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return row?.n ?? 0;
}
