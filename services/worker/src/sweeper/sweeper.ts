import { type Logger, QUEUES } from '@osint/core';
import { type Database, jobs } from '@osint/db';
import { enqueueCommitted, type JobRow, releaseExpiredJob, renewLease, touchQueuedJob } from '@osint/writes';
import type { Queue } from 'bullmq';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from '../config.js';
import { producerOf, publish } from '../jobs/job-run.js';
import { expireExports, RETENTION_EVERY_MS } from './export-retention.js';

/**
 * Most times the sweeper puts one job back on its queue; past it the job is failed for a person to look
 * at. Twice BullMQ's own attempts: a job that keeps losing its worker is more likely killing it.
 */
export const SWEEPER_MAX_ATTEMPTS = 10;
/** Rows looked at per sweep and per kind of problem, so one sweep stays short under a large backlog. */
const BATCH = 200;

/**
 * How to rebuild a job's queue payload from its row, for kinds whose processor is idempotent (safe to run
 * again). A row with a stored `payload` uses it; kinds absent here are never re-enqueued, only failed.
 * An export is safe to run again: it writes `<file>.partial` afresh and renames it over the same path, and
 * its outcome commits with the row (the API stores its payload on the row).
 */
export const REQUEUE_PAYLOADS: Record<string, (row: JobRow) => unknown> = {
  [QUEUES.diagnostic]: (row) => ({ jobId: row.id }),
  [QUEUES.extract]: (row) =>
    row.targetType === 'document' && row.targetId ? { jobId: row.id, documentId: row.targetId } : null,
  [QUEUES.enrich]: (row) => row.payload ?? null,
  [QUEUES.export]: (row) => row.payload ?? null,
};

export interface SweepReport {
  /** Export files past EXPORT_RETENTION_HOURS deleted, their rows marked expired. */
  exportsExpired?: number;
  /** Expired leases whose job BullMQ still holds (waiting, or active and taken back after a crash). */
  released: number;
  /** Expired leases and queued rows whose queue entry was gone: enqueued again. */
  requeued: number;
  /** Expired leases that could not be re-enqueued (unknown kind, too many attempts): failed. */
  failed: number;
  /** Expired leases whose job is still locked by a live worker: lease renewed. */
  renewed: number;
}

export interface SweeperDeps {
  db: Database;
  /** Fail-fast connection: a sweep during a Redis outage gives up quickly and tries again next time. */
  redis: Redis;
  queues: Readonly<Record<string, Queue>>;
  config: WorkerConfig;
  logger: Logger;
}

type QueueState = 'locked' | 'pending' | 'gone';

/** Where BullMQ stands on a job: a live worker holds it, BullMQ will (re)run it, or it is not coming back. */
async function queueState(redis: Redis, queue: Queue, jobId: string): Promise<QueueState> {
  const [lock, state] = await Promise.all([
    redis.exists(`${queue.toKey(jobId)}:lock`),
    queue.getJobState(jobId),
  ]);
  if (lock === 1) return 'locked';
  // `active` without a lock: the worker died; BullMQ's stalled-job check moves it back to waiting.
  if (['waiting', 'delayed', 'prioritized', 'active', 'waiting-children'].includes(state)) return 'pending';
  return 'gone';
}

/** The payload to enqueue the row with again, or null when its kind cannot be safely re-enqueued. */
export function requeuePayload(row: JobRow): unknown {
  const rebuild = REQUEUE_PAYLOADS[row.kind];
  if (!rebuild) return null;
  return row.payload ?? rebuild(row) ?? null;
}

async function requeue(deps: SweeperDeps, row: JobRow, queue: Queue): Promise<boolean> {
  const payload = requeuePayload(row);
  if (payload === null) return false;
  const old = await queue.getJob(row.id);
  if (old) await old.remove();
  return enqueueCommitted(producerOf(deps), queue, row.id, payload);
}

/**
 * One pass of the sweeper. PostgreSQL is the source of truth and Redis can lose jobs (a flush, a restart
 * without persistence, a worker killed between two writes), so it reconciles the two:
 *
 * 1. `running` rows past their lease (the worker stopped renewing it):
 *    - the BullMQ job is locked: its worker is alive (only the renewal failed), renew the lease;
 *    - BullMQ will run it again (waiting, delayed, or active without a lock, which its stalled check
 *      returns): the row goes back to `queued`;
 *    - the queue entry is gone or finished: re-enqueue it when the kind is idempotent and attempts remain
 *      (row back to `queued`), otherwise mark it `failed` with the reason.
 * 2. `queued` rows older than ORPHAN_GRACE_MS whose queue entry is missing or finished (completed or
 *    failed, so BullMQ will not run it again): enqueue them again.
 *
 * Every change is conditional on the row still being in the state that was read, so several workers may
 * sweep at once without stepping on each other or on a worker that just claimed the job.
 */
export async function sweepOnce(
  deps: SweeperDeps,
  { retention = true }: { retention?: boolean } = {},
): Promise<SweepReport> {
  const report: SweepReport = { released: 0, requeued: 0, failed: 0, renewed: 0 };
  if (deps.redis.status !== 'ready') {
    if (retention) report.exportsExpired = await expireExports(deps);
    return report;
  }
  const { db, config } = deps;

  const expired = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.status, 'running'), lt(jobs.leaseExpiresAt, sql`now()`)))
    .orderBy(asc(jobs.leaseExpiresAt))
    .limit(BATCH);
  for (const row of expired) {
    const queue = deps.queues[row.kind];
    const state: QueueState = queue ? await queueState(deps.redis, queue, row.id) : 'gone';
    if (state === 'locked') {
      await renewLease(db, row.id, config.JOB_LEASE_MS, { onlyExpired: true });
      report.renewed++;
      continue;
    }
    const canRequeue =
      queue !== undefined && requeuePayload(row) !== null && row.attempts < SWEEPER_MAX_ATTEMPTS;
    const next = state === 'pending' || canRequeue ? 'queued' : 'failed';
    const updated = await releaseExpiredJob(db, row.id, next);
    if (!updated) continue;
    if (state === 'pending') report.released++;
    else if (next === 'queued' && queue && (await requeue(deps, updated, queue).catch(() => false))) {
      report.requeued++;
    } else if (next === 'failed') report.failed++;
    await publish(deps, updated, null);
  }

  const orphans = await db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.status, 'queued'),
        inArray(
          jobs.kind,
          Object.keys(deps.queues).filter((kind) => kind in REQUEUE_PAYLOADS),
        ),
        lt(jobs.updatedAt, sql`now() - (${config.ORPHAN_GRACE_MS} * interval '1 millisecond')`),
      ),
    )
    .orderBy(asc(jobs.updatedAt))
    .limit(BATCH);
  if (orphans.length > 0) {
    const pipeline = deps.redis.pipeline();
    for (const row of orphans) {
      const queue = deps.queues[row.kind] as Queue;
      pipeline.exists(queue.toKey(row.id));
    }
    const exists = (await pipeline.exec()) ?? [];
    for (const [i, row] of orphans.entries()) {
      const queue = deps.queues[row.kind] as Queue;
      // A queue entry that exists but has finished (completed or failed) while the row still says
      // `queued` is as good as lost: BullMQ will never run it again.
      if (exists[i]?.[1] === 1 && (await queueState(deps.redis, queue, row.id)) !== 'gone') continue;
      const touched = await touchQueuedJob(db, row.id);
      if (touched && (await requeue(deps, touched, queue).catch(() => false))) report.requeued++;
    }
  }
  if (retention) report.exportsExpired = await expireExports(deps);
  return report;
}

/** Runs {@link sweepOnce} every SWEEP_INTERVAL_MS (never two at once); `stop` waits for a running sweep. */
export function startSweeper(deps: SweeperDeps): {
  stop(): Promise<void>;
  /** One pass now, export retention included. */
  sweep(): Promise<SweepReport>;
} {
  let running: Promise<SweepReport> | null = null;
  let retentionAt = 0;
  const sweep = (force = true) => {
    const retention = force || Date.now() - retentionAt >= RETENTION_EVERY_MS;
    if (retention && !running) retentionAt = Date.now();
    running ??= sweepOnce(deps, { retention })
      .then((report) => {
        if (
          report.released + report.requeued + report.failed + report.renewed + (report.exportsExpired ?? 0) >
          0
        ) {
          deps.logger.info({ sweep: report }, 'job sweeper reconciled jobs');
        }
        return report;
      })
      .catch((err) => {
        deps.logger.warn(
          { err: { message: (err as Error).message } },
          'job sweep failed; retrying next interval',
        );
        return { released: 0, requeued: 0, failed: 0, renewed: 0 };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const interval = deps.config.SWEEP_INTERVAL_MS;
  const timer = interval > 0 ? setInterval(() => sweep(false), interval) : null;
  timer?.unref();
  return {
    sweep,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
