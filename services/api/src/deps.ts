import { createRedis, type Logger, QUEUES } from '@osint/core';
import { createDbClient, type Database } from '@osint/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type postgres from 'postgres';
import { LoginThrottle } from './auth/login-throttle.js';
import type { ApiConfig } from './config.js';
import { CursorCodec } from './http/pagination.js';

/** Everything createApp needs; tests build it against their own database and Redis key space. */
export interface ApiDeps {
  config: ApiConfig;
  logger: Logger;
  db: Database;
  sql: postgres.Sql;
  /** Producer/cache connection: fails fast when Redis is down (house style 8). */
  redis: Redis;
  queues: { diagnostic: Queue; extract: Queue };
  /** Signs and checks pagination cursors (keyed by SESSION_SECRET). */
  cursors: CursorCodec;
  /** Failed-login counters on the producer Redis connection. */
  loginThrottle: LoginThrottle;
  /** Flipped by the shutdown sequence so /readyz turns 503 and load balancers stop sending traffic. */
  state: { shuttingDown: boolean };
}

export function createDeps(config: ApiConfig, logger: Logger): ApiDeps {
  const { db, sql } = createDbClient(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    applicationName: 'api',
  });
  const redis = createRedis(config.REDIS_URL, 'producer');
  redis.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  const queues = {
    diagnostic: new Queue(QUEUES.diagnostic, { connection: redis, prefix: config.QUEUE_PREFIX }),
    extract: new Queue(QUEUES.extract, { connection: redis, prefix: config.QUEUE_PREFIX }),
  };
  return {
    config,
    logger,
    db,
    sql,
    redis,
    queues,
    cursors: new CursorCodec(config.SESSION_SECRET),
    loginThrottle: new LoginThrottle(redis, config),
    state: { shuttingDown: false },
  };
}

/** Ordered close (house style 8): queues → Redis → SQL pool. Each step is bounded and failures are logged. */
export async function closeDeps(deps: ApiDeps): Promise<void> {
  const step = async (name: string, fn: () => Promise<unknown>) => {
    try {
      await Promise.race([
        fn(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3_000)),
      ]);
    } catch (err) {
      deps.logger.warn({ step: name, err: { message: (err as Error).message } }, 'shutdown step failed');
    }
  };
  await step('queues', () => Promise.all(Object.values(deps.queues).map((q) => q.close())));
  await step('redis', () => deps.redis.quit());
  await step('postgres', () => deps.sql.end({ timeout: 3 }));
}
