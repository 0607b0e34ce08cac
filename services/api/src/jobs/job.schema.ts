import { z } from 'zod';

export const jobSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
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
