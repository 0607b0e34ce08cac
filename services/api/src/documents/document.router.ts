import type { Request } from 'express';
import type { ApiDeps } from '../deps.js';
import { collectionRoutes } from '../http/collection-routes.js';
import { parseMultipart, UploadTooLargeError } from '../http/multipart.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams, issuesToFieldErrors } from '../http/validate.js';
import { requireRole } from '../investigations/access.js';
import { presentJob } from '../jobs/job.presenter.js';
import { AppError, ValidationError } from '../shared/errors.js';
import {
  createDocumentJsonBody,
  createdDocumentSchema,
  DOCUMENT_MEDIA_TYPES,
  documentPage,
  documentParams,
  documentRequestBody,
  documentWithTextSchema,
  listDocumentsQuery,
  uploadFields,
} from './document.schema.js';
import {
  createDocument,
  deleteDocument,
  getDocument,
  listDocuments,
  type NewDocument,
} from './document.service.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

function unsupported(detail: string): AppError {
  return new AppError(415, 'unsupported_media_type', detail, { accepted: DOCUMENT_MEDIA_TYPES });
}

/**
 * Decides what an upload is from its bytes first and its declared type second: a PDF is recognised by its
 * magic number whatever it claims to be, and something declared as PDF that is not one is refused. Text
 * (plain or HTML) must not contain NUL bytes, which betray binary content.
 */
export function detectMediaType(bytes: Buffer, declared: string, filename: string): string {
  const type = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (type === 'application/pdf' || ext === 'pdf')
    throw unsupported('The file says it is a PDF but is not one.');
  const looksBinary = bytes.subarray(0, 64 * 1024).includes(0);
  const isHtml = type === 'text/html' || type === 'application/xhtml+xml' || ext === 'html' || ext === 'htm';
  const isText =
    type.startsWith('text/') ||
    ((type === '' || type === 'application/octet-stream') && ['txt', 'md', 'csv', 'log'].includes(ext));
  if ((isHtml || isText) && looksBinary) throw unsupported('The file contains binary data, not text.');
  if (isHtml) return 'text/html';
  if (isText) return 'text/plain';
  throw unsupported(`Upload ${DOCUMENT_MEDIA_TYPES.join(', ')} only.`);
}

/** The document in the request, and how to remove what reading it left on disk. */
async function readDocument(
  req: Request,
  maxBytes: number,
  spoolDir: string,
): Promise<{ input: NewDocument; discard: () => Promise<void> }> {
  if (req.is('application/json')) {
    const parsed = createDocumentJsonBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError(issuesToFieldErrors(parsed.error.issues, 'body'));
    const bytes = Buffer.from(parsed.data.text, 'utf8');
    if (bytes.length > maxBytes) throw new UploadTooLargeError(maxBytes);
    const input = {
      title: parsed.data.title,
      sourceUrl: parsed.data.sourceUrl ?? null,
      mediaType: 'text/plain',
      bytes,
    };
    return { input, discard: async () => {} };
  }
  if (req.is('multipart/form-data')) {
    const upload = await parseMultipart(req, 'file', maxBytes, spoolDir);
    try {
      const fields = uploadFields.safeParse(upload.fields);
      if (!fields.success) throw new ValidationError(issuesToFieldErrors(fields.error.issues, 'body'));
      const file = upload.file;
      if (!file) throw new ValidationError([{ field: 'file', message: 'is required' }]);
      if (file.size === 0) throw new ValidationError([{ field: 'file', message: 'is empty' }]);
      const mediaType = detectMediaType(file.head, file.mimeType, file.filename);
      const fallbackTitle = file.filename.replace(CONTROL_CHARS, '').trim().slice(0, 1000);
      const title = fields.data.title ?? (fallbackTitle || 'Untitled upload');
      return {
        input: { title, sourceUrl: fields.data.sourceUrl ?? null, mediaType, bytes: file },
        discard: upload.discard,
      };
    } catch (error) {
      await upload.discard();
      throw error;
    }
  }
  throw unsupported('Send application/json ({ title, text }) or multipart/form-data with a file.');
}

export function documentRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const tag = 'documents';
  const base = '/investigations/:id/documents';

  routes.add({
    method: 'post',
    path: base,
    operationId: 'createDocument',
    summary: 'Add a document from pasted text (JSON) or an upload (multipart: text, HTML, PDF).',
    description:
      'Stores the bytes and their SHA-256, creates an `extract` job and answers 202 with the job URL ' +
      '(Location). The same bytes twice in one investigation answer 409 with `existingId`. The job is ' +
      'committed before it is queued: with the queue down or slow the answer is still 202, and the job ' +
      'runs once the queue answers again.',
    tag,
    auth: 'user',
    request: { params: idParams },
    documentedBody: documentRequestBody,
    responses: {
      202: { description: 'Stored; extraction queued.', schema: createdDocumentSchema },
      409: { description: 'Duplicate of an existing document (`existingId`).' },
      413: { description: 'Larger than DOCUMENT_MAX_BYTES.' },
      415: { description: 'Not text, HTML or PDF.' },
      429: { description: 'RATE_LIMIT_UPLOADS or UPLOAD_QUOTA_BYTES_PER_DAY used up; see Retry-After.' },
      503: { description: 'PostgreSQL is unavailable (`database_unavailable`); nothing stored.' },
    },
    handler: async ({ params, actor }, req, res) => {
      // Authorise before reading a possibly large body.
      await requireRole(deps.db, actor.userId, params.id, 'editor');
      await deps.rateLimits.consume('upload', actor.userId);
      const { input, discard } = await readDocument(
        req,
        deps.config.DOCUMENT_MAX_BYTES,
        deps.config.UPLOAD_SPOOL_DIR,
      );
      let created: Awaited<ReturnType<typeof createDocument>>;
      try {
        const size = Buffer.isBuffer(input.bytes) ? input.bytes.length : input.bytes.size;
        await deps.rateLimits.consumeUploadBytes(actor.userId, size);
        created = await createDocument(deps, actor, params.id, input);
      } finally {
        await discard();
      }
      const { document, job } = created;
      const jobView = presentJob(job);
      res.status(202).location(jobView.url).json({ document, job: jobView });
    },
  });

  collectionRoutes(routes, deps, {
    tag,
    key: 'documentId',
    params: documentParams,
    noun: 'document',
    schema: documentWithTextSchema,
    list: {
      operationId: 'listDocuments',
      summary: 'Documents in the investigation (metadata only), newest first.',
      query: listDocumentsQuery,
      page: documentPage,
      run: listDocuments,
    },
    get: {
      operationId: 'getDocument',
      summary: 'One document: metadata and extracted text.',
      run: getDocument,
    },
    remove: {
      operationId: 'deleteDocument',
      summary: 'Delete a document and its mentions (editors).',
      run: deleteDocument,
    },
  });
}
