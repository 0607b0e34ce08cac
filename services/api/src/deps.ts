import { createRedis, ExtractionPool, type Logger, QUEUES } from '@osint/core';
import { type PoolTracker, traceQueue, trackPool } from '@osint/core/telemetry/index';
import { createDbClient, type Database } from '@osint/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type postgres from 'postgres';
import { Counter } from 'prom-client';
import { LoginThrottle } from './auth/login-throttle.js';
import type { ApiConfig } from './config.js';
import { createDbPoolMetrics } from './http/metrics.js';
import { StreamCounter, UserRateLimits } from './http/rate-limit.js';
import { JobEventHub } from './jobs/job-events.js';
import { CursorCodec } from './shared/pagination.js';

/** Everything createApp needs; tests build it against their own database and Redis key space. */
export interface ApiDeps {
  config: ApiConfig;
  logger: Logger;
  db: Database;
  sql: postgres.Sql;
  /** Producer/cache connection: fails fast when Redis is down (house style 8). */
  redis: Redis;
  queues: { diagnostic: Queue; extract: Queue; enrich: Queue; export: Queue };
  /** The process's one job-progress subscriber, fanning events out to Server-Sent Events streams. */
  events: JobEventHub;
  /**
   * Metrics owned by services rather than the HTTP layer; createApp registers them in the app's registry.
   * `osint_cache_requests_total{cache, result}` counts search-cache hits and misses; the `osint_db_pool_*`
   * gauges read {@link ApiDeps.pool}.
   */
  metrics: { cacheRequests: Counter<'cache' | 'result'> } & ReturnType<typeof createDbPoolMetrics>;
  /** Usage of the SQL pool (busy, free, waiting), counted around `sql` (docs/operations.md#metrics). */
  pool: PoolTracker;
  /** Signs and checks pagination cursors (keyed by SESSION_SECRET). */
  cursors: CursorCodec;
  /** Failed-login counters on the producer Redis connection. */
  loginThrottle: LoginThrottle;
  /** Look-up extraction off the event loop, under the EXTRACTION_* budgets (ADR 0017). */
  extraction: ExtractionPool;
  /** Per-user limits on expensive requests, and open event streams per user. */
  rateLimits: UserRateLimits;
  streams: StreamCounter;
  /** Flipped by the shutdown sequence so /readyz turns 503 and load balancers stop sending traffic. */
  state: { shuttingDown: boolean };
}

export function createDeps(config: ApiConfig, logger: Logger): ApiDeps {
  const { db, sql } = createDbClient(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    applicationName: 'api',
  });
  const pool = trackPool(sql, config.DB_POOL_MAX);
  const redis = createRedis(config.REDIS_URL, 'producer', {
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
  });
  redis.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  // traceQueue: every job enqueued during a request carries its trace and request id into the worker.
  const tracedQueue = (name: string) =>
    traceQueue(new Queue(name, { connection: redis, prefix: config.QUEUE_PREFIX }));
  const queues = {
    diagnostic: tracedQueue(QUEUES.diagnostic),
    extract: tracedQueue(QUEUES.extract),
    enrich: tracedQueue(QUEUES.enrich),
    export: tracedQueue(QUEUES.export),
  };
  for (const [name, queue] of Object.entries(queues)) {
    // Connection errors are already logged once by the connection's own handler above.
    queue.on('error', (err) => logger.debug({ queue: name, err: { message: err.message } }, 'queue error'));
  }
  const events = new JobEventHub({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    logger,
  });
  events.start();
  return {
    config,
    logger,
    db,
    sql,
    redis,
    queues,
    events,
    metrics: {
      cacheRequests: new Counter({
        name: 'osint_cache_requests_total',
        help: 'Cache look-ups by cache and result (hit or miss; an unavailable cache counts as a miss).',
        labelNames: ['cache', 'result'] as const,
        registers: [],
      }),
      ...createDbPoolMetrics(pool, 'api'),
    },
    pool,
    cursors: new CursorCodec(config.SESSION_SECRET),
    loginThrottle: new LoginThrottle(redis, config),
    extraction: new ExtractionPool(config),
    rateLimits: new UserRateLimits(redis, config),
    streams: new StreamCounter(config.SSE_MAX_STREAMS_PER_USER),
    state: { shuttingDown: false },
  };
}

/** Ordered close (house style 8): event streams → queues → Redis → SQL pool. Each step is bounded and failures are logged. */
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
  await step('job events', () => deps.events.close());
  await step('extraction', () => deps.extraction.close());
  await step('queues', () => Promise.all(Object.values(deps.queues).map((q) => q.close())));
  await step('redis', () => deps.redis.quit());
  await step('postgres', () => deps.sql.end({ timeout: 3 }));
}
