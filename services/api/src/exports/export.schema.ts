import { EXPORT_FORMATS } from '@osint/core';
import { z } from 'zod';

export const createExportBody = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS).meta({
      description:
        '`json` (full fidelity, re-importable), `csv` (selectors with tags and sources), `stix` (STIX 2.1 bundle).',
    }),
  })
  .meta({ id: 'ExportRequest' });

export const jobIdParams = z.object({ jobId: z.uuid({ error: 'must be a UUID' }) });

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
