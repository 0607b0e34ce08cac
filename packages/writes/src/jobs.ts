import { DEFAULT_JOB_OPTIONS, type Logger } from '@osint/core';
import { type Database, type DbOrTx, jobs } from '@osint/db';
import { type Queue, UnrecoverableError } from 'bullmq';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';

/*
 * Job rows: PostgreSQL's row is the job, its queue entry only delivers it (ADR 0010). Producers insert the
 * row in their transaction and enqueue it after the commit (the outbox, ADR 0018); the worker claims,
 * leases and finishes it; every status change is conditional on the status it expects, so a cancel, a
 * sweep and a worker never overwrite each other's outcome.
 */

export type JobRow = typeof jobs.$inferSelect;

export interface NewJobRow {
  id: string;
  kind: string;
  investigationId: string | null;
  targetType: string | null;
  targetId: string | null;
  payload: Record<string, unknown>;
  requestId: string | null;
}

/**
 * Records a job row (kind, target, payload) in the caller's transaction. The caller enqueues it with
 * {@link enqueueCommitted} once that transaction has committed; the payload stays on the row so the
 * sweeper can relay it from PostgreSQL alone.
 */
export async function insertJobRow(tx: DbOrTx, row: NewJobRow | { kind: string; requestId: string }) {
  const [job] = await tx.insert(jobs).values(row).returning();
  if (!job) throw new Error('insert returned no row');
  return job;
}

/** A follow-up job whose id derives from its parent's: a re-run of the parent finds it and adds nothing. */
export async function insertJobRowOnce(tx: DbOrTx, row: NewJobRow): Promise<void> {
  await tx.insert(jobs).values(row).onConflictDoNothing({ target: jobs.id });
}

/** What an enqueue after commit needs: the producer connection, a log and the configured bound. */
export interface Producer {
  redis: { status: string };
  logger: Pick<Logger, 'warn'>;
  config: { ENQUEUE_TIMEOUT_MS: number };
}

/**
 * The outbox's relay attempt (house style 7 and 8): called only after the transaction that inserted the job
 * row has committed, so the worker always finds the row. One attempt, bounded by ENQUEUE_TIMEOUT_MS and
 * refused at once when the connection is not ready; a failure is logged and never reaches the caller, since
 * the committed `queued` row is the job: the worker's sweeper enqueues rows whose queue entry is missing,
 * and BullMQ's jobId = row id makes a late duplicate a no-op. Returns whether the job reached the queue now.
 */
export async function enqueueCommitted(
  producer: Producer,
  queue: Queue,
  jobId: string,
  payload: unknown,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    if (producer.redis.status !== 'ready') throw new Error(`redis connection is ${producer.redis.status}`);
    await Promise.race([
      queue.add(queue.name, payload, { ...DEFAULT_JOB_OPTIONS, jobId }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('enqueue timed out')), producer.config.ENQUEUE_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch (error) {
    producer.logger.warn(
      { jobId, queue: queue.name, err: { message: (error as Error).message } },
      'enqueue after commit failed; the sweeper will relay the job',
    );
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const lease = (ms: number) => sql`now() + (${ms} * interval '1 millisecond')`;

export type ClaimOutcome = { claimed: true; row: JobRow } | { claimed: false; row: JobRow };

/**
 * Marks the row `running` (attempts + 1, a fresh lease) if it is `queued` or `running` (a retry, or a job
 * BullMQ took back from a crashed worker). Any other status means there is nothing to do: `cancelled`
 * (skip), `succeeded` (a duplicate delivery after the effects committed), `failed` (the sweeper gave up).
 *
 * Every producer enqueues only after the row has committed (the outbox, ADR 0018), so a job whose row is
 * missing will never have one (its investigation was deleted): it fails permanently (`UnrecoverableError`).
 */
export async function claimJobRow(db: Database, jobId: string, leaseMs: number): Promise<ClaimOutcome> {
  const [row] = await db
    .update(jobs)
    .set({
      status: 'running',
      attempts: sql`${jobs.attempts} + 1`,
      progress: 0,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      leaseExpiresAt: lease(leaseMs),
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, jobId), inArray(jobs.status, ['queued', 'running'])))
    .returning();
  if (row) return { claimed: true, row };
  const [existing] = await db.select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
  if (!existing) throw new UnrecoverableError(`job row ${jobId} does not exist`);
  return { claimed: false, row: existing };
}

/**
 * Marks the row `running` whatever it says, with BullMQ's attempt count: the diagnostic job, which proves
 * the pipeline end to end and has no effects to guard. A missing row fails it for good.
 */
export async function startJobRow(db: Database, jobId: string, attempts: number): Promise<void> {
  const [row] = await db
    .update(jobs)
    .set({ status: 'running', startedAt: new Date(), attempts, updatedAt: new Date() })
    .where(eq(jobs.id, jobId))
    .returning({ id: jobs.id });
  if (!row) throw new UnrecoverableError(`job row ${jobId} does not exist`);
}

/**
 * Renews a running job's lease; a no-op for any other status. With `onlyExpired`, only a lease that has
 * already run out (the sweeper's renewal for a job a live worker still holds).
 */
export async function renewLease(
  db: DbOrTx,
  jobId: string,
  leaseMs: number,
  { onlyExpired = false }: { onlyExpired?: boolean } = {},
): Promise<void> {
  await db
    .update(jobs)
    .set({ leaseExpiresAt: lease(leaseMs) })
    .where(
      and(
        eq(jobs.id, jobId),
        eq(jobs.status, 'running'),
        onlyExpired ? lt(jobs.leaseExpiresAt, sql`now()`) : undefined,
      ),
    );
}

/** Progress (0..100) of a running job, which also renews its lease; undefined when it is not running. */
export async function recordProgress(
  db: DbOrTx,
  jobId: string,
  progress: number,
  leaseMs: number,
): Promise<JobRow | undefined> {
  const [row] = await db
    .update(jobs)
    .set({ progress, leaseExpiresAt: lease(leaseMs), updatedAt: sql`now()` })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running')))
    .returning();
  return row;
}

/**
 * Marks a running row succeeded; call it inside the effects transaction, so effects and outcome commit
 * together. Undefined when the row is no longer running (it was cancelled).
 */
export async function succeedJobRow(
  tx: DbOrTx,
  jobId: string,
  result: Record<string, unknown>,
): Promise<JobRow | undefined> {
  const [row] = await tx
    .update(jobs)
    .set({
      status: 'succeeded',
      progress: 100,
      result,
      error: null,
      finishedAt: sql`now()`,
      leaseExpiresAt: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running')))
    .returning();
  return row;
}

/**
 * Records a failed attempt on the row: back to `queued` with the error while BullMQ will retry, `failed`
 * when it will not (`final`). Never overwrites a row that finished otherwise (succeeded, cancelled).
 */
export async function recordAttemptFailure(
  db: DbOrTx,
  jobId: string,
  message: string,
  final: boolean,
): Promise<JobRow | undefined> {
  const [row] = await db
    .update(jobs)
    .set(
      final
        ? {
            status: 'failed',
            error: message,
            finishedAt: sql`now()`,
            leaseExpiresAt: null,
            updatedAt: sql`now()`,
          }
        : { status: 'queued', error: message, leaseExpiresAt: null, updatedAt: sql`now()` },
    )
    .where(and(eq(jobs.id, jobId), inArray(jobs.status, ['queued', 'running'])))
    .returning();
  return row;
}

/**
 * The sweeper's verdict on a `running` row whose lease expired: back to `queued` (BullMQ or the sweeper
 * will run it again) or `failed`. Only while the row is still running with an expired lease, so a worker
 * that just renewed it or another sweeper that got there first wins.
 */
export async function releaseExpiredJob(
  db: DbOrTx,
  jobId: string,
  next: 'queued' | 'failed',
): Promise<JobRow | undefined> {
  const [row] = await db
    .update(jobs)
    .set(
      next === 'queued'
        ? {
            status: 'queued',
            leaseExpiresAt: null,
            error: 'the worker running this job stopped; it will run again',
            updatedAt: sql`now()`,
          }
        : {
            status: 'failed',
            leaseExpiresAt: null,
            finishedAt: sql`now()`,
            error: 'the worker running this job stopped and the job cannot be re-queued',
            updatedAt: sql`now()`,
          },
    )
    .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running'), lt(jobs.leaseExpiresAt, sql`now()`)))
    .returning();
  return row;
}

/** Takes a `queued` row for a relay (its `updated_at` moves, so the next sweep's grace starts again). */
export async function touchQueuedJob(db: DbOrTx, jobId: string): Promise<JobRow | undefined> {
  const [row] = await db
    .update(jobs)
    .set({ updatedAt: sql`now()` })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, 'queued')))
    .returning();
  return row;
}

/** Marks the row cancelled on request (the caller has locked it and checked it may still change). */
export async function cancelJobRow(tx: DbOrTx, jobId: string): Promise<JobRow | undefined> {
  const [row] = await tx
    .update(jobs)
    .set({
      status: 'cancelled',
      error: 'cancelled on request',
      finishedAt: sql`now()`,
      leaseExpiresAt: null,
      updatedAt: sql`now()`,
    })
    .where(eq(jobs.id, jobId))
    .returning();
  return row;
}

/** Marks a succeeded export's file as expired (retention); false when it already was, or is not one. */
export async function markExportExpired(tx: DbOrTx, jobId: string): Promise<boolean> {
  const [updated] = await tx
    .update(jobs)
    .set({
      result: sql`coalesce(${jobs.result}, '{}'::jsonb) || jsonb_build_object('expired', true, 'expiredAt', now())`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(jobs.id, jobId),
        eq(jobs.status, 'succeeded'),
        sql`coalesce((${jobs.result} ->> 'expired')::boolean, false) = false`,
      ),
    )
    .returning({ id: jobs.id });
  return updated !== undefined;
}
