import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiConfigSchema } from '@osint/api';
import { DEV_DEFAULTS } from '@osint/core';
import { workerConfigSchema } from '@osint/worker';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { spawnTs } from '../support/processes.js';

/** A bad environment stops start-up with one line per bad variable and no stack trace. */
describe('configuration errors stop start-up', () => {
  it('the API names every malformed variable and exits 78', async () => {
    const api = spawnTs('services/api/src/main.ts', {
      API_PORT: 'not-a-port',
      DATABASE_URL: 'mysql://nope',
      SESSION_SECRET: 'short',
    });
    const { code } = await api.exited;
    const out = api.output();
    expect(code).toBe(78);
    expect(out).toContain('api: refusing to start, invalid configuration');
    expect(out).toMatch(/API_PORT: /);
    expect(out).toMatch(/DATABASE_URL: must be a postgres/);
    expect(out).toMatch(/SESSION_SECRET: must be at least 32 characters/);
    expect(out).not.toContain('short'); // the secret's value is never echoed
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 30_000);

  it('production refuses the development default secret', async () => {
    const api = spawnTs('services/api/src/main.ts', {
      NODE_ENV: 'production',
      SESSION_SECRET: '',
      DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/osint',
    });
    // An empty variable falls back to the default, which production must refuse.
    const { code } = await api.exited;
    expect(code).toBe(78);
    expect(api.output()).toMatch(/SESSION_SECRET: /);
  }, 30_000);

  it('the worker names a malformed variable and exits 78', async () => {
    const worker = spawnTs('services/worker/src/main.ts', { WORKER_CONCURRENCY: '-3' });
    const { code } = await worker.exited;
    expect(code).toBe(78);
    expect(worker.output()).toMatch(/WORKER_CONCURRENCY: /);
  }, 30_000);

  it('production: the worker refuses the development database password like the API', async () => {
    // A development URL of any role (the runtime role here) carries the published password.
    const worker = spawnTs('services/worker/src/main.ts', {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://osint_app:osint@db.internal:5432/osint',
    });
    const { code } = await worker.exited;
    const out = worker.output();
    expect(code).toBe(78);
    expect(out).toContain('worker: refusing to start, invalid configuration');
    expect(out).toMatch(/DATABASE_URL: uses the development default/);
  }, 30_000);
});

/**
 * Every development secret the repository publishes, read from where it is published: the native and
 * Compose URLs (password `osint`, any role) and the k8s dev overlay's generated Secret (`dev-only` values).
 * A production deployment that copied any of them must not start, the API and the worker alike.
 */
describe('production refuses every published development secret', () => {
  const text = (file: string) => readFileSync(path.resolve(file), 'utf8');
  const k8sLiterals = Object.fromEntries(
    [...text('k8s/overlays/dev/kustomization.yaml').matchAll(/^\s+- ([A-Z_]+)=(.+)$/gm)].map((m) => [
      m[1] ?? '',
      m[2] ?? '',
    ]),
  );
  const composeUrls = [
    ...new Set(
      ['compose.yaml', '.env.example'].flatMap((f) =>
        [
          ...text(f).matchAll(
            /(?<![A-Z_])(?:MIGRATION_)?DATABASE_URL[=:]\s*(postgres:\/\/[a-z_]+:[^@$\s]+@[^\s"']+)/g,
          ),
        ].map((m) => m[1] ?? ''),
      ),
    ),
  ];
  const databaseUrls = [
    ...composeUrls,
    k8sLiterals.DATABASE_URL ?? '',
    k8sLiterals.MIGRATION_DATABASE_URL ?? '',
    // The same password as a `password=` parameter, which libpq accepts too.
    'postgres://osint_app@db.internal:5432/osint?password=osint',
  ];
  const sessionSecrets = [DEV_DEFAULTS.sessionSecret, k8sLiterals.SESSION_SECRET ?? ''];
  const real = {
    DATABASE_URL: 'postgres://osint_app:9c1f0e6b3a7d@db.internal:5432/osint',
    SESSION_SECRET: 'f3a9c2e17b5d40e8a6c1d9b2e4f7a0c3',
  };
  const problems = (schema: z.ZodType, env: Record<string, string>) => {
    const parsed = schema.safeParse({ NODE_ENV: 'production', ...env });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
  };

  it('finds them where they are published', () => {
    expect(composeUrls.length).toBeGreaterThanOrEqual(2);
    expect(databaseUrls.every((u) => u.startsWith('postgres://'))).toBe(true);
    expect(sessionSecrets[1]).toMatch(/^dev-only-/);
  });

  it.each(databaseUrls)('DATABASE_URL %s: the API and the worker refuse it', (url) => {
    const refused = ['DATABASE_URL: uses the development default; set a real value in production'];
    expect(problems(apiConfigSchema, { ...real, DATABASE_URL: url })).toEqual(refused);
    expect(problems(workerConfigSchema, { DATABASE_URL: url })).toEqual(refused);
  });

  it.each(sessionSecrets)('SESSION_SECRET %s: the API refuses it', (secret) => {
    expect(problems(apiConfigSchema, { ...real, SESSION_SECRET: secret })).toEqual([
      'SESSION_SECRET: uses the development default; set a real value in production',
    ]);
  });

  it('real values start, and development keeps its defaults', () => {
    expect(problems(apiConfigSchema, real)).toEqual([]);
    expect(problems(workerConfigSchema, { DATABASE_URL: real.DATABASE_URL })).toEqual([]);
    expect(apiConfigSchema.safeParse({ NODE_ENV: 'development' }).success).toBe(true);
    expect(workerConfigSchema.safeParse({ NODE_ENV: 'development' }).success).toBe(true);
  });
});
