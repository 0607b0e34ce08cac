import { bumpInvestigationVersion, type JobEvent, jobEventOf, publishJobEvent, QUEUES } from '@osint/core';
import { type DbOrTx, jobs } from '@osint/db';
import { type JobRow, recordProgress, succeedJobRow } from '@osint/writes';
import type { Job } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { ProcessorContext } from './context.js';

/** The job's row was cancelled (by the API) while it ran: stop, write nothing more. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor(readonly jobId: string) {
    super(`job ${jobId} was cancelled`);
  }
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

  /** Who the job's audit events are attributed to: the job, under the request that created it. */
  get actor(): { jobId: string; requestId: string | null } {
    return { jobId: this.row.id, requestId: this.row.requestId };
  }

  /** Sets progress (0..100) and the phase name; also renews the lease. Throws if the job was cancelled. */
  async progress(percent: number, phase: string): Promise<void> {
    const progress = Math.max(0, Math.min(100, Math.round(percent)));
    const row = await recordProgress(this.ctx.db, this.id, progress, this.ctx.config.JOB_LEASE_MS);
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
    const row = await succeedJobRow(tx, this.id, result);
    if (!row) throw new JobCancelledError(this.id);
    this.row = row;
  }
}

/** Upper bound on one enqueue from inside the worker (follow-ups, sweeper): Redis may be down. */
export const ENQUEUE_TIMEOUT_MS = 2_000;

/** The worker as a producer (follow-up jobs, the sweeper's relays) for `enqueueCommitted`. */
export const producerOf = (ctx: Pick<ProcessorContext, 'redis' | 'logger'>) => ({
  redis: ctx.redis,
  logger: ctx.logger,
  config: { ENQUEUE_TIMEOUT_MS },
});
