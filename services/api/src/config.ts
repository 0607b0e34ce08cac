import { tmpdir } from 'node:os';
import {
  DEV_DATABASE_SECRET,
  DEV_SESSION_SECRET,
  extractionSettings,
  port,
  positiveInt,
  refuseDevSecrets,
  serviceSettings,
  sessionSecret,
} from '@osint/core';
import { z } from 'zod';

/** Every variable the API reads; parsed once at start-up (house style 5). */
export const apiConfigSchema = z
  .object({
    ...serviceSettings,
    API_HOST: z.string().min(1).default('0.0.0.0'),
    API_PORT: port(4000),
    /**
     * Reverse-proxy hops in front of the API whose X-Forwarded-For entries are believed (Express `trust
     * proxy` as a hop count): the client address is the entry that many hops from the right. 0 (the
     * default: development, tests, a bare API) believes no header and uses the connection's peer. The
     * shipped web nginx is one hop and replaces X-Forwarded-For with the address it saw
     * (docker/nginx/osint-proxy.conf), so Compose and Kubernetes set 1. Sessions, audit events and the
     * per-address login throttle all use this address.
     */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    SESSION_SECRET: sessionSecret,
    /**
     * Processes serving the API (Node's cluster module; docs/decisions/0024-api-processes.md): `auto` is one
     * per CPU this process may use (the cgroup CPU limit when there is one), a number is that many. Each
     * process has its own DB_POOL_MAX connections, rate-limit fallback and event-stream counts.
     */
    API_PROCESSES: z
      .string()
      .trim()
      .regex(/^(auto|[1-9][0-9]?)$/, 'must be auto or a number of processes from 1 to 99')
      .default('auto')
      .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v))),
    /**
     * PostgreSQL connections per API process. Unset with several processes, the primary gives each its
     * share of 10 (at least 2), so a replica holds about 10 whatever API_PROCESSES is (services/api/src/cluster.ts).
     */
    DB_POOL_MAX: positiveInt(10),
    /** Ceiling for any single API statement; longer work belongs in a job. */
    DB_STATEMENT_TIMEOUT_MS: positiveInt(5_000),
    /**
     * Time between SIGTERM and closing the listener, while /readyz answers 503, so a load balancer (or
     * Kubernetes endpoints) stops routing here before connections are refused. 0 in development.
     */
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
    READINESS_TIMEOUT_MS: positiveInt(1_000),
    /**
     * Bound on the one enqueue attempt made after a job row commits (ADR 0018); past it the request still
     * answers 202 and the worker's sweeper relays the job. Short: a hung Redis must not hold requests.
     */
    ENQUEUE_TIMEOUT_MS: positiveInt(500),
    /**
     * Every command on the API's Redis connection (cache, counters, enqueue) fails after this long, so a
     * hung Redis degrades an answer (search without its cache) instead of hanging it (ioredis commandTimeout).
     */
    REDIS_COMMAND_TIMEOUT_MS: positiveInt(500),
    /**
     * How long opening a PostgreSQL connection may take; while the database is unreachable requests answer
     * 503 `database_unavailable` with Retry-After after at most this long, never hang.
     */
    DB_CONNECT_TIMEOUT_MS: positiveInt(2_000),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb, 512kb or 1024b')
      .default('1mb'),
    /** Largest JSON export `POST /investigations/import` reads (parsed in memory, so bounded). */
    IMPORT_MAX_BYTES: positiveInt(32 * 1024 * 1024),
    /** How long search answers stay cached; writes invalidate them sooner (versioned keys). */
    SEARCH_CACHE_TTL_SECONDS: positiveInt(300),
    /** Comment line sent on idle Server-Sent Events streams so proxies keep them open (15 s < 60 s idle timeouts). */
    SSE_HEARTBEAT_MS: positiveInt(15_000),
    /** Largest document upload accepted (multipart); pasted JSON text is bounded by BODY_LIMIT instead. */
    DOCUMENT_MAX_BYTES: positiveInt(10 * 1024 * 1024),
    /** Where uploads are spooled while they arrive (never held whole in memory); removed once stored. */
    UPLOAD_SPOOL_DIR: z.string().min(1).default(tmpdir()),
    /** Bytes of documents one user may add per 24 hours (uploads and pasted text). */
    UPLOAD_QUOTA_BYTES_PER_DAY: positiveInt(1024 * 1024 * 1024),
    /**
     * Largest "paste a list" look-up answered synchronously (characters); larger texts answer 413 and
     * belong in a document, whose extraction is a job (ADR 0017).
     */
    LOOKUP_MAX_CHARS: positiveInt(1_000_000),
    /** Per-user request limits per RATE_LIMIT_WINDOW_SECONDS, answered 429 with Retry-After. */
    RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
    RATE_LIMIT_LOOKUPS: positiveInt(30),
    RATE_LIMIT_UPLOADS: positiveInt(60),
    RATE_LIMIT_IMPORTS: positiveInt(5),
    RATE_LIMIT_EXPORTS: positiveInt(10),
    RATE_LIMIT_ENRICHMENTS: positiveInt(60),
    /** Server-Sent Events streams one user may hold open at once, per API process. */
    SSE_MAX_STREAMS_PER_USER: positiveInt(8),
    /** Export files (finished and not yet expired, or being written) one investigation may hold. */
    EXPORT_MAX_FILES_PER_INVESTIGATION: positiveInt(20),
    ...extractionSettings,
    /** Absolute session lifetime; an idle session also ends after SESSION_IDLE_HOURS. */
    SESSION_TTL_HOURS: positiveInt(7 * 24),
    SESSION_IDLE_HOURS: positiveInt(12),
    /**
     * Login throttling (OWASP authentication cheat sheet: slow down guessing per account and per source):
     * failed attempts allowed per window before 429, per account and per client IP.
     */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt(5),
    LOGIN_MAX_FAILURES_PER_IP: positiveInt(50),
    LOGIN_THROTTLE_WINDOW_SECONDS: positiveInt(15 * 60),
    /**
     * Extra origins (scheme://host[:port], comma-separated) whose cookie-authenticated writes are accepted
     * besides the request's own host, e.g. a front end served from another port in development.
     */
    CSRF_TRUSTED_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter((o) => o !== ''),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  })
  .superRefine(refuseDevSecrets([DEV_SESSION_SECRET, DEV_DATABASE_SECRET]));

export type ApiConfig = z.infer<typeof apiConfigSchema>;
