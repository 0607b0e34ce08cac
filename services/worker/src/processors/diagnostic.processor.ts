import { hostname } from 'node:os';
import { diagnosticJobPayload } from '@osint/core';
import { type Database, jobs } from '@osint/db';
import { type Job, UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';

/**
 * Proves the pipeline end to end: marks the job row running, then succeeded with who processed it. The row
 * may not be committed yet when the job arrives (the API enqueues inside its transaction), so a missing
 * row is retried; a malformed payload can never succeed and is failed at once.
 */
export async function processDiagnostic(db: Database, job: Job): Promise<{ processedBy: string }> {
  const parsed = diagnosticJobPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.issues[0]?.message}`);
  const { jobId } = parsed.data;
  const [row] = await db
    .update(jobs)
    .set({ status: 'running', startedAt: new Date(), attempts: job.attemptsMade + 1, updatedAt: new Date() })
    .where(eq(jobs.id, jobId))
    .returning({ id: jobs.id });
  if (!row) throw new Error(`job row ${jobId} not found (yet)`);
  const result = { processedBy: `${hostname()}:${process.pid}` };
  await db
    .update(jobs)
    .set({ status: 'succeeded', progress: 100, result, finishedAt: new Date(), updatedAt: new Date() })
    .where(eq(jobs.id, jobId));
  return result;
}
