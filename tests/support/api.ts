import { createServer } from 'node:http';
import { type ApiDeps, apiConfigSchema, closeDeps, createApp, createDeps } from '@osint/api';
import { createLogger } from '@osint/core';
import type { Express } from 'express';
import { afterAll } from 'vitest';
import { registerServer } from './api-fixtures.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from './test-env.js';

export interface TestApi {
  app: Express;
  deps: ApiDeps;
  database: TestDatabase;
  redis: TestRedis;
}

/**
 * An API wired to this file's own database clone and Redis key space, for Supertest. Extra environment
 * overrides go through the real config schema so tests exercise the same parsing as production.
 */
export async function createTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const redis = createTestRedis();
  const config = apiConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // As the runtime role, like the API everywhere (docs/decisions/0021-database-roles.md).
    DATABASE_URL: database.runtimeUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    // A healthy Redis on a machine running several test files at once can take longer than production's
    // 500 ms per command; the tests that hang Redis on purpose set their own (dependency-faults).
    REDIS_COMMAND_TIMEOUT_MS: '5000',
    ENQUEUE_TIMEOUT_MS: '5000',
    // Likewise a new PostgreSQL connection past production's 2 s (as the fixtures' client in test-env.ts);
    // the tests that make PostgreSQL unreachable on purpose set their own (dependency-faults).
    DB_CONNECT_TIMEOUT_MS: '30000',
    ...env,
  });
  const deps = createDeps(config, createLogger('api-test', config.LOG_LEVEL));
  afterAll(() => closeDeps(deps));
  const app = createApp(deps);
  // One listening server for the file's requests (api-fixtures.ts `serverOf`), closed before the deps.
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  registerServer(app, server);
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { app, deps, database, redis };
}
