import type postgres from 'postgres';

/**
 * The database roles of docs/decisions/0021-database-roles.md. The migration (owner) role is whoever runs
 * the migrations; these two are granted exactly what they need, after every migration run, by that role.
 */
export interface RoleNames {
  /** The API's and the worker's login: data access only, and append-only on the audit table. */
  runtime: string;
  /** The backup login: reads everything pg_dump needs, writes nothing. */
  backup: string;
}

export const DEFAULT_ROLE_NAMES: RoleNames = { runtime: 'osint_app', backup: 'osint_backup' };

/** Schemas the runtime role works in. `drizzle` (the migrations journal) is the owner's alone. */
const RUNTIME_SCHEMAS = ['public'];
/** Schemas a backup must read to be restorable (the journal tells a restore which migrations it holds). */
const BACKUP_SCHEMAS = ['public', 'drizzle'];
/** Tables the runtime role may only append to and read: evidence (migration 0003 adds the triggers too). */
const APPEND_ONLY_TABLES = ['audit_events'];

export interface GrantOutcome {
  runtime: string;
  backup: string;
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Re-states the privileges of the runtime and backup roles, idempotently, in one transaction: everything
 * granted is first revoked, so a privilege granted by hand (or by an older version) does not survive a
 * migration run. Runs as the migration role, which owns the objects; default privileges make tables it
 * creates later readable/writable without waiting for the next run. A role that does not exist is
 * reported and skipped (a deployment still using one role for everything keeps working, and says so).
 */
export async function applyRoleGrants(
  sql: postgres.Sql,
  names: RoleNames = DEFAULT_ROLE_NAMES,
): Promise<GrantOutcome> {
  const rows = await sql<{ rolname: string; rolsuper: boolean; is_me: boolean }[]>`
    select rolname, rolsuper, rolname = current_user as is_me from pg_roles
    where rolname in (${names.runtime}, ${names.backup})`;
  const found = new Map(rows.map((r) => [r.rolname, r]));
  const usable = (name: string): string | null => {
    const role = found.get(name);
    if (!role) return `skipped: role ${name} does not exist`;
    if (role.is_me) return `skipped: ${name} is the migration role itself`;
    if (role.rolsuper) return `skipped: ${name} is a superuser; it must not be`;
    return null;
  };
  const outcome: GrantOutcome = {
    runtime: usable(names.runtime) ?? `granted to ${names.runtime}`,
    backup: usable(names.backup) ?? `granted to ${names.backup}`,
  };
  await sql.begin(async (tx) => {
    const [db] = await tx<{ name: string }[]>`select current_database() as name`;
    const database = ident(db?.name ?? '');
    if (usable(names.runtime) === null) {
      const r = ident(names.runtime);
      await tx.unsafe(`grant connect on database ${database} to ${r}`);
      for (const schema of RUNTIME_SCHEMAS) {
        const s = ident(schema);
        await tx.unsafe(`revoke all on all tables in schema ${s} from ${r}`);
        await tx.unsafe(`revoke all on all sequences in schema ${s} from ${r}`);
        await tx.unsafe(`grant usage on schema ${s} to ${r}`);
        await tx.unsafe(`grant select, insert, update, delete on all tables in schema ${s} to ${r}`);
        await tx.unsafe(`grant usage, select on all sequences in schema ${s} to ${r}`);
        await tx.unsafe(`grant execute on all functions in schema ${s} to ${r}`);
        await tx.unsafe(
          `alter default privileges in schema ${s} grant select, insert, update, delete on tables to ${r}`,
        );
        await tx.unsafe(`alter default privileges in schema ${s} grant usage, select on sequences to ${r}`);
      }
      for (const table of APPEND_ONLY_TABLES) {
        await tx.unsafe(`revoke update, delete, truncate on ${ident(table)} from ${r}`);
      }
    }
    if (usable(names.backup) === null) {
      const b = ident(names.backup);
      await tx.unsafe(`grant connect on database ${database} to ${b}`);
      for (const schema of BACKUP_SCHEMAS) {
        const s = ident(schema);
        const [exists] = await tx<{ n: number }[]>`
          select count(*)::int as n from pg_namespace where nspname = ${schema}`;
        if (!exists?.n) continue;
        await tx.unsafe(`revoke all on all tables in schema ${s} from ${b}`);
        await tx.unsafe(`revoke all on all sequences in schema ${s} from ${b}`);
        await tx.unsafe(`grant usage on schema ${s} to ${b}`);
        await tx.unsafe(`grant select on all tables in schema ${s} to ${b}`);
        await tx.unsafe(`grant select on all sequences in schema ${s} to ${b}`);
        await tx.unsafe(`alter default privileges in schema ${s} grant select on tables to ${b}`);
        await tx.unsafe(`alter default privileges in schema ${s} grant select on sequences to ${b}`);
      }
    }
  });
  return outcome;
}

/** Role names from the environment the migrate entry point runs in (DATABASE_RUNTIME_ROLE, DATABASE_BACKUP_ROLE). */
export function roleNamesFrom(env: NodeJS.ProcessEnv): RoleNames {
  return {
    runtime: env.DATABASE_RUNTIME_ROLE || DEFAULT_ROLE_NAMES.runtime,
    backup: env.DATABASE_BACKUP_ROLE || DEFAULT_ROLE_NAMES.backup,
  };
}
