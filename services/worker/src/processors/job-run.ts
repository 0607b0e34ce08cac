import { DEFAULT_JOB_OPTIONS, type JobEvent, jobEventOf, publishJobEvent } from '@osint/core';
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

/**
 * The row did not appear within {@link ROW_WAIT_MS}: the transaction inserting it is still open (a slow
 * request) or could not be waited for. Retried by BullMQ with backoff; a row that never appears fails after
 * the last attempt (and a row that appears later is re-enqueued by the sweeper).
 */
export class JobRowMissingError extends Error {
  override readonly name = 'JobRowMissingError';
  constructor(readonly jobId: string) {
    super(`job row ${jobId} not found (yet)`);
  }
}

/**
 * Longest wait for the transaction that inserts a job row to finish. The API enqueues inside that
 * transaction and commits right after (its enqueue is bounded by a 2 s timeout, then one audit insert), so
 * ten seconds is generous; beyond it BullMQ's own retry takes over.
 */
export const ROW_WAIT_MS = 10_000;

const lease = (ms: number) => sql`now() + (${ms} * interval '1 millisecond')`;

/** Thrown inside the probe's transaction to roll it back with its finding. */
class ProbeRollback extends Error {
  constructor(readonly exists: boolean) {
    super('probe rollback');
  }
}

/**
 * Waits for an uncommitted insert of the job row to commit or roll back, then says whether the row exists.
 *
 * The API inserts the row and enqueues the job in one transaction (so a refused enqueue stores nothing), so a
 * fast worker can take the job before the row is visible. Rather than poll, this asks PostgreSQL to wait: an
 * `INSERT … ON CONFLICT (id) DO NOTHING` of the same primary key blocks on the other transaction's
 * uncommitted row until it ends, then either conflicts (the row was committed: it exists) or inserts (it was
 * rolled back, or never existed). The probe's own transaction is always rolled back, so it never leaves a
 * row behind. `lock_timeout` bounds the wait.
 */
export async function awaitJobRow(
  db: Database,
  jobId: string,
  waitMs = ROW_WAIT_MS,
): Promise<'exists' | 'absent' | 'timeout'> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('lock_timeout', ${`${waitMs}ms`}, true)`);
      const inserted = await tx.execute(
        sql`insert into ${jobs} (id, kind) values (${jobId}, 'row-probe') on conflict (id) do nothing returning id`,
      );
      throw new ProbeRollback(inserted.length === 0);
    });
  } catch (error) {
    if (error instanceof ProbeRollback) return error.exists ? 'exists' : 'absent';
    // 55P03 lock_not_available: the inserting transaction is still open after waitMs.
    if (sqlState(error) === '55P03') return 'timeout';
    throw error;
  }
  return 'absent';
}

function sqlState(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export type ClaimOutcome = { claimed: true; row: JobRow } | { claimed: false; row: JobRow };

/**
 * Marks the row `running` (attempts + 1, a fresh lease) if it is `queued` or `running` (a retry, or a job
 * BullMQ took back from a crashed worker). Any other status means there is nothing to do: `cancelled`
 * (skip), `succeeded` (a duplicate delivery after the effects committed), `failed` (the sweeper gave up).
 *
 * The API enqueues inside its transaction, so the job can arrive before its row is committed. When the
 * row is not visible the claim waits for the inserting transaction to end ({@link awaitJobRow}) and tries
 * again: a row that commits is claimed in this same attempt (never "skipped", never left to the sweeper);
 * a row that was rolled back (the API answered 503) will never exist, so the job fails permanently
 * (`UnrecoverableError`); a transaction still open after {@link ROW_WAIT_MS} is left to BullMQ's retry
 * ({@link JobRowMissingError}). A row read as `queued` right after the UPDATE missed it (committed in
 * between) is claimed again as well.
 */
export async function claimJobRow(db: Database, jobId: string, leaseMs: number): Promise<ClaimOutcome> {
  let waited = false;
  for (let attempt = 0; ; attempt++) {
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
    if (!existing) {
      if (waited)
        throw new UnrecoverableError(`job row ${jobId} does not exist (its request was rolled back)`);
      const found = await awaitJobRow(db, jobId);
      if (found === 'timeout') throw new JobRowMissingError(jobId);
      if (found === 'absent') {
        throw new UnrecoverableError(`job row ${jobId} does not exist (its request was rolled back)`);
      }
      waited = true;
      continue;
    }
    const claimable = existing.status === 'queued' || existing.status === 'running';
    if (!claimable) return { claimed: false, row: existing };
    if (attempt >= 3) throw new Error(`job row ${jobId} is ${existing.status} but could not be claimed`);
  }
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

/** Publishes without waiting longer than a moment: progress is advisory. */
export function publish(ctx: Pick<ProcessorContext, 'redis' | 'config'>, row: JobRow, phase?: string | null) {
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
