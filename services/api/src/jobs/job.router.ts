import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ValidationError } from '../http/errors.js';
import { presentJob } from './job.presenter.js';
import { enqueueDiagnosticJob, getJob } from './job.service.js';

const jobIdParams = z.object({ id: z.uuid() });

/** Job status and the diagnostic job that proves API → queue → worker → PostgreSQL end to end. */
export function jobRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/diagnostics/jobs', async (req, res) => {
    const row = await enqueueDiagnosticJob(deps, req.id);
    res.status(202).location(`/api/v1/jobs/${row.id}`).json(presentJob(row));
  });
  router.get('/jobs/:id', async (req, res) => {
    const parsed = jobIdParams.safeParse(req.params);
    if (!parsed.success) throw new ValidationError([{ field: 'id', message: 'must be a UUID' }]);
    res.json(presentJob(await getJob(deps.db, parsed.data.id)));
  });
  return router;
}
