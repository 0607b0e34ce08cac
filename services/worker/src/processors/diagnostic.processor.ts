import { hostname } from 'node:os';
import { diagnosticJobPayload } from '@osint/core';
import type { Database } from '@osint/db';
import { startJobRow, succeedJobRow } from '@osint/writes';
import { type Job, UnrecoverableError } from 'bullmq';

/**
 * Proves the pipeline end to end: marks the job row running, then succeeded with who processed it. The API
 * enqueues only after the row commits (the outbox, ADR 0018), so a missing row is gone for good: it, like a
 * malformed payload, can never succeed and fails at once.
 */
export async function processDiagnostic(db: Database, job: Job): Promise<{ processedBy: string }> {
  const parsed = diagnosticJobPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.issues[0]?.message}`);
  const { jobId } = parsed.data;
  await startJobRow(db, jobId, job.attemptsMade + 1);
  const result = { processedBy: `${hostname()}:${process.pid}` };
  await succeedJobRow(db, jobId, result);
  return result;
}
