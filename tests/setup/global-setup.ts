import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runMigrations } from '@osint/db';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../scripts/lib/ports.js';
import {
  DEV_LOGIN_ROLES,
  ensureDatabase,
  ensureLoginRoles,
  quoteIdent,
  startLocalPostgres,
} from '../../scripts/lib/postgres-provider.js';
import { startLocalRedis } from '../../scripts/lib/redis-provider.js';

import '../support/provided-context.js';
import { scratchRoot } from '../support/scratch.js';

const TEMPLATE = 'osint_test_template';

/**
 * Provisions PostgreSQL 15 + Redis 7 once for the integration run (or uses TEST_DATABASE_URL /
 * TEST_REDIS_URL), migrates a template database, and hands files the URLs; each file clones the template.
 * The runtime and backup roles exist (docs/decisions/0021-database-roles.md) and the migration run grants
 * them their privileges in the template, so every clone has them: API tests connect as the runtime role,
 * as the API does in every environment, while fixtures that need the owner use the admin URL.
 */
export default async function setup(project: TestProject) {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    return await provision(project, cleanups);
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    throw error;
  }
}

async function provision(project: TestProject, cleanups: Array<() => Promise<void>>) {
  const workDir = mkdtempSync(path.join(scratchRoot(), 'osint-test-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the directory.
  chmodSync(workDir, 0o755);
  cleanups.push(async () => rmSync(workDir, { recursive: true, force: true }));

  let adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    console.log(`[test] PostgreSQL: TEST_DATABASE_URL (${new URL(adminUrl).host})`);
  } else {
    const pg = await startLocalPostgres({
      dataDir: path.join(workDir, 'pg'),
      port: await freePort(),
      persistent: false,
      // Durability is irrelevant for throw-away test clusters; this roughly halves migration time. Each
      // database lives for one file (seconds), so autovacuum would only wake up to visit dozens of
      // short-lived clones; no test depends on its statistics.
      settings: {
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        autovacuum: 'off',
        max_connections: 200,
      },
    });
    adminUrl = pg.adminUrl;
    cleanups.unshift(() => pg.stop());
    console.log('[test] PostgreSQL: embedded PostgreSQL 15 (ephemeral)');
  }

  let redisUrl = process.env.TEST_REDIS_URL;
  if (redisUrl) {
    console.log(`[test] Redis: TEST_REDIS_URL (${new URL(redisUrl).host})`);
  } else {
    const redis = await startLocalRedis({
      dataDir: path.join(workDir, 'redis'),
      port: await freePort(),
      persistent: false,
    });
    redisUrl = redis.url;
    cleanups.unshift(() => redis.stop());
    console.log('[test] Redis: local redis-server (ephemeral)');
  }

  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${quoteIdent(TEMPLATE)}`);
  await admin.end();
  await ensureLoginRoles(adminUrl);
  if (!process.env.TEST_DATABASE_URL) await cheapenScram(adminUrl);
  await ensureDatabase(adminUrl, TEMPLATE);
  const templateUrl = withDatabase(adminUrl, TEMPLATE);
  const migrated = await runMigrations(templateUrl);
  const cloneStarted = performance.now();
  await ensureDatabase(adminUrl, 'osint_test_clone_probe', TEMPLATE);
  const cloneMs = Math.round(performance.now() - cloneStarted);
  const probe = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await probe`drop database osint_test_clone_probe`;
  await probe.end();
  console.log(`[test] template: ${migrated.total} migrations in ${migrated.ms} ms; one clone ${cloneMs} ms`);

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', TEMPLATE);
  project.provide('redisUrl', redisUrl);
  const runtime = DEV_LOGIN_ROLES.find((r) => r.name === migrated.roles.runtime.replace(/^granted to /, ''));
  if (!runtime) throw new Error(`the runtime role was not granted its privileges: ${migrated.roles.runtime}`);
  project.provide('pgRuntimeRole', { name: runtime.name, password: runtime.password });

  return async () => {
    if (!process.env.TEST_DATABASE_URL) {
      for (const cleanup of cleanups) await cleanup();
      return;
    }
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists ${quoteIdent(TEMPLATE)}`);
    await sql.end();
    for (const cleanup of cleanups) await cleanup();
  };
}

/**
 * Every connection the suite opens (hundreds: each file's clients, the API's and the worker's pools)
 * authenticates with SCRAM-SHA-256, which makes both sides run PBKDF2 over the password as many times as
 * the stored verifier says: PostgreSQL 15 stores 4,096, a few milliseconds of CPU per connection on each
 * side. In the throw-away cluster the login roles get verifiers of the same format with 16 iterations
 * (RFC 7677's StoredKey and ServerKey, as PostgreSQL's `scram_build_secret` computes them): the same
 * SCRAM exchange, passwords and roles, without the key stretching that only matters for a stolen
 * verifier. A cluster given through TEST_DATABASE_URL is left alone.
 */
async function cheapenScram(adminUrl: string): Promise<void> {
  const admin = new URL(adminUrl);
  const roles = [
    { name: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password) },
    ...DEV_LOGIN_ROLES,
  ];
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const role of roles) {
      await sql.unsafe(`alter role ${quoteIdent(role.name)} password '${scramVerifier(role.password, 16)}'`);
    }
  } finally {
    await sql.end();
  }
}

function scramVerifier(password: string, iterations: number): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest('base64');
  const serverKey = hmac(salted, 'Server Key').toString('base64');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey}:${serverKey}`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
