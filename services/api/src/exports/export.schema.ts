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
