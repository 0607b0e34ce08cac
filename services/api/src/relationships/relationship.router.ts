import type { ApiDeps } from '../deps.js';
import { collectionRoutes } from '../http/collection-routes.js';
import type { ApiRoutes } from '../http/route.js';
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
  collectionRoutes(routes, deps, {
    tag: 'relationships',
    key: 'relationshipId',
    params: relationshipParams,
    noun: 'relationship',
    schema: relationshipSchema,
    create: {
      operationId: 'createRelationship',
      summary: 'Link two objects of the investigation with a typed edge (editors).',
      body: createRelationshipBody,
      conflict: 'The same edge (source, target, type) already exists.',
      run: createRelationship,
    },
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
