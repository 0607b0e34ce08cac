import { EXTRACTION_STATUSES } from '@osint/contracts';
import { z } from 'zod';
import { safeLine, safeText, uuidSchema } from '../http/validate.js';
import { jobSchema } from '../jobs/job.schema.js';
import { pageQueryShape, pageSchema } from '../shared/pagination.js';

/** What can be uploaded; the extractor (issue 4) reads each of these. */
export const DOCUMENT_MEDIA_TYPES = ['text/plain', 'text/html', 'application/pdf'] as const;

/** A document's origin as the API takes it (http(s) only); the importer applies the same check. */
export const sourceUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048, 'must be at most 2048 characters')
  .nullable()
  .optional();

export const documentSchema = z
  .object({
    id: z.uuid(),
    investigationId: z.uuid(),
    title: z.string(),
    sourceUrl: z.string().nullable(),
    mediaType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    extractionStatus: z.enum(EXTRACTION_STATUSES),
    error: z.string().nullable(),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Document' });

export const documentWithTextSchema = documentSchema
  .extend({ extractedText: z.string().nullable().meta({ description: 'Null until extraction succeeds.' }) })
  .meta({ id: 'DocumentWithText' });

export const createdDocumentSchema = z
  .object({ document: documentSchema, job: jobSchema })
  .meta({ id: 'CreatedDocument' });

export const createDocumentJsonBody = z
  .strictObject({
    title: safeLine(1000, 1),
    text: safeText(10 * 1024 * 1024, 1),
    sourceUrl,
  })
  .meta({ id: 'CreateDocumentRequest' });

/** Form fields sent next to an uploaded file. */
export const uploadFields = z.object({
  title: safeLine(1000, 1).optional(),
  sourceUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2048)
    .optional(),
});

export const documentParams = z.object({ id: uuidSchema(), documentId: uuidSchema() });

export const listDocumentsQuery = z.object({
  ...pageQueryShape,
  extractionStatus: z.enum(EXTRACTION_STATUSES).optional(),
});

export const documentPage = pageSchema(documentSchema, 'DocumentPage');

/** OpenAPI description of the two accepted request bodies. */
export const documentRequestBody = {
  required: true,
  content: {
    'application/json': { schema: createDocumentJsonBody },
    'multipart/form-data': {
      schema: {
        type: 'object' as const,
        required: ['file'],
        properties: {
          file: { type: 'string' as const, format: 'binary', description: DOCUMENT_MEDIA_TYPES.join(', ') },
          title: { type: 'string' as const, description: 'Defaults to the file name.' },
          sourceUrl: { type: 'string' as const, format: 'uri' },
        },
      },
    },
  },
};
