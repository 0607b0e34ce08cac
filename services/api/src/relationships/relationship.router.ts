import type { ApiDeps } from '../deps.js';
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

  routes.add({
    method: 'get',
    path: base,
    operationId: 'listRelationships',
    summary: 'Relationships in the investigation; filter by type or by an object they touch.',
    tag,
    auth: 'user',
    request: { params: idParams, query: listRelationshipsQuery },
    responses: { 200: { description: 'A page of relationships.', schema: relationshipPage } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await listRelationships(deps, user.id, params.id, query));
    },
  });

  routes.add({
    method: 'get',
    path: `${base}/:relationshipId`,
    operationId: 'getRelationship',
    summary: 'One relationship.',
    tag,
    auth: 'user',
    request: { params: relationshipParams },
    responses: { 200: { description: 'The relationship.', schema: relationshipSchema } },
    handler: async ({ params, user }, _req, res) => {
      res.json(await getRelationship(deps.db, user.id, params.id, params.relationshipId));
    },
  });

  routes.add({
    method: 'delete',
    path: `${base}/:relationshipId`,
    operationId: 'deleteRelationship',
    summary: 'Delete a relationship (editors).',
    tag,
    auth: 'user',
    request: { params: relationshipParams },
    responses: { 204: { description: 'Deleted.' } },
    handler: async ({ params, actor }, _req, res) => {
      await deleteRelationship(deps.db, actor, params.id, params.relationshipId);
      res.status(204).end();
    },
  });
}
