import { z } from 'zod';

export const importResultSchema = z
  .object({
    investigationId: z.uuid(),
    url: z.string(),
    counts: z.object({
      selectors: z.number().int(),
      documents: z.number().int(),
      mentions: z.number().int(),
      entities: z.number().int(),
      relationships: z.number().int(),
      notes: z.number().int(),
    }),
  })
  .meta({ id: 'ImportResult' });
