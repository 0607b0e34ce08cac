import type { ApiDeps } from '../deps.js';
import { collectionRoutes } from '../http/collection-routes.js';
import type { ApiRoutes } from '../http/route.js';
import {
  createEntityBody,
  entityPage,
  entityParams,
  entitySchema,
  listEntitiesQuery,
  updateEntityBody,
} from './entity.schema.js';
import { createEntity, deleteEntity, getEntity, listEntities, updateEntity } from './entity.service.js';

export function entityRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  collectionRoutes(routes, deps, {
    tag: 'entities',
    key: 'entityId',
    params: entityParams,
    noun: 'entity',
    schema: entitySchema,
    create: {
      operationId: 'createEntity',
      summary: 'Create a person, organisation or other entity (editors).',
      body: createEntityBody,
      located: true,
      run: createEntity,
    },
    list: {
      operationId: 'listEntities',
      summary: 'Entities in the investigation, newest first; filter by kind.',
      query: listEntitiesQuery,
      page: entityPage,
      run: listEntities,
    },
    get: { operationId: 'getEntity', summary: 'One entity.', run: getEntity },
    update: {
      operationId: 'updateEntity',
      summary: 'Change kind, label or properties (editors).',
      body: updateEntityBody,
      run: updateEntity,
    },
    remove: {
      operationId: 'deleteEntity',
      summary: 'Delete an entity and the relationships that point at it (editors).',
      run: deleteEntity,
    },
  });
}
