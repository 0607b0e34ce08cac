import { hostname } from 'node:os';
import { diagnosticJobPayload } from '@osint/core';
import { type Database, jobs } from '@osint/db';
import { type Job, UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';

/**
 * Proves the pipeline end to end: marks the job row running, then succeeded with who processed it. The API
 * enqueues only after the row commits (the outbox, ADR 0018), so a missing row is gone for good: it, like a
 * malformed payload, can never succeed and fails at once.
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
  const [row] = await start();
  if (!row) throw new UnrecoverableError(`job row ${jobId} does not exist`);
  const result = { processedBy: `${hostname()}:${process.pid}` };
  await db
    .update(jobs)
    .set({ status: 'succeeded', progress: 100, result, finishedAt: new Date(), updatedAt: new Date() })
    .where(eq(jobs.id, jobId));
  return result;
}
