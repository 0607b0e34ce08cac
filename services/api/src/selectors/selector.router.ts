import type { ApiDeps } from '../deps.js';
import { collectionRoutes } from '../http/collection-routes.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
import { presentJob } from '../jobs/job.presenter.js';
import { jobSchema } from '../jobs/job.schema.js';
import { requestEnrichment } from './enrichment.service.js';
import {
  addSelectorBody,
  correlationPage,
  correlationQuery,
  enrichBody,
  listSelectorsQuery,
  selectorPage,
  selectorParams,
  selectorSchema,
  updateSelectorBody,
} from './selector.schema.js';
import {
  addSelector,
  getSelector,
  listCorrelations,
  listSelectors,
  removeSelector,
  updateSelector,
} from './selector.service.js';

export function selectorRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const tag = 'selectors';
  const base = '/investigations/:id/selectors';

  routes.add({
    method: 'post',
    path: base,
    operationId: 'addSelector',
    summary: 'Add a selector by value (normalised and de-duplicated globally).',
    description:
      'The type is detected when omitted. Phone numbers without +country use the investigation’s default ' +
      'region. Adding a value already in the investigation answers 200 with the existing entry (tags merged).',
    tag,
    auth: 'user',
    request: { params: idParams, body: addSelectorBody },
    responses: {
      201: { description: 'Added.', schema: selectorSchema },
      200: { description: 'Already in the investigation.', schema: selectorSchema },
    },
    handler: async ({ params, body, actor }, _req, res) => {
      const { selector, created } = await addSelector(deps.db, actor, params.id, body);
      res.status(created ? 201 : 200).json(selector);
    },
  });

  collectionRoutes(routes, deps, {
    tag,
    key: 'selectorId',
    params: selectorParams,
    noun: 'selector',
    schema: selectorSchema,
    list: {
      operationId: 'listSelectors',
      summary: 'Selectors in the investigation, newest first; filter by type, tag, source, falsePositive.',
      query: listSelectorsQuery,
      page: selectorPage,
      run: listSelectors,
    },
    get: {
      operationId: 'getSelector',
      summary: 'One selector as it is in this investigation.',
      run: getSelector,
    },
    update: {
      operationId: 'updateSelector',
      summary: 'Change tags, note or the false-positive flag (editors).',
      body: updateSelectorBody,
      run: updateSelector,
    },
    remove: {
      operationId: 'removeSelector',
      summary: 'Remove the selector from this investigation (the global selector stays).',
      done: 'Removed.',
      run: removeSelector,
    },
  });

  routes.add({
    method: 'get',
    path: `${base}/:selectorId/correlations`,
    operationId: 'listCorrelations',
    summary: 'Other investigations containing this selector — only those you are a member of.',
    tag,
    auth: 'user',
    request: { params: selectorParams, query: correlationQuery },
    responses: { 200: { description: 'A page of correlations.', schema: correlationPage } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await listCorrelations(deps, user.id, params.id, params.selectorId, query));
    },
  });

  routes.add({
    method: 'post',
    path: '/investigations/:id/selectors/:selectorId/enrich',
    operationId: 'enrichSelector',
    summary: 'Enrich one selector now (editors): enqueues an `enrich` job.',
    tag,
    auth: 'user',
    request: { params: selectorParams, body: enrichBody },
    changesNothingSearchable: true,
    responses: {
      202: { description: 'Queued; follow the job URL or its event stream.', schema: jobSchema },
      429: { description: 'RATE_LIMIT_ENRICHMENTS used up; see Retry-After.' },
      503: { description: 'PostgreSQL is unavailable (`database_unavailable`); nothing was stored.' },
    },
    handler: async ({ params, body, user, actor }, _req, res) => {
      await deps.rateLimits.consume('enrichment', user.id);
      const row = await requestEnrichment(deps, actor, params.id, params.selectorId, body);
      res.status(202).location(`/api/v1/jobs/${row.id}`).json(presentJob(row));
    },
  });
}
