import type { ApiDeps } from '../deps.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
import { presentJob } from './job.presenter.js';
import { jobSchema } from './job.schema.js';
import { enqueueDiagnosticJob, getVisibleJob } from './job.service.js';

/** Job status and the diagnostic job that proves API → queue → worker → PostgreSQL end to end. */
export function jobRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/diagnostics/jobs',
    operationId: 'enqueueDiagnosticJob',
    summary: 'Enqueue a diagnostic job (administrators).',
    tag: 'jobs',
    auth: 'admin',
    responses: {
      202: { description: 'Queued; poll the job URL.', schema: jobSchema },
      503: { description: 'The queue is unavailable; nothing was stored.' },
    },
    handler: async (_input, req, res) => {
      const row = await enqueueDiagnosticJob(deps, req.id);
      res.status(202).location(`/api/v1/jobs/${row.id}`).json(presentJob(row));
    },
  });

  routes.add({
    method: 'get',
    path: '/jobs/:id',
    operationId: 'getJob',
    summary: "A job's status: administrators, or members of the job's investigation.",
    tag: 'jobs',
    auth: 'user',
    request: { params: idParams },
    responses: { 200: { description: 'The job.', schema: jobSchema } },
    handler: async ({ params }, req, res) => {
      res.json(presentJob(await getVisibleJob(deps.db, req.auth!.user, params.id)));
    },
  });
}
