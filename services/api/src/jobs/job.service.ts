import { type DiagnosticJobPayload, type JobEvent, jobEventOf, publishJobEvent } from '@osint/core';
import { type DbOrTx, jobs } from '@osint/db';
import { type Actor, cancelJobRow, enqueueCommitted, insertJobRow, recordAudit } from '@osint/writes';
import type { Queue } from 'bullmq';
import { and, desc, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { AuthUser } from '../auth/authenticate.js';
import type { ApiDeps } from '../deps.js';
import { jobAccess, requireJobCancel, requireRole } from '../investigations/access.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { newestFirst, type Page } from '../shared/pagination.js';

export type JobRow = typeof jobs.$inferSelect;

export async function getJob(db: DbOrTx, id: string): Promise<JobRow> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  if (!row) throw new NotFoundError('job');
  return row;
}

/**
 * What an administrator who is not a member sees of an investigation's job: its id, kind, status,
 * progress and times, never what it found or was asked about (`result`, `error` messages quote selectors,
 * `payload`): ADR 0006, administrators run the platform, they do not read investigations.
 */
export function withoutContent<T extends { result: unknown; error: string | null }>(job: T): T {
  return {
    ...job,
    result: null,
    error: job.error === null ? null : 'withheld: not a member of the investigation',
    ...('payload' in job ? { payload: {} } : {}),
  };
}

/**
 * A job as seen by `user`, as the access module's {@link jobAccess} allows: whole, or
 * {@link withoutContent} (`contentVisible` says which); anyone who may not see it gets the same 404 as for
 * a missing job.
 */
export async function getVisibleJob(
  db: DbOrTx,
  user: AuthUser,
  id: string,
): Promise<JobRow & { contentVisible: boolean }> {
  const row = await getJob(db, id);
  const { contentVisible } = await jobAccess(db, user, row);
  return contentVisible ? { ...row, contentVisible } : { ...withoutContent(row), contentVisible };
}

/**
 * Records a diagnostic job, commits it, then makes one bounded attempt to enqueue it (the outbox,
 * ADR 0018): with Redis down or hung the answer is still 202 and the worker's sweeper relays the row.
 */
export async function enqueueDiagnosticJob(deps: ApiDeps, requestId: string): Promise<JobRow> {
  const row = await insertJobRow(deps.db, { kind: 'diagnostic', requestId });
  const payload: DiagnosticJobPayload = { jobId: row.id };
  await enqueueCommitted(deps, deps.queues.diagnostic, row.id, payload);
  return row;
}

/** Statuses after which a job never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<JobRow['status']> = new Set(['succeeded', 'failed', 'cancelled']);

export class JobFinishedError extends AppError {
  constructor(status: string) {
    super(409, 'job_finished', `The job already finished (${status}); there is nothing to cancel.`);
  }
}

/**
 * Cancels a queued or running job, for whoever the access module's {@link requireJobCancel} allows
 * (editors of its investigation; administrators for platform jobs). The row is the source of truth and is marked first (the worker skips or stops at a cancelled row); the
 * queue entry is then removed if it is still waiting, and the cancellation is published for streams.
 */
export async function cancelJob(deps: ApiDeps, user: AuthUser, actor: Actor, jobId: string): Promise<JobRow> {
  const row = await deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for('update').limit(1);
    if (!current) throw new NotFoundError('job');
    await requireJobCancel(tx, user, current);
    if (TERMINAL_STATUSES.has(current.status)) throw new JobFinishedError(current.status);
    const updated = await cancelJobRow(tx, jobId);
    if (!updated) throw new NotFoundError('job');
    await recordAudit(tx, actor, {
      action: 'job.cancel',
      objectType: 'job',
      objectId: jobId,
      investigationId: current.investigationId,
      before: { status: current.status, kind: current.kind },
      after: { status: 'cancelled', kind: current.kind },
    });
    return updated;
  });
  // Best effort from here: the row already says cancelled, which is what the worker obeys.
  const queue = (deps.queues as Record<string, Queue | undefined>)[row.kind];
  if (queue && deps.redis.status === 'ready') {
    try {
      const queued = await queue.getJob(row.id);
      if (queued && ['waiting', 'delayed', 'prioritized'].includes(await queued.getState())) {
        await queued.remove();
      }
    } catch (error) {
      deps.logger.debug({ err: { message: (error as Error).message } }, 'could not remove cancelled job');
    }
  }
  await publishJobEvent(deps.redis, deps.config.QUEUE_PREFIX, rowEvent(row));
  return row;
}

/** The progress event describing a row as it is now (the shape the worker publishes). */
export function rowEvent(row: JobRow, phase: string | null = null): JobEvent {
  return jobEventOf(row, phase, row.updatedAt ?? new Date());
}

/** An investigation's jobs, newest first (viewers and up). */
export async function listJobs(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: {
    status?: JobRow['status'] | undefined;
    kind?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<JobRow>> {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  const list = newestFirst(
    deps.cursors,
    `jobs:${investigationId}:${query.status ?? ''}:${query.kind ?? ''}`,
    query,
    jobs.createdAt,
    jobs.id,
  );
  const rows = await list.fetch(
    deps.db
      .select({ ...getTableColumns(jobs), t: list.time })
      .from(jobs)
      .$dynamic(),
    eq(jobs.investigationId, investigationId),
    query.status ? eq(jobs.status, query.status) : undefined,
    query.kind ? eq(jobs.kind, query.kind) : undefined,
  );
  return list.page(
    rows,
    ({ t: _t, ...row }) => row,
    (r) => r.id,
  );
}

/** The investigation's jobs that may still change (for the initial state of its event stream). */
export async function activeJobs(db: DbOrTx, investigationId: string, limit: number): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.investigationId, investigationId), inArray(jobs.status, ['queued', 'running'])))
    .orderBy(desc(jobs.createdAt))
    .limit(limit);
}
