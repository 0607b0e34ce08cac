/**
 * Proof that the Compose stacks log in with the database roles of ADR 0021 (docs/decisions/
 * 0021-database-roles.md), as native mode (tests/integration/db-roles.test.ts) and k8s
 * (tests/infra/ops-k8s.test.ts) do: api and worker as the data-only runtime role, migrations as the owner,
 * and in production nothing as the bootstrap superuser. The check is shown firing on broken copies.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ComposeFile } from './support/compose-exports.js';
import { composeRoleErrors } from './support/compose-roles.js';
import { repoRoot } from './support/k8s-render.js';

const compose = (file: string) =>
  parse(readFileSync(path.join(repoRoot, file), 'utf8'), { merge: true }) as ComposeFile;

const files: Array<[string, boolean]> = [
  ['compose.yaml', false],
  ['compose.prod.yaml', true],
];

describe.each(files)('%s', (file, production) => {
  it('api and worker log in as the runtime role, migrate as the owner; postgres creates the logins', () => {
    expect(composeRoleErrors(compose(file), file, production)).toEqual([]);
  });

  it.each([
    [
      'the api as the owner',
      (d: ComposeFile) => {
        const env = d.services.api?.environment as Record<string, string>;
        env.DATABASE_URL = d.services.migrate?.environment
          ? ((d.services.migrate.environment as Record<string, string>).MIGRATION_DATABASE_URL ?? '')
          : '';
      },
      /^api: DATABASE_URL logs in as osint(_owner)?, not osint_app$/,
    ],
    [
      'the worker with another password than the role has',
      (d: ComposeFile) => {
        const env = d.services.worker?.environment as Record<string, string>;
        env.DATABASE_URL = 'postgres://osint_app:something-else@postgres:5432/osint';
      },
      /^worker: DATABASE_URL's password is not the one postgres gives osint_app$/,
    ],
    [
      'no init scripts',
      (d: ComposeFile) => {
        d.services.postgres = { ...d.services.postgres, volumes: [] };
      },
      /^postgres: \.\/docker\/postgres\/initdb is not mounted/,
    ],
  ])('fires on %s', (_what, breakIt, expected) => {
    const doc = compose(file);
    for (const s of Object.values(doc.services)) {
      if (s.environment && !Array.isArray(s.environment)) s.environment = { ...s.environment };
    }
    breakIt(doc);
    const errors = composeRoleErrors(doc, file, production);
    expect(errors.length, errors.join('\n')).toBeGreaterThan(0);
    expect(
      errors.some((e) => expected.test(e)),
      errors.join('\n'),
    ).toBe(true);
  });
});

describe('compose.prod.yaml', () => {
  it('fires when every process shares the bootstrap superuser (one role for everything)', () => {
    const doc = compose('compose.prod.yaml');
    const superuser = 'postgres://postgres:not-the-real-one@postgres:5432/osint';
    for (const name of ['api', 'worker', 'migrate']) {
      const service = doc.services[name];
      if (service)
        service.environment = { ...(service.environment as Record<string, string>), DATABASE_URL: superuser };
    }
    (doc.services.migrate?.environment as Record<string, string>).MIGRATION_DATABASE_URL = superuser;
    expect(composeRoleErrors(doc, 'compose.prod.yaml', true)).toEqual(
      expect.arrayContaining([
        'api: DATABASE_URL logs in as postgres, not osint_app',
        'worker: DATABASE_URL logs in as postgres, not osint_app',
        'migrate: MIGRATION_DATABASE_URL logs in as postgres, not the owner osint_owner',
        'api: DATABASE_URL logs in as the superuser postgres',
      ]),
    );
  });
});
