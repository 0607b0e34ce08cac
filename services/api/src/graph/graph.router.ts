import type { ApiDeps } from '../deps.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
import { graphQuery, graphSchema } from './graph.schema.js';
import { investigationGraph } from './graph.service.js';

/** The investigation's graph for the UI's graph view. */
export function graphRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/investigations/:id/graph',
    operationId: 'getInvestigationGraph',
    summary:
      'Nodes (selectors, entities, documents) and edges (relationships), bounded by depth and node limit.',
    tag: 'graph',
    auth: 'user',
    request: { params: idParams, query: graphQuery },
    responses: { 200: { description: 'The (possibly truncated) graph.', schema: graphSchema } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await investigationGraph(deps, user.id, params.id, query));
    },
  });
}
