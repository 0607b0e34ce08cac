import type { Request } from 'express';
import type { ApiDeps } from '../deps.js';
import { type ApiRoutes, problem } from '../http/route.js';
import { AppError } from '../shared/errors.js';
import { importResultSchema } from './import.schema.js';
import { importInvestigation } from './import.service.js';

/** The import route's path: the global JSON parser skips it (its body may be far larger than BODY_LIMIT). */
export const IMPORT_PATH = '/investigations/import';

/** Reads a JSON body of at most `limit` bytes (the import's own limit), parsed once complete. */
async function readJson(req: Request, limit: number): Promise<unknown> {
  if (!req.is('application/json')) {
    throw new AppError(415, 'unsupported_media_type', 'Send the export file as application/json.');
  }
  const charset = /charset=([^;]+)/i
    .exec(req.get('content-type') ?? '')?.[1]
    ?.trim()
    .toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError(415, 'unsupported_encoding', 'The request body encoding is not supported.');
  }
  const tooLarge = () =>
    new AppError(413, 'body_too_large', `The export file is larger than ${limit} bytes.`);
  if (Number(req.get('content-length') ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
  } catch {
    throw new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
  }
}

/** Re-import of a JSON export as a new investigation. */
export function importRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add({
    method: 'post',
    path: IMPORT_PATH,
    operationId: 'importInvestigation',
    summary: 'Import a JSON export as a new investigation owned by the caller.',
    description:
      'The body is the file `GET /exports/{jobId}/download` returned for a `json` export, up to IMPORT_MAX_BYTES.',
    tag: 'exports',
    auth: 'user',
    documentedBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            description: 'A JSON export (format osint-platform/investigation-export, version 1).',
          },
        },
      },
    },
    responses: {
      201: { description: 'The new investigation and what was imported.', schema: importResultSchema },
      413: problem('Larger than IMPORT_MAX_BYTES.'),
      415: problem('Not application/json.'),
      429: problem('RATE_LIMIT_IMPORTS used up; see Retry-After.'),
    },
    handler: async ({ user, actor }, req, res) => {
      await deps.rateLimits.consume('import', user.id);
      const raw = await readJson(req, deps.config.IMPORT_MAX_BYTES);
      const result = await importInvestigation(deps, actor, raw);
      res.status(201).location(result.url).json(result);
    },
  });
}
