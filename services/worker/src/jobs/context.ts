import type { ExtractionPool, Logger } from '@osint/core';
import type { Database } from '@osint/db';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from '../config.js';
import type { EnrichmentCache, EnrichmentProvider, RateLimiter } from '../enrichment/index.js';

/** What every processor gets from the runtime; nothing is global, so tests can run several runtimes. */
export interface ProcessorContext {
  db: Database;
  logger: Logger;
  config: WorkerConfig;
  /**
   * Fail-fast Redis connection (producer role): progress events, cache mirror, rate limits and follow-up
   * enqueues. When Redis is down these give up at once; the job's PostgreSQL work is never held up.
   */
  redis: Redis;
  /** Producer-side queues on `redis`, by queue name, for follow-up jobs and the sweeper's re-enqueues. */
  queues: Readonly<Record<string, Queue>>;
  /** Document conversion and extraction, on worker threads under the EXTRACTION_* budgets (ADR 0017). */
  extraction: ExtractionPool;
  enrichment: {
    providers: readonly EnrichmentProvider[];
    cache: EnrichmentCache;
    rateLimiter: RateLimiter;
  };
}
