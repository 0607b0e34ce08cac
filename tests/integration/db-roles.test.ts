/**
 * Database roles (docs/decisions/0021-database-roles.md), against the real server: the runtime role the API
 * and the worker log in as has data access only and appends to the audit trail without being able to change
 * or silence it, and cannot reach the server's programs; the backup role reads and cannot write; the
 * migrations run re-states both, so a privilege granted by hand does not survive it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyRoleGrants, DEFAULT_ROLE_NAMES, runMigrations } from '@osint/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findPgTool } from '../../scripts/db/pg-tools.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

let database: TestDatabase;
let runtime: postgres.Sql;
let backup: postgres.Sql;

function as(url: string, role: { name: string; password: string }): postgres.Sql {
  const parsed = new URL(url);
  parsed.username = role.name;
  parsed.password = role.password;
  return postgres(parsed.toString(), { max: 1, onnotice: () => {} });
}

/** The SQLSTATE a statement fails with (or 'ok'). */
async function outcome(sql: postgres.Sql, statement: string): Promise<string> {
  try {
    await sql.unsafe(statement);
    return 'ok';
  } catch (error) {
    // A failed `begin …` leaves the session in an aborted transaction: end it for the next statement.
    await sql.unsafe('rollback').catch(() => {});
    return (error as { code?: string }).code ?? String(error);
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  runtime = postgres(database.runtimeUrl, { max: 1, onnotice: () => {} });
  // The development backup login shares the runtime one's password (scripts/lib/postgres-provider.ts).
  backup = as(database.url, { name: DEFAULT_ROLE_NAMES.backup, password: inject('pgRuntimeRole').password });
  await database.client.sql`
    insert into audit_events (actor_type, action, object_type, object_id, request_id)
    values ('system', 'test.seed', 'user', gen_random_uuid(), 'db-roles')`;
});

afterAll(async () => {
  await runtime?.end();
  await backup?.end();
});

describe('the runtime role (API, worker)', () => {
  it('is who the API under test logs in as, and no superuser', async () => {
    const [me] = await runtime<{ user: string; rolsuper: boolean; rolcreaterole: boolean }[]>`
      select current_user as user, rolsuper, rolcreaterole from pg_roles where rolname = current_user`;
    expect(me).toEqual({ user: DEFAULT_ROLE_NAMES.runtime, rolsuper: false, rolcreaterole: false });
  });

  it('appends to and reads the audit trail', async () => {
    await runtime`
      insert into audit_events (actor_type, action, object_type, object_id, request_id)
      values ('system', 'test.runtime', 'user', gen_random_uuid(), 'db-roles')`;
    const rows = await runtime`select action from audit_events where request_id = 'db-roles'`;
    expect(rows.map((r) => r.action).sort()).toEqual(['test.runtime', 'test.seed']);
  });

  it.each([
    ['update an audit event', `update audit_events set action = 'forged'`],
    ['delete an audit event', 'delete from audit_events'],
    ['truncate the audit trail', 'truncate audit_events'],
    ['disable the append-only trigger', 'alter table audit_events disable trigger audit_events_append_only'],
    ['drop the append-only trigger', 'drop trigger audit_events_append_only on audit_events'],
    ['run a program through COPY', `copy (select 1) to program 'id'`],
    ['read a server file through COPY', `copy audit_events from '/etc/passwd'`],
    ['create a table', 'create table planted (x int)'],
    ['read the migrations journal', 'select * from drizzle.__drizzle_migrations'],
    ['grant itself more', 'grant pg_execute_server_program to current_user'],
  ])('cannot %s', async (_what, statement) => {
    expect(await outcome(runtime, statement)).toBe('42501'); // insufficient_privilege
    const [row] = await database.client.sql<{ n: number }[]>`
      select count(*)::int as n from audit_events where request_id = 'db-roles' and action <> 'forged'`;
    expect(row?.n).toBe(2);
  });

  it('still reads and writes the data tables', async () => {
    expect(await outcome(runtime, 'select count(*) from users')).toBe('ok');
    expect(await outcome(runtime, `update investigations set updated_at = updated_at where false`)).toBe(
      'ok',
    );
  });
});

describe('the backup role', () => {
  it('reads every table pg_dump needs, the migrations journal included', async () => {
    expect(await outcome(backup, 'select count(*) from audit_events')).toBe('ok');
    expect(await outcome(backup, 'select count(*) from drizzle.__drizzle_migrations')).toBe('ok');
  });

  it('cannot write, even in a transaction it declares read-write', async () => {
    // Read-only by default (25006), and no write privilege when asked for read-write (42501).
    expect(await outcome(backup, `delete from sessions`)).toBe('25006');
    expect(await outcome(backup, 'begin read write; delete from sessions; commit')).toBe('42501');
    expect(await outcome(backup, `copy (select 1) to program 'id'`)).toMatch(/^(25006|42501)$/);
  });
});

describe('the migrations run re-states the grants (idempotent)', () => {
  it('revokes a privilege granted by hand, and twice in a row changes nothing', async () => {
    await database.client.sql.unsafe(
      `grant update, delete, truncate on audit_events to ${DEFAULT_ROLE_NAMES.runtime}`,
    );
    expect(await outcome(runtime, `update audit_events set request_id = request_id where false`)).toBe('ok');
    const first = await runMigrations(database.url);
    expect(first.applied).toBe(0);
    expect(first.roles).toEqual({
      runtime: `granted to ${DEFAULT_ROLE_NAMES.runtime}`,
      backup: `granted to ${DEFAULT_ROLE_NAMES.backup}`,
    });
    const privileges = () => database.client.sql<{ grantee: string; privilege_type: string }[]>`
      select grantee, privilege_type from information_schema.table_privileges
      where table_name = 'audit_events' and grantee in (${DEFAULT_ROLE_NAMES.runtime}, ${DEFAULT_ROLE_NAMES.backup})
      order by 1, 2`;
    const after = await privileges();
    expect(after).toEqual([
      { grantee: DEFAULT_ROLE_NAMES.runtime, privilege_type: 'INSERT' },
      { grantee: DEFAULT_ROLE_NAMES.runtime, privilege_type: 'SELECT' },
      { grantee: DEFAULT_ROLE_NAMES.backup, privilege_type: 'SELECT' },
    ]);
    expect(await outcome(runtime, `update audit_events set request_id = request_id where false`)).toBe(
      '42501',
    );
    await applyRoleGrants(database.client.sql);
    expect(await privileges()).toEqual(after);
  });

  it('skips (and says so) a role that does not exist or is the migration role itself', async () => {
    const outcomeOf = await applyRoleGrants(database.client.sql, {
      runtime: 'no_such_role_here',
      backup: new URL(database.url).username,
    });
    expect(outcomeOf.runtime).toBe('skipped: role no_such_role_here does not exist');
    expect(outcomeOf.backup).toMatch(/skipped: .* is the migration role itself/);
  });
});

describe("the postgres image's init script (docker/postgres/initdb/10-osint-roles.sh)", () => {
  it('is the script the k8s dev overlay mounts, byte for byte (kustomize cannot read outside its directory)', () => {
    expect(readFileSync('k8s/overlays/dev/initdb/10-osint-roles.sh', 'utf8')).toBe(
      readFileSync('docker/postgres/initdb/10-osint-roles.sh', 'utf8'),
    );
  });

  /**
   * Run as the image runs it (sh, POSTGRES_USER/POSTGRES_DB, the roles' passwords in the environment)
   * against a database of its own, through a `psql` that records its argv and then runs the real one.
   */
  it("creates the owner with its password, and no password reaches psql's command line", async () => {
    const suffix = randomBytes(4).toString('hex');
    const db = `initdb_${suffix}`;
    const owner = { name: `own_${suffix}`, password: `ownpw${randomBytes(12).toString('hex')}` };
    const others = [`apppw${randomBytes(12).toString('hex')}`, `bkpw${randomBytes(12).toString('hex')}`];
    const admin = new URL(inject('pgAdminUrl'));
    const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
    const dir = mkdtempSync(path.join(tmpdir(), 'initdb-argv-'));
    try {
      await sql.unsafe(`create database "${db}"`);
      const log = path.join(dir, 'argv.log');
      writeFileSync(
        path.join(dir, 'psql'),
        `#!/bin/sh\nprintf 'argv:%s\\n' "$*" >>'${log}'\nexec '${findPgTool('psql')}' "$@"\n`,
      );
      chmodSync(path.join(dir, 'psql'), 0o755);
      const run = spawnSync('sh', [path.resolve('docker/postgres/initdb/10-osint-roles.sh')], {
        encoding: 'utf8',
        env: {
          PATH: `${dir}:${process.env.PATH}`,
          PGHOST: admin.hostname,
          PGPORT: admin.port,
          PGPASSWORD: decodeURIComponent(admin.password),
          POSTGRES_USER: decodeURIComponent(admin.username),
          POSTGRES_DB: db,
          OSINT_OWNER_ROLE: owner.name,
          OSINT_OWNER_PASSWORD: owner.password,
          OSINT_APP_PASSWORD: others[0],
          OSINT_BACKUP_PASSWORD: others[1],
        },
      });
      expect(run.status, run.stderr).toBe(0);
      const argv = readFileSync(log, 'utf8');
      expect(argv).toMatch(/^argv:.*--dbname initdb_/);
      for (const secret of [owner.password, ...others]) expect(argv).not.toContain(secret);
      // The password given in the environment is the one the new owner logs in with, and it owns the database.
      const url = new URL(admin.toString());
      url.username = owner.name;
      url.password = owner.password;
      url.pathname = `/${db}`;
      const asOwner = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        const [row] = await asOwner<{ owner: string }[]>`
          select pg_get_userbyid(datdba) as owner from pg_database where datname = current_database()`;
        expect(row?.owner).toBe(owner.name);
      } finally {
        await asOwner.end();
      }
    } finally {
      await sql.unsafe(`drop database if exists "${db}"`);
      await sql.unsafe(`drop role if exists "${owner.name}"`);
      await sql.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
