import {
  bumpInvestigationVersion,
  DEFAULT_JOB_OPTIONS,
  type JobEvent,
  jobEventOf,
  publishJobEvent,
  QUEUES,
} from '@osint/core';
import { type Database, type DbOrTx, jobs } from '@osint/db';
import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ProcessorContext } from './context.js';

export type JobRow = typeof jobs.$inferSelect;

/** The job's row was cancelled (by the API) while it ran: stop, write nothing more. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor(readonly jobId: string) {
    super(`job ${jobId} was cancelled`);
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

/** Renews a running job's lease; a no-op for any other status. */
export async function renewLease(db: Database, jobId: string, leaseMs: number): Promise<void> {
  await db
    .update(jobs)
    .set({ leaseExpiresAt: lease(leaseMs) })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running')));
}

/** The event published for a row as it now is. */
export function eventFor(row: JobRow, phase: string | null = null): JobEvent {
  return jobEventOf(row, phase);
}

/** Job kinds whose success changes what an investigation holds (and so what search answers). */
const WRITING_KINDS = new Set<string>([QUEUES.extract, QUEUES.enrich]);

/**
 * Publishes without waiting longer than a moment: progress is advisory. A succeeded job that wrote into an
 * investigation first bumps that investigation's search version (ADR 0012): callers publish after the
 * effects transaction committed, so the bump is never early, and it happens once, here, whether or not
 * any API process is listening.
 */
export async function publish(
  ctx: Pick<ProcessorContext, 'redis' | 'config'>,
  row: JobRow,
  phase?: string | null,
) {
  if (row.status === 'succeeded' && row.investigationId && WRITING_KINDS.has(row.kind)) {
    await bumpInvestigationVersion(ctx.redis, ctx.config.QUEUE_PREFIX, row.investigationId);
  }
  return publishJobEvent(ctx.redis, ctx.config.QUEUE_PREFIX, eventFor(row, phase ?? null));
}

/**
 * Records a failed attempt on the row: back to `queued` with the error while BullMQ will retry, `failed`
 * when it will not (`final`). Never overwrites a row that finished otherwise (succeeded, cancelled).
 */
export async function recordAttemptFailure(
  db: Database,
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
 * One claimed job while it runs: progress, cancellation checks and the final success, each reflected on the
 * row (the source of truth), on the BullMQ job and on the progress channels.
 */
export class JobRun {
  constructor(
    readonly ctx: ProcessorContext,
    readonly job: Job,
    public row: JobRow,
  ) {}

  get id(): string {
    return this.row.id;
  }

  /** Sets progress (0..100) and the phase name; also renews the lease. Throws if the job was cancelled. */
  async progress(percent: number, phase: string): Promise<void> {
    const progress = Math.max(0, Math.min(100, Math.round(percent)));
    const [row] = await this.ctx.db
      .update(jobs)
      .set({ progress, leaseExpiresAt: lease(this.ctx.config.JOB_LEASE_MS), updatedAt: sql`now()` })
      .where(and(eq(jobs.id, this.id), eq(jobs.status, 'running')))
      .returning();
    if (!row) await this.throwIfCancelled();
    if (row) this.row = row;
    // BullMQ's own progress goes through the waiting worker connection: never let it hold the job up.
    this.job.updateProgress({ percent: progress, phase }).catch(() => {});
    await publish(this.ctx, this.row, phase);
  }

  /** Throws {@link JobCancelledError} when the row says `cancelled`. Processors call it between phases. */
  async throwIfCancelled(db: DbOrTx = this.ctx.db): Promise<void> {
    const [row] = await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, this.id)).limit(1);
    if (row?.status === 'cancelled') throw new JobCancelledError(this.id);
  }

  /**
   * First statement of the job's effects transaction: locks the row so a concurrent cancel waits for the
   * commit (or the cancel wins and the effects roll back), and checks it is still this job's to finish.
   */
  async lockForCommit(tx: DbOrTx): Promise<void> {
    const [row] = await tx
      .select({ status: jobs.status })
      .from(jobs)
      .where(eq(jobs.id, this.id))
      .for('update')
      .limit(1);
    if (row?.status !== 'running') throw new JobCancelledError(this.id);
  }

  /** Marks the row succeeded inside the effects transaction, so effects and outcome commit together. */
  async succeed(tx: DbOrTx, result: Record<string, unknown>): Promise<void> {
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
      .where(and(eq(jobs.id, this.id), eq(jobs.status, 'running')))
      .returning();
    if (!row) throw new JobCancelledError(this.id);
    this.row = row;
  }
}

/** Upper bound on one enqueue from inside the worker (follow-ups, sweeper): Redis may be down. */
export const ENQUEUE_TIMEOUT_MS = 2_000;

/**
 * Adds a job to a producer queue if Redis is ready, giving up after {@link ENQUEUE_TIMEOUT_MS}. The row is
 * already committed as `queued`, so a failure here only delays the job: the sweeper re-enqueues rows whose
 * queue entry is missing.
 */
export async function enqueueFromRow(
  queue: Queue,
  redis: { status: string },
  jobId: string,
  payload: unknown,
) {
  if (redis.status !== 'ready') throw new Error(`redis connection is ${redis.status}`);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      queue.add(queue.name, payload, { ...DEFAULT_JOB_OPTIONS, jobId }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('enqueue timed out')), ENQUEUE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
