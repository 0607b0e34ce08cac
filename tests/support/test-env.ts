import { randomBytes } from 'node:crypto';
import { createDbClient, type DbClient } from '@osint/db';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, inject } from 'vitest';
import './provided-context.js';

export interface TestDatabase {
  /** The owner's (admin's) URL of the clone, for fixtures that need more than the runtime role may do. */
  url: string;
  /** The same database as the runtime role (data access only), which the API under test uses. */
  runtimeUrl: string;
  name: string;
  client: DbClient;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Gives the calling test file its own database cloned from the migrated template (fast: a file copy, no
 * migrations), dropped after the file. Files therefore run in parallel without sharing rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  // Cloning needs exclusive access to the template; parallel files may collide, so retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      // FILE_COPY copies the template's files directly: ~4x faster than PostgreSQL 15's default WAL_LOG for a
      // small template (measured: 114 vs 432 ms median), and durability does not matter for test databases.
      await admin.unsafe(`create database "${name}" template "${template}" strategy file_copy`);
      break;
    } catch (error) {
      if (attempt >= 50 || (error as { code?: string }).code !== '55006') throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  const url = withDatabase(adminUrl, name);
  // Files run four at a time (vitest.config.ts): on a busy 2-core machine opening a connection can take
  // longer than the 5 s default, which would fail a fixture, not what the file tests.
  const client = createDbClient(url, { max: 5, applicationName: 'test', connectTimeoutMs: 30_000 });
  afterAll(async () => {
    await client.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  const role = inject('pgRuntimeRole');
  const runtimeUrl = new URL(url);
  runtimeUrl.username = encodeURIComponent(role.name);
  runtimeUrl.password = encodeURIComponent(role.password);
  return { url, runtimeUrl: runtimeUrl.toString(), name, client };
}

export interface TestRedis {
  url: string;
  /** Unique prefix for this file's keys and BullMQ queues. */
  prefix: string;
  redis: Redis;
}

/** A Redis key space of the file's own (a unique prefix), emptied after the file. */
export function createTestRedis(): TestRedis {
  const url = inject('redisUrl');
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  });
  return { url, prefix, redis };
}
