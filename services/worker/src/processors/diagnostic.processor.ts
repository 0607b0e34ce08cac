import { hostname } from 'node:os';
import { diagnosticJobPayload } from '@osint/core';
import { type Database, jobs } from '@osint/db';
import { type Job, UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import { awaitJobRow, JobRowMissingError } from './job-run.js';

/**
 * Proves the pipeline end to end: marks the job row running, then succeeded with who processed it. The row
 * may not be committed yet when the job arrives (the API enqueues inside its transaction), so a missing
 * row is waited for; a malformed payload, or a row that was rolled back, can never succeed and fails at once.
 */
export async function processDiagnostic(db: Database, job: Job): Promise<{ processedBy: string }> {
  const parsed = diagnosticJobPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.issues[0]?.message}`);
  const { jobId } = parsed.data;
  const start = () =>
    db
      .update(jobs)
      .set({
        status: 'running',
        startedAt: new Date(),
        attempts: job.attemptsMade + 1,
        updatedAt: new Date(),
      })
      .where(eq(jobs.id, jobId))
      .returning({ id: jobs.id });
  let [row] = await start();
  if (!row) {
    // Not committed yet: wait for the API's transaction to end (job-run.ts awaitJobRow), then once more.
    const found = await awaitJobRow(db, jobId);
    if (found === 'absent')
      throw new UnrecoverableError(`job row ${jobId} does not exist (its request was rolled back)`);
    if (found === 'timeout') throw new JobRowMissingError(jobId);
    [row] = await start();
    if (!row) throw new JobRowMissingError(jobId);
  }
  const result = { processedBy: `${hostname()}:${process.pid}` };
  await db
    .update(jobs)
    .set({ status: 'succeeded', progress: 100, result, finishedAt: new Date(), updatedAt: new Date() })
    .where(eq(jobs.id, jobId));
  return result;
}
