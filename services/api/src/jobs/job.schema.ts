import { JOB_STATUSES } from '@osint/contracts';
import { jobEventSchema } from '@osint/core';
import { z } from 'zod';
import { pageQueryShape } from '../shared/pagination.js';

export const jobSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    status: z.enum(JOB_STATUSES),
    investigationId: z.uuid().nullable(),
    progress: z.number().int(),
    attempts: z.number().int(),
    error: z.string().nullable(),
    result: z.unknown().nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    url: z.string().meta({ description: 'Where to poll for the outcome.' }),
  })
  .meta({ id: 'Job' });

export const listJobsQuery = z.strictObject({
  ...pageQueryShape,
  status: z.enum(JOB_STATUSES).optional(),
  kind: z
    .string()
    .max(50)
    .regex(/^[a-z-]+$/, 'must be a job kind')
    .optional(),
});

/** Event streams take no query parameters (unknown ones are refused, like everywhere else). */
export const streamQuery = z.strictObject({});

/** One `event: progress` frame's `data`: the worker's progress event, core's `jobEventSchema`. */
export const jobEventDataSchema = jobEventSchema.meta({
  id: 'JobEvent',
  description:
    'The `data` of each `event: progress` frame of a text/event-stream. The stream opens with `retry: 5000`, ' +
    'then the current state, then live events; `: heartbeat` comments every 15 s.',
});
