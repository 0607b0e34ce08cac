import type { ApiDeps } from '../deps.js';
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

  routes.add({
    method: 'get',
    path: base,
    operationId: 'listEntities',
    summary: 'Entities in the investigation, newest first; filter by kind.',
    tag,
    auth: 'user',
    request: { params: idParams, query: listEntitiesQuery },
    responses: { 200: { description: 'A page of entities.', schema: entityPage } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await listEntities(deps, user.id, params.id, query));
    },
  });

  routes.add({
    method: 'get',
    path: `${base}/:entityId`,
    operationId: 'getEntity',
    summary: 'One entity.',
    tag,
    auth: 'user',
    request: { params: entityParams },
    responses: { 200: { description: 'The entity.', schema: entitySchema } },
    handler: async ({ params, user }, _req, res) => {
      res.json(await getEntity(deps.db, user.id, params.id, params.entityId));
    },
  });

  routes.add({
    method: 'patch',
    path: `${base}/:entityId`,
    operationId: 'updateEntity',
    summary: 'Change kind, label or properties (editors).',
    tag,
    auth: 'user',
    request: { params: entityParams, body: updateEntityBody },
    responses: { 200: { description: 'Updated.', schema: entitySchema } },
    handler: async ({ params, body, actor }, _req, res) => {
      res.json(await updateEntity(deps.db, actor, params.id, params.entityId, body));
    },
  });

  routes.add({
    method: 'delete',
    path: `${base}/:entityId`,
    operationId: 'deleteEntity',
    summary: 'Delete an entity and the relationships that point at it (editors).',
    tag,
    auth: 'user',
    request: { params: entityParams },
    responses: { 204: { description: 'Deleted.' } },
    handler: async ({ params, actor }, _req, res) => {
      await deleteEntity(deps.db, actor, params.id, params.entityId);
      res.status(204).end();
    },
  });
}
