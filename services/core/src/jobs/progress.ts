import { JOB_STATUSES } from '@osint/contracts';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Job progress on Redis pub/sub, for the API's Server-Sent Events. The `jobs` row stays the source of
 * truth: events are best-effort notifications (a subscriber that connects late or misses one reads the row),
 * published after every row change the worker makes (claimed, progress, retry, success, failure, skip).
 *
 * Channels, with `prefix` = the worker's QUEUE_PREFIX (`osint` outside tests):
 * - `<prefix>:jobs:<jobId>`: every event of one job;
 * - `<prefix>:investigations:<investigationId>:jobs`: every event of every job of one investigation.
 */
export function jobChannel(prefix: string, jobId: string): string {
  return `${prefix}:jobs:${jobId}`;
}

export function investigationJobsChannel(prefix: string, investigationId: string): string {
  return `${prefix}:investigations:${investigationId}:jobs`;
}

/**
 * One message (JSON text) on both channels. `v` versions the shape. `phase` names the step in progress
 * (`reading`, `extracting`, `saving`, `enriching`...). `result` is set on `succeeded`, `error` on a failed
 * attempt (status `queued` again while retries remain) and on `failed`.
 */
export const jobEventSchema = z.object({
  v: z.literal(1),
  jobId: z.uuid(),
  investigationId: z.uuid().nullable(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number().int().min(0).max(100),
  phase: z.string().nullable(),
  attempts: z.number().int().min(0),
  error: z.string().nullable(),
  result: z.unknown().nullable(),
  at: z.iso.datetime(),
});
export type JobEvent = z.infer<typeof jobEventSchema>;

/** The columns of a `jobs` row an event carries (structural, so core needs no dependency on db). */
export interface JobEventSource {
  id: string;
  investigationId: string | null;
  kind: string;
  status: JobEvent['status'];
  progress: number;
  attempts: number;
  error: string | null;
  result: unknown;
}

/** The event describing a row as it is now; `at` defaults to now. Used by the API and the worker alike. */
export function jobEventOf(
  row: JobEventSource,
  phase: string | null = null,
  at: Date = new Date(),
): JobEvent {
  return {
    v: 1,
    jobId: row.id,
    investigationId: row.investigationId,
    kind: row.kind,
    status: row.status,
    progress: row.progress,
    phase,
    attempts: row.attempts,
    error: row.error,
    result: row.status === 'succeeded' ? (row.result ?? null) : null,
    at: at.toISOString(),
  };
}

/**
 * Publishes `event` on the job's channel and, when it has one, its investigation's channel. Never throws:
 * progress is advisory and must not fail the job; returns false when Redis refused.
 */
export async function publishJobEvent(redis: Redis, prefix: string, event: JobEvent): Promise<boolean> {
  const message = JSON.stringify(event);
  try {
    const pipeline = redis.pipeline().publish(jobChannel(prefix, event.jobId), message);
    if (event.investigationId)
      pipeline.publish(investigationJobsChannel(prefix, event.investigationId), message);
    await pipeline.exec();
    return true;
  } catch {
    return false;
  }
}
