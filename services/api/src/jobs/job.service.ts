import { DEFAULT_JOB_OPTIONS, type DiagnosticJobPayload } from '@osint/core';
import { type DbOrTx, jobs, memberships } from '@osint/db';
import { and, eq } from 'drizzle-orm';
import type { AuthUser } from '../auth/authenticate.js';
import type { ApiDeps } from '../deps.js';
import { NotFoundError, ServiceUnavailableError } from '../http/errors.js';

export type JobRow = typeof jobs.$inferSelect;

export async function getJob(db: DbOrTx, id: string): Promise<JobRow> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  if (!row) throw new NotFoundError('job');
  return row;
}

/**
 * A job as seen by `user`: administrators see every job; anyone else only jobs of an investigation they
 * belong to (any role). Everything else is the same 404 as a missing job.
 */
export async function getVisibleJob(db: DbOrTx, user: AuthUser, id: string): Promise<JobRow> {
  const row = await getJob(db, id);
  if (user.role === 'admin') return row;
  if (!row.investigationId) throw new NotFoundError('job');
  const [member] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.investigationId, row.investigationId), eq(memberships.userId, user.id)))
    .limit(1);
  if (!member) throw new NotFoundError('job');
  return row;
}

/**
 * Records a diagnostic job and enqueues it in one transaction: if Redis refuses the job, the row is rolled
 * back, so the caller gets 503 and nothing half-done is stored.
 */
export async function enqueueDiagnosticJob(deps: ApiDeps, requestId: string): Promise<JobRow> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.insert(jobs).values({ kind: 'diagnostic', requestId }).returning();
    if (!row) throw new Error('insert returned no row');
    const payload: DiagnosticJobPayload = { jobId: row.id };
    try {
      await enqueueFast(deps, () =>
        deps.queues.diagnostic.add('diagnostic', payload, { ...DEFAULT_JOB_OPTIONS, jobId: row.id }),
      );
    } catch (error) {
      deps.logger.warn({ err: { message: (error as Error).message } }, 'enqueue failed');
      throw new ServiceUnavailableError(
        'The job queue is unavailable; nothing was stored. Try again shortly.',
      );
    }
    return row;
  });
}

/** Upper bound on an enqueue round trip; beyond it the producer gives up rather than hold the request. */
const ENQUEUE_TIMEOUT_MS = 2_000;

/**
 * Producers fail fast (house style 8): BullMQ waits for a connection that is not ready, so check the
 * connection first and bound the call, turning both into an error the caller maps to 503.
 */
export async function enqueueFast<T>(deps: ApiDeps, add: () => Promise<T>): Promise<T> {
  if (deps.redis.status !== 'ready') throw new Error(`redis connection is ${deps.redis.status}`);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      add(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('enqueue timed out')), ENQUEUE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
