import type { ApiDeps } from '../deps.js';
import { type ApiRoutes, problem } from '../http/route.js';
import { idParams } from '../http/validate.js';
import { requireRole } from '../investigations/access.js';
import { NotFoundError } from '../shared/errors.js';
import { pageSchema } from '../shared/pagination.js';
import { presentJob } from './job.presenter.js';
import { jobEventDataSchema, jobSchema, listJobsQuery, streamQuery } from './job.schema.js';
import {
  activeJobs,
  cancelJob,
  enqueueDiagnosticJob,
  getVisibleJob,
  listJobs,
  rowEvent,
  TERMINAL_STATUSES,
  withoutContent,
} from './job.service.js';
import { serveEventStream } from './job-stream.js';

/** Most queued/running jobs an investigation stream shows as its initial state. */
const INITIAL_ACTIVE_JOBS = 100;

/**
 * Jobs: status, lists, cancellation, progress streams (Server-Sent Events), and the
 * diagnostic job that proves API → queue → worker → PostgreSQL end to end.
 */
/** Both event-stream routes answer the same `progress` events. */
const eventStreamResponses = {
  200: {
    description: 'text/event-stream of `progress` events.',
    schema: jobEventDataSchema,
    contentType: 'text/event-stream',
  },
} as const;

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
      503: { description: 'PostgreSQL is unavailable (`database_unavailable`); nothing was stored.' },
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
    handler: async ({ params, user }, _req, res) => {
      res.json(presentJob(await getVisibleJob(deps.db, user, params.id)));
    },
  });

  routes.add({
    method: 'post',
    path: '/jobs/:id/cancel',
    operationId: 'cancelJob',
    summary: 'Cancel a queued or running job (editors of its investigation).',
    description:
      'Marks the job row cancelled (the worker skips it, or stops at its next checkpoint and rolls back), ' +
      'removes the queue entry if it is still waiting, and publishes the change to progress streams.',
    tag: 'jobs',
    auth: 'user',
    request: { params: idParams },
    responses: {
      200: { description: 'The cancelled job.', schema: jobSchema },
      409: problem('The job already finished (`job_finished`).'),
    },
    handler: async ({ params, user, actor }, _req, res) => {
      const row = await cancelJob(deps, user, actor, params.id);
      res.json(presentJob(row));
    },
  });

  routes.add({
    method: 'get',
    path: '/investigations/:id/jobs',
    operationId: 'listInvestigationJobs',
    summary: "The investigation's jobs, newest first (members).",
    tag: 'jobs',
    auth: 'user',
    request: { params: idParams, query: listJobsQuery },
    responses: { 200: { description: 'A page of jobs.', schema: pageSchema(jobSchema, 'JobPage') } },
    handler: async ({ params, query, user }, _req, res) => {
      const page = await listJobs(deps, user.id, params.id, query);
      res.json({ items: page.items.map(presentJob), nextCursor: page.nextCursor });
    },
  });

  routes.add({
    method: 'get',
    path: '/jobs/:id/events',
    operationId: 'streamJobEvents',
    summary: "Server-Sent Events of one job's progress; ends when the job finishes.",
    tag: 'jobs',
    auth: 'user',
    request: { params: idParams, query: streamQuery },
    responses: eventStreamResponses,
    handler: async ({ params, user, auth }, req, res) => {
      const row = await getVisibleJob(deps.db, user, params.id);
      serveEventStream(deps, auth, req, res, {
        initial: [rowEvent(row)],
        subscribe: (listener) =>
          deps.events.onJob(row.id, row.contentVisible ? listener : (e) => listener(withoutContent(e))),
        endOnTerminal: true,
        recheck: async () => {
          try {
            const now = await getVisibleJob(deps.db, user, params.id);
            return TERMINAL_STATUSES.has(now.status) || !deps.events.connected ? [rowEvent(now)] : [];
          } catch (error) {
            if (error instanceof NotFoundError) return null;
            throw error;
          }
        },
      });
    },
  });

  routes.add({
    method: 'get',
    path: '/investigations/:id/jobs/events',
    operationId: 'streamInvestigationJobEvents',
    summary: 'Server-Sent Events of every job of the investigation (members); open until the client leaves.',
    tag: 'jobs',
    auth: 'user',
    request: { params: idParams, query: streamQuery },
    responses: eventStreamResponses,
    handler: async ({ params, user, auth }, req, res) => {
      const userId = user.id;
      await requireRole(deps.db, userId, params.id, 'viewer');
      const initial = await activeJobs(deps.db, params.id, INITIAL_ACTIVE_JOBS);
      serveEventStream(deps, auth, req, res, {
        initial: initial.reverse().map((row) => rowEvent(row)),
        subscribe: (listener) => deps.events.onInvestigation(params.id, listener),
        endOnTerminal: false,
        recheck: async () => {
          try {
            await requireRole(deps.db, userId, params.id, 'viewer');
          } catch {
            return null;
          }
          if (deps.events.connected) return [];
          // Without the subscription, fall back to showing the current state of active jobs.
          return (await activeJobs(deps.db, params.id, INITIAL_ACTIVE_JOBS)).map((row) => rowEvent(row));
        },
      });
    },
  });
}
