import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { ApiDeps } from '../deps.js';
import { type ApiRoutes, problem } from '../http/route.js';
import { idParams } from '../http/validate.js';
import { presentJob } from '../jobs/job.presenter.js';
import { jobSchema } from '../jobs/job.schema.js';
import { createExportBody, jobIdParams } from './export.schema.js';
import { prepareExportDownload, requestExport } from './export.service.js';

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
    handler: async ({ params, body, user, actor }, _req, res) => {
      await deps.rateLimits.consume('export', user.id);
      const row = await requestExport(deps, actor, params.id, body.format);
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
    handler: async ({ params, actor }, _req, res) => {
      const download = await prepareExportDownload(deps, actor, params.jobId);
      res.status(200).set(download.headers);
      await pipeline(createReadStream(download.file), res).catch((error: Error) => {
        // The client went away mid-download: nothing to answer any more.
        deps.logger.debug({ err: { message: error.message } }, 'export download interrupted');
      });
    },
  });
}
