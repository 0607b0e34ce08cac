/**
 * Database roles in the Compose files (docs/decisions/0021-database-roles.md): the api and the worker log in
 * as the data-only runtime role, migrations run as the owner, the postgres image's init script creates the
 * runtime and backup logins, and in production no service logs in as the bootstrap superuser. Pure: a
 * parsed Compose document in, findings out, so the check can be shown to fire on a broken copy.
 */
import { type ComposeFile, type ComposeService, environment } from './compose-exports.js';

/** The runtime role's name (db/src/roles.ts DEFAULT_ROLE_NAMES.runtime). */
export const RUNTIME_ROLE = 'osint_app';

/** The login a `postgres://user:password@…` URL names (Compose `${…}` interpolations left as written). */
export function urlRole(url: string | undefined): string | undefined {
  return url ? /^postgres(?:ql)?:\/\/([^:@/]+)[:@]/.exec(url)?.[1] : undefined;
}

/** The variable a `${NAME…}` password refers to, or the literal password. */
function urlPassword(url: string | undefined): string | undefined {
  const raw = url ? /^postgres(?:ql)?:\/\/[^:@/]+:(.*)@[^@]*$/.exec(url)?.[1] : undefined;
  return raw?.replace(/^\$\{([A-Z_]+)[^}]*\}$/, '$$$1');
}

function mountsInitScripts(service: ComposeService): boolean {
  return (service.volumes ?? []).some(
    (v) =>
      typeof v === 'string' && /^\.\/docker\/postgres\/initdb:\/docker-entrypoint-initdb\.d(:ro)?$/.test(v),
  );
}

export function composeRoleErrors(doc: ComposeFile, file: string, production: boolean): string[] {
  const errors: string[] = [];
  const env = (name: string) => {
    const service = doc.services[name];
    if (!service) errors.push(`${file}: no ${name} service`);
    return service ? environment(service) : {};
  };
  const postgres = env('postgres');
  const superuser = postgres.POSTGRES_USER ?? 'postgres';
  const owner = postgres.OSINT_OWNER_ROLE || superuser;

  if (!doc.services.postgres || !mountsInitScripts(doc.services.postgres)) {
    errors.push(`postgres: ./docker/postgres/initdb is not mounted at /docker-entrypoint-initdb.d`);
  }
  for (const key of ['OSINT_APP_PASSWORD', 'OSINT_BACKUP_PASSWORD']) {
    if (!postgres[key]) errors.push(`postgres: ${key} is not set (the init script needs it)`);
  }
  for (const name of ['api', 'worker']) {
    const url = env(name).DATABASE_URL;
    if (urlRole(url) !== RUNTIME_ROLE) {
      errors.push(`${name}: DATABASE_URL logs in as ${urlRole(url) ?? '(none)'}, not ${RUNTIME_ROLE}`);
    } else if (urlPassword(url) !== urlPassword(`postgres://x:${postgres.OSINT_APP_PASSWORD}@h`)) {
      errors.push(`${name}: DATABASE_URL's password is not the one postgres gives ${RUNTIME_ROLE}`);
    }
  }
  const migration = env('migrate').MIGRATION_DATABASE_URL;
  if (urlRole(migration) !== owner) {
    errors.push(
      `migrate: MIGRATION_DATABASE_URL logs in as ${urlRole(migration) ?? '(none)'}, not the owner ${owner}`,
    );
  }
  if (production) {
    if (owner === superuser) errors.push(`postgres: the owner is the bootstrap superuser ${superuser}`);
    for (const [name, service] of Object.entries(doc.services)) {
      if (name === 'postgres') continue;
      for (const [key, value] of Object.entries(environment(service))) {
        if (urlRole(value) === superuser)
          errors.push(`${name}: ${key} logs in as the superuser ${superuser}`);
      }
    }
  }
  return errors;
}
