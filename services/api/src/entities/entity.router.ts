import type { ApiDeps } from '../deps.js';
import { collectionRoutes } from '../http/collection-routes.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
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
  const tag = 'entities';
  const base = '/investigations/:id/entities';

  routes.add({
    method: 'post',
    path: base,
    operationId: 'createEntity',
    summary: 'Create a person, organisation or other entity (editors).',
    tag,
    auth: 'user',
    request: { params: idParams, body: createEntityBody },
    responses: { 201: { description: 'Created.', schema: entitySchema } },
    handler: async ({ params, body, actor }, _req, res) => {
      const created = await createEntity(deps.db, actor, params.id, body);
      res
        .status(201)
        .location(`/api/v1${base.replace(':id', params.id)}/${created.id}`)
        .json(created);
    },
  });

  collectionRoutes(routes, deps, {
    tag,
    base,
    key: 'entityId',
    params: entityParams,
    noun: 'entity',
    schema: entitySchema,
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
