import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { ApiDeps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type ApiRoutes, problem } from '../http/route.js';
import { idParams } from '../http/validate.js';
import { presentJob } from '../jobs/job.presenter.js';
import { jobSchema } from '../jobs/job.schema.js';
import { createExportBody, importResultSchema, jobIdParams } from './export.schema.js';
import { prepareExportDownload, requestExport } from './export.service.js';
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

/** Exports (a job that writes a file), their download, and re-import of a JSON export. */
export function exportRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/investigations/:id/exports',
    operationId: 'requestExport',
    summary:
      'Export the investigation as JSON, CSV or a STIX 2.1 bundle (members): enqueues an `export` job.',
    tag: 'exports',
    auth: 'user',
    request: { params: idParams, body: createExportBody },
    changesNothingSearchable: true,
    responses: {
      202: {
        description: 'Queued; when the job succeeds, its result names the download URL.',
        schema: jobSchema,
      },
      409: { description: 'EXPORT_MAX_FILES_PER_INVESTIGATION export files exist (`too_many_exports`).' },
      429: { description: 'RATE_LIMIT_EXPORTS used up; see Retry-After.' },
      503: { description: 'PostgreSQL is unavailable (`database_unavailable`); nothing was stored.' },
    },
    handler: async ({ params, body }, req, res) => {
      await deps.rateLimits.consume('export', req.auth!.user.id);
      const row = await requestExport(
        deps,
        { userId: req.auth!.user.id, requestId: req.id },
        params.id,
        body.format,
      );
      res.status(202).location(`/api/v1/jobs/${row.id}`).json(presentJob(row));
    },
  });

  routes.add({
    method: 'get',
    path: '/exports/:jobId/download',
    operationId: 'downloadExport',
    summary: 'Download a finished export (members of its investigation); audited as `export.download`.',
    tag: 'exports',
    auth: 'user',
    request: { params: jobIdParams },
    responses: {
      200: {
        description: 'The file (JSON, CSV or STIX bundle), streamed as an attachment.',
        contentType: 'application/octet-stream',
      },
      409: problem('The export job has not succeeded (`export_not_ready`).'),
      410: problem('The file is gone (`export_gone`).'),
    },
    handler: async ({ params }, req, res) => {
      const download = await prepareExportDownload(
        deps,
        { userId: req.auth!.user.id, requestId: req.id },
        params.jobId,
      );
      res.status(200).set(download.headers);
      await pipeline(createReadStream(download.file), res).catch((error: Error) => {
        // The client went away mid-download: nothing to answer any more.
        deps.logger.debug({ err: { message: error.message } }, 'export download interrupted');
      });
    },
  });

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
    handler: async (_input, req, res) => {
      await deps.rateLimits.consume('import', req.auth!.user.id);
      const raw = await readJson(req, deps.config.IMPORT_MAX_BYTES);
      const result = await importInvestigation(deps, { userId: req.auth!.user.id, requestId: req.id }, raw);
      res.status(201).location(result.url).json(result);
    },
  });
}
