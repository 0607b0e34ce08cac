import type { Queue } from 'bullmq';
import { traceCarrier } from './trace-context.js';

/**
 * Job data with the current trace carrier added as `trace` (house style 7 allows it: a `traceparent` and a
 * request id are ids). Left as it is outside a trace, for non-object data, and when the caller already
 * set `trace`. Payload schemas are plain `z.object`s, so processors' parsing drops the field.
 */
export function withTraceCarrier<D>(data: D): D {
  const carrier = traceCarrier();
  if (!carrier.traceparent || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  if ('trace' in data) return data;
  return { ...data, trace: carrier };
}

/**
 * Makes every `add`/`addBulk` on this queue carry the trace it is called in, so the worker continues the
 * API request's trace (and a follow-up job continues its parent job's). One call where a process creates
 * its producer queues, instead of one edit per enqueue site.
 */
export function traceQueue<Q extends Queue>(queue: Q): Q {
  const add = queue.add.bind(queue);
  const addBulk = queue.addBulk.bind(queue);
  queue.add = ((name, data, opts) => add(name, withTraceCarrier(data), opts)) as Q['add'];
  queue.addBulk = ((jobs) =>
    addBulk(jobs.map((job) => ({ ...job, data: withTraceCarrier(job.data) })))) as Q['addBulk'];
  return queue;
}
