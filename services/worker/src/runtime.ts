import { createRedis, type Logger, QUEUES } from '@osint/core';
import { createDbClient, type Database, jobs } from '@osint/db';
import { type Job, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { WorkerConfig } from './config.js';
import { createWorkerMetrics, type WorkerMetrics } from './metrics.js';
import { processDiagnostic } from './processors/diagnostic.processor.js';

export interface WorkerRuntime {
  metrics: WorkerMetrics;
  workers: Worker[];
  checks(): Promise<Record<string, { ok: boolean; error?: string }>>;
  /** Stops taking jobs, lets active ones finish within the grace period, then closes connections. */
  close(reason: string): Promise<void>;
}

/** A queue's processor; it gets the runtime's database handle. */
export type Processor = (job: Job, ctx: { db: Database }) => Promise<unknown>;

/** Queue name → processor (house style 7: one processor per job name). */
export const DEFAULT_PROCESSORS: Record<string, Processor> = {
  [QUEUES.diagnostic]: (job, { db }) => processDiagnostic(db, job),
};

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
  // Workers wait for Redis (maxRetriesPerRequest: null) instead of failing jobs when it blips.
  const connection = createRedis(config.REDIS_URL, 'worker');
  const probe = createRedis(config.REDIS_URL, 'producer');
  for (const conn of [connection, probe]) {
    conn.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  }
  const metrics = createWorkerMetrics();

  const consume = <T>(queue: string, processor: (job: Job) => Promise<T>) => {
    const worker = new Worker(
      queue,
      async (job) => {
        const end = metrics.jobDuration.startTimer({ queue });
        const log = logger.child({ queue, jobId: job.id, attempt: job.attemptsMade + 1 });
        log.info('job started');
        try {
          const result = await processor(job);
          log.info('job succeeded');
          return result;
        } finally {
          end();
        }
      },
      { connection, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY, autorun: true },
    );
    worker.on('completed', () => metrics.jobsTotal.inc({ queue, outcome: 'completed' }));
    worker.on('failed', async (job, err) => {
      metrics.jobsTotal.inc({ queue, outcome: 'failed' });
      logger.warn({ queue, jobId: job?.id, err: { message: err.message } }, 'job attempt failed');
      const exhausted =
        job && (job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError');
      if (job?.id && exhausted) {
        await db
          .update(jobs)
          .set({ status: 'failed', error: err.message, finishedAt: new Date(), updatedAt: new Date() })
          .where(eq(jobs.id, job.id))
          .catch((e) => logger.error({ err: e }, 'could not record job failure'));
      }
    });
    worker.on('error', (err) => logger.error({ queue, err: { message: err.message } }, 'worker error'));
    return worker;
  };

  const workers = Object.entries(processors).map(([queue, processor]) =>
    consume(queue, (job) => processor(job, { db })),
  );

  let closing: Promise<void> | null = null;
  return {
    metrics,
    workers,
    async checks() {
      const check = async (fn: () => Promise<unknown>) => {
        try {
          await Promise.race([fn(), new Promise((_, r) => setTimeout(() => r(new Error('timeout')), 1_000))]);
          return { ok: true };
        } catch (error) {
          return { ok: false, error: (error as Error).message };
        }
      };
      const [postgres, redis] = await Promise.all([check(() => sql`select 1`), check(() => probe.ping())]);
      return { postgres, redis };
    },
    close(reason) {
      closing ??= (async () => {
        logger.info(
          { reason, graceMs: config.SHUTDOWN_GRACE_MS },
          'worker shutting down: finishing active jobs',
        );
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
        await Promise.allSettled([connection.quit(), probe.quit()]);
        await sql.end({ timeout: 3 });
        logger.info('worker shutdown complete');
      })();
      return closing;
    },
  };
}
