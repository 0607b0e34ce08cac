import type { Queue } from 'bullmq';

/** Job states counted per queue (BullMQ's names; `waiting` includes prioritized jobs). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueSample {
  queue: string;
  counts: Record<QueueState, number>;
  /** Seconds since the oldest waiting job was created; 0 when nothing waits. */
  oldestWaitingSeconds: number;
}

/**
 * One queue's counts and backlog age, read from Redis when Prometheus scrapes (a few round trips per
 * queue, nothing kept in between). The age is measured from the job's creation (`job.timestamp`), so a
 * retried job counts from its first enqueue — the backlog alert wants the oldest unfinished work.
 */
export async function sampleQueue(queue: Queue, now = Date.now()): Promise<QueueSample> {
  const [raw, oldest] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
    // asc = true: the oldest job of the wait list first (BullMQ pushes new jobs to the other end).
    queue.getJobs(['wait', 'prioritized'], 0, 0, true),
  ]);
  const n = (state: string) => raw[state] ?? 0;
  const created = oldest.reduce((min, job) => Math.min(min, job.timestamp), Number.POSITIVE_INFINITY);
  return {
    queue: queue.name,
    counts: {
      waiting: n('waiting') + n('prioritized'),
      active: n('active'),
      delayed: n('delayed'),
      failed: n('failed'),
      completed: n('completed'),
    },
    oldestWaitingSeconds: Number.isFinite(created) ? Math.max(0, (now - created) / 1000) : 0,
  };
}
