import { z } from 'zod';

/** Queue names; one processor per job name (house style 7). */
export const QUEUES = {
  diagnostic: 'diagnostic',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Payload of the `diagnostic` job: proves the API → Redis → worker → PostgreSQL path end to end. It carries
 * only ids (house style 7): the worker reads what it needs from PostgreSQL.
 */
export const diagnosticJobPayload = z.object({ jobId: z.uuid() });
export type DiagnosticJobPayload = z.infer<typeof diagnosticJobPayload>;

/** Retry policy shared by producers; failed jobs are kept for inspection (house style 7). */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  // Exponential backoff with 50 % jitter so retries of a burst do not stampede a recovering dependency.
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
} as const;

/** BullMQ prefix; tests set a unique one per file so parallel files never share queues. */
export const DEFAULT_QUEUE_PREFIX = 'osint';
