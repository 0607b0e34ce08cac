import { logLevel, nodeEnv, port, positiveInt, postgresUrl, redisUrl } from '@osint/core';
import { z } from 'zod';

/** Every variable the worker reads; parsed once at start-up (house style 5). */
export const workerConfigSchema = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
  WORKER_HOST: z.string().min(1).default('0.0.0.0'),
  WORKER_PORT: port(4001),
  WORKER_CONCURRENCY: positiveInt(4),
  DB_POOL_MAX: positiveInt(5),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  QUEUE_PREFIX: z.string().min(1).default('osint'),
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
