import {
  DEV_DEFAULTS,
  logLevel,
  nodeEnv,
  port,
  positiveInt,
  postgresUrl,
  redisUrl,
  refuseDevSecrets,
  sessionSecret,
} from '@osint/core';
import { z } from 'zod';

/** Every variable the API reads; parsed once at start-up (house style 5). */
export const apiConfigSchema = z
  .object({
    NODE_ENV: nodeEnv,
    LOG_LEVEL: logLevel,
    API_HOST: z.string().min(1).default('0.0.0.0'),
    API_PORT: port(4000),
    DATABASE_URL: postgresUrl,
    REDIS_URL: redisUrl,
    SESSION_SECRET: sessionSecret,
    DB_POOL_MAX: positiveInt(10),
    /** Ceiling for any single API statement; longer work belongs in a job. */
    DB_STATEMENT_TIMEOUT_MS: positiveInt(5_000),
    SHUTDOWN_GRACE_MS: positiveInt(10_000),
    /**
     * Time between SIGTERM and closing the listener, while /readyz answers 503, so a load balancer (or
     * Kubernetes endpoints) stops routing here before connections are refused. 0 in development.
     */
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
    READINESS_TIMEOUT_MS: positiveInt(1_000),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb, 512kb or 1024b')
      .default('1mb'),
    QUEUE_PREFIX: z.string().min(1).default('osint'),
  })
  .superRefine(
    refuseDevSecrets([
      { key: 'SESSION_SECRET', devValue: DEV_DEFAULTS.sessionSecret },
      { key: 'DATABASE_URL', devValue: 'osint:osint@' },
    ]),
  );

export type ApiConfig = z.infer<typeof apiConfigSchema>;
