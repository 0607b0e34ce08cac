import type { ApiDeps } from '../deps.js';
import { collectionRoutes } from '../http/collection-routes.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
import {
  createRelationshipBody,
  listRelationshipsQuery,
  relationshipPage,
  relationshipParams,
  relationshipSchema,
} from './relationship.schema.js';
import {
  createRelationship,
  deleteRelationship,
  getRelationship,
  listRelationships,
} from './relationship.service.js';

export function relationshipRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const tag = 'relationships';
  const base = '/investigations/:id/relationships';

  routes.add({
    method: 'post',
    path: base,
    operationId: 'createRelationship',
    summary: 'Link two objects of the investigation with a typed edge (editors).',
    tag,
    auth: 'user',
    request: { params: idParams, body: createRelationshipBody },
    responses: {
      201: { description: 'Created.', schema: relationshipSchema },
      409: { description: 'The same edge (source, target, type) already exists.' },
    },
    handler: async ({ params, body, actor }, _req, res) => {
      res.status(201).json(await createRelationship(deps.db, actor, params.id, body));
    },
  });

  collectionRoutes(routes, deps, {
    tag,
    base,
    key: 'relationshipId',
    params: relationshipParams,
    noun: 'relationship',
    schema: relationshipSchema,
    list: {
      operationId: 'listRelationships',
      summary: 'Relationships in the investigation; filter by type or by an object they touch.',
      query: listRelationshipsQuery,
      page: relationshipPage,
      run: listRelationships,
    },
    get: { operationId: 'getRelationship', summary: 'One relationship.', run: getRelationship },
    remove: {
      operationId: 'deleteRelationship',
      summary: 'Delete a relationship (editors).',
      run: deleteRelationship,
    },
  });
}
