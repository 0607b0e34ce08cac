import { createRedis, ExtractionPool, type Logger, QUEUES } from '@osint/core';
import {
  carrierRequestId,
  jobTraceCarrier,
  runJobWithTrace,
  traceQueue,
  trackPool,
} from '@osint/core/telemetry/index';
import { createDbClient } from '@osint/db';
import { recordAttemptFailure, renewLease } from '@osint/writes';
import { type Job, Queue, Worker } from 'bullmq';
import type { WorkerConfig } from './config.js';
import {
  createDnsProvider,
  EnrichmentCache,
  type EnrichmentProvider,
  OFFLINE_PROVIDERS,
  RateLimiter,
} from './enrichment/index.js';
import type { ProcessorContext } from './jobs/context.js';
import { JobCancelledError, publish } from './jobs/job-run.js';
import {
  createWorkerMetrics,
  registerDbPoolMetrics,
  registerQueueMetrics,
  type WorkerMetrics,
} from './metrics.js';
import { processDiagnostic } from './processors/diagnostic.processor.js';
import { processEnrich } from './processors/enrich.processor.js';
import { processExport } from './processors/export.processor.js';
import { processExtract } from './processors/extract.processor.js';
import { type SweepReport, startSweeper } from './sweeper/sweeper.js';

export type { ProcessorContext } from './jobs/context.js';

type Check = { ok: boolean; error?: string };

export interface WorkerRuntime {
  metrics: WorkerMetrics;
  workers: Worker[];
  /** The context processors receive (database, fail-fast Redis, producer queues, enrichment). */
  context: ProcessorContext;
  checks(): Promise<{ postgres: Check; redis: Check }>;
  /** Runs one sweeper pass now (the interval runs it every SWEEP_INTERVAL_MS). */
  sweep(): Promise<SweepReport>;
  /** Stops taking jobs, lets active ones finish within the grace period, then closes connections. */
  close(reason: string): Promise<void>;
}

/** A queue's processor; it gets the runtime's database handle and the rest of {@link ProcessorContext}. */
export type Processor = (job: Job, ctx: ProcessorContext) => Promise<unknown>;

/** Queue name → processor (house style 7: one processor per job name). */
export const DEFAULT_PROCESSORS: Record<string, Processor> = {
  [QUEUES.diagnostic]: (job, { db }) => processDiagnostic(db, job),
  [QUEUES.extract]: processExtract,
  [QUEUES.enrich]: processEnrich,
  [QUEUES.export]: processExport,
};

function isSkip(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'skipped' in result;
}

/** Builds every queue consumer with its connections; nothing is global, so tests can start several. */
export function createWorkerRuntime(
  config: WorkerConfig,
  logger: Logger,
  processors: Record<string, Processor> = DEFAULT_PROCESSORS,
): WorkerRuntime {
  const { db, sql } = createDbClient(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    applicationName: 'worker',
  });
  const pool = trackPool(sql, config.DB_POOL_MAX);
  // Workers wait for Redis (maxRetriesPerRequest: null) instead of failing jobs when it blips...
  const connection = createRedis(config.REDIS_URL, 'worker');
  // ...while everything a job does on the side (progress events, cache, rate limits, follow-up enqueues,
  // the sweeper, the readiness probe) fails fast, so a Redis outage never holds up PostgreSQL work.
  const producer = createRedis(config.REDIS_URL, 'producer');
  for (const conn of [connection, producer]) {
    conn.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  }
  const metrics = createWorkerMetrics();
  const queues: Record<string, Queue> = {};
  for (const name of Object.keys(processors)) {
    // traceQueue: a follow-up job (extract → enrich) continues the trace of the job that enqueued it.
    const queue = traceQueue(new Queue(name, { connection: producer, prefix: config.QUEUE_PREFIX }));
    queue.on('error', (err) => logger.debug({ queue: name, err: { message: err.message } }, 'queue error'));
    queues[name] = queue;
  }
  registerQueueMetrics(metrics.registry, Object.values(queues));
  registerDbPoolMetrics(metrics.registry, pool, 'worker');
  const providers: EnrichmentProvider[] = [
    ...OFFLINE_PROVIDERS,
    createDnsProvider({ resolvers: config.DNS_RESOLVERS, timeoutMs: config.DNS_TIMEOUT_MS }),
  ];
  const context: ProcessorContext = {
    db,
    logger,
    config,
    redis: producer,
    queues,
    extraction: new ExtractionPool(config),
    enrichment: {
      providers,
      cache: new EnrichmentCache(db, producer, config.QUEUE_PREFIX),
      rateLimiter: new RateLimiter(producer, config.QUEUE_PREFIX),
    },
  };

  const consume = (queue: string, processor: Processor) => {
    const attempt = async (job: Job, requestId: string | undefined) => {
      const end = metrics.jobDuration.startTimer({ queue });
      const log = logger.child({ queue, jobId: job.id, attempt: job.attemptsMade + 1, requestId });
      log.info('job started');
      // Renews the row's lease while the processor works; a no-op once the row is no longer running.
      const heartbeat = setInterval(
        () => renewLease(db, String(job.id), config.JOB_LEASE_MS).catch(() => {}),
        Math.max(1_000, Math.floor(config.JOB_LEASE_MS / 3)),
      );
      try {
        const result = await processor(job, context);
        metrics.jobsTotal.inc({ queue, outcome: isSkip(result) ? 'skipped' : 'completed' });
        log.info(isSkip(result) ? 'job skipped' : 'job succeeded');
        return result;
      } catch (error) {
        const err = error as Error;
        if (err instanceof JobCancelledError) {
          metrics.jobsTotal.inc({ queue, outcome: 'cancelled' });
          log.info('job cancelled');
          return { cancelled: true };
        }
        // Rethrown at once, so BullMQ records the failure without delay; the row follows in 'failed'.
        metrics.jobsTotal.inc({ queue, outcome: 'failed' });
        throw err;
      } finally {
        clearInterval(heartbeat);
        end();
      }
    };
    const worker = new Worker(
      queue,
      // Each attempt runs inside the trace that enqueued it (a child span), so its log lines carry the
      // request's traceId, and the job's requestId (docs/operations.md#traces-and-logs).
      (job) => {
        const carrier = jobTraceCarrier(job.data);
        return runJobWithTrace(carrier, () => attempt(job, carrierRequestId(carrier)));
      },
      {
        connection,
        prefix: config.QUEUE_PREFIX,
        concurrency: config.WORKER_CONCURRENCY,
        lockDuration: config.JOB_LOCK_MS,
        stalledInterval: config.JOB_STALLED_INTERVAL_MS,
        autorun: true,
      },
    );
    // Every failed attempt lands here (including jobs that stalled too often, which never reach the
    // processor's catch): the row goes back to `queued` with the error while BullMQ will retry, or to
    // `failed` when it will not. If the process dies before this runs, the sweeper settles the row.
    worker.on('failed', (job, err) =>
      runJobWithTrace(jobTraceCarrier(job?.data), () => recordFailure(queue, job, err)),
    );
    worker.on('error', (err) => logger.error({ queue, err: { message: err.message } }, 'worker error'));
    return worker;
  };
  const recordFailure = async (queue: string, job: Job | undefined, err: Error) => {
    logger.warn({ queue, jobId: job?.id, err: { message: err.message } }, 'job attempt failed');
    if (!job?.id) return;
    const final =
      job.attemptsMade >= (job.opts.attempts ?? 1) ||
      err.name === 'UnrecoverableError' ||
      /stalled/i.test(err.message);
    const row = await recordAttemptFailure(db, job.id, err.message, final).catch((e) => {
      logger.error({ err: e }, 'could not record job failure');
      return undefined;
    });
    if (row) await publish(context, row);
  };

  const workers = Object.entries(processors).map(([queue, processor]) => consume(queue, processor));
  const sweeper = startSweeper({ db, redis: producer, queues, config, logger });

  let closing: Promise<void> | null = null;
  return {
    metrics,
    workers,
    context,
    sweep: () => sweeper.sweep(),
    async checks() {
      const check = async (fn: () => Promise<unknown>): Promise<Check> => {
        try {
          await Promise.race([fn(), new Promise((_, r) => setTimeout(() => r(new Error('timeout')), 1_000))]);
          return { ok: true };
        } catch (error) {
          return { ok: false, error: (error as Error).message };
        }
      };
      const [postgres, redis] = await Promise.all([check(() => sql`select 1`), check(() => producer.ping())]);
      return { postgres, redis };
    },
    close(reason) {
      closing ??= (async () => {
        logger.info(
          { reason, graceMs: config.SHUTDOWN_GRACE_MS },
          'worker shutting down: finishing active jobs',
        );
        await sweeper.stop();
        const graceful = Promise.all(workers.map((w) => w.close()));
        const timedOut = await Promise.race([
          graceful.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), config.SHUTDOWN_GRACE_MS)),
        ]);
        if (timedOut) {
          // Force-closing leaves active jobs' locks to expire: BullMQ's stall check returns them to the queue.
          logger.warn('grace period over: active jobs return to the queue');
          await Promise.all(workers.map((w) => w.close(true)));
        }
        await context.extraction.close();
        await Promise.allSettled(Object.values(queues).map((q) => q.close()));
        await Promise.allSettled([connection.quit(), producer.quit()]);
        await sql.end({ timeout: 3 });
        logger.info('worker shutdown complete');
      })();
      return closing;
    },
  };
}
