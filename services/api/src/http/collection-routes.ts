import type { Database } from '@osint/db';
import type { Actor } from '@osint/writes';
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import type { ApiRoutes } from './route.js';
import { idParams } from './validate.js';

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
}

/**
 * The read, change and delete routes of one kind of object inside an investigation
 * (`/investigations/:id/<things>` and `/investigations/:id/<things>/:<key>`). Every such route has the same
 * request, response and handler shape; the spec names only what differs: the operation, the schemas and the
 * service function, which is called with the caller and the path's ids in path order.
 */
export interface CollectionSpec<K extends string, Q extends z.ZodType, B extends z.ZodType> {
  tag: string;
  /** The collection's path, e.g. `/investigations/:id/entities`. */
  base: string;
  /** The path parameter naming one object, e.g. `entityId`, and the params schema with it. */
  key: K;
  params: z.ZodObject;
  /** One object, as in "The entity." */
  noun: string;
  /** The object's response schema (get and update). */
  schema: z.ZodType;
  list: Operation & {
    query: Q;
    page: z.ZodType;
    run: (deps: ApiDeps, userId: string, investigationId: string, query: z.output<Q>) => Promise<unknown>;
  };
  get: Operation & {
    run: (db: Database, userId: string, investigationId: string, objectId: string) => Promise<unknown>;
  };
  update?: Operation & {
    body: B;
    run: (
      db: Database,
      actor: Actor,
      investigationId: string,
      objectId: string,
      body: z.output<B>,
    ) => Promise<unknown>;
  };
  remove: Operation & {
    /** The 204 answer's description; "Deleted." unless given. */
    done?: string;
    run: (db: Database, actor: Actor, investigationId: string, objectId: string) => Promise<unknown>;
  };
}

function described({ operationId, summary, description }: Operation): Operation {
  return { operationId, summary, ...(description ? { description } : {}) };
}

/** Mounts and documents list, get, (update) and delete of a collection, in that order. */
export function collectionRoutes<K extends string, Q extends z.ZodType, B extends z.ZodType>(
  routes: ApiRoutes,
  deps: ApiDeps,
  spec: CollectionSpec<K, Q, B>,
): void {
  const { tag, base, key, params } = spec;
  const item = `${base}/:${key}`;
  /** The investigation's and the object's id from the validated path. */
  const ids = (validated: unknown) => {
    const p = validated as Record<'id' | K, string>;
    return [p.id, p[key]] as const;
  };
  const { list, get, update, remove } = spec;

  routes.add({
    ...described(list),
    method: 'get',
    path: base,
    tag,
    auth: 'user',
    request: { params: idParams, query: list.query },
    responses: { 200: { description: `A page of ${tag}.`, schema: list.page } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await list.run(deps, user.id, params.id, query as z.output<Q>));
    },
  });

  routes.add({
    ...described(get),
    method: 'get',
    path: item,
    tag,
    auth: 'user',
    request: { params },
    responses: { 200: { description: `The ${spec.noun}.`, schema: spec.schema } },
    handler: async ({ params, user }, _req, res) => {
      res.json(await get.run(deps.db, user.id, ...ids(params)));
    },
  });

  if (update) {
    routes.add({
      ...described(update),
      method: 'patch',
      path: item,
      tag,
      auth: 'user',
      request: { params, body: update.body },
      responses: { 200: { description: 'Updated.', schema: spec.schema } },
      handler: async ({ params, body, actor }, _req, res) => {
        res.json(await update.run(deps.db, actor, ...ids(params), body as z.output<B>));
      },
    });
  }

  routes.add({
    ...described(remove),
    method: 'delete',
    path: item,
    tag,
    auth: 'user',
    request: { params },
    responses: { 204: { description: remove.done ?? 'Deleted.' } },
    handler: async ({ params, actor }, _req, res) => {
      await remove.run(deps.db, actor, ...ids(params));
      res.status(204).end();
    },
  });
}
