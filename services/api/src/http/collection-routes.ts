import type { Database } from '@osint/db';
import type { Actor } from '@osint/writes';
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import type { ApiRoutes, RouteDef } from './route.js';
import { idParams, type RequestSchemas } from './validate.js';

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
}

/**
 * The routes of one kind of object inside an investigation: `/investigations/:id/<tag>` and
 * `/investigations/:id/<tag>/:<key>`. Every such route has the same request, response and handler shape;
 * the spec names only what differs: the operation, the schemas and the service function, which is called
 * with the caller, the path's ids in path order and the validated query or body.
 */
export interface CollectionSpec<
  K extends string,
  Q extends z.ZodType,
  B extends z.ZodType,
  C extends z.ZodType,
> {
  /** The OpenAPI tag, also the collection's last path segment (`entities`). */
  tag: string;
  /** The path parameter naming one object, e.g. `entityId`, and the params schema with it. */
  key: K;
  params: z.ZodObject;
  /** One object, as in "The entity." */
  noun: string;
  /** The object's response schema (create, get and update). */
  schema: z.ZodType;
  /** Left out when creating needs more than a JSON body (uploads) or answers otherwise. */
  create?: Operation & {
    body: C;
    /** What a 409 answer means, when creating can conflict. */
    conflict?: string;
    /** Whether the 201 answer names the new object in a Location header. */
    located?: boolean;
    run: (db: Database, actor: Actor, investigationId: string, body: z.output<C>) => Promise<{ id: string }>;
  };
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

/** Mounts and documents create, list, get, update and delete (those the spec has), in that order. */
export function collectionRoutes<
  K extends string,
  Q extends z.ZodType,
  B extends z.ZodType,
  C extends z.ZodType,
>(routes: ApiRoutes, deps: ApiDeps, spec: CollectionSpec<K, Q, B, C>): void {
  const { tag, key, params, schema, create, list, get, update, remove } = spec;
  const base = `/investigations/:id/${tag}`;
  const item = `${base}/:${key}`;
  /** The investigation's and the object's id from the validated path. */
  const ids = (validated: unknown) => {
    const p = validated as Record<'id' | K, string>;
    return [p.id, p[key]] as const;
  };
  const route = <S extends RequestSchemas>(
    { operationId, summary, description }: Operation,
    method: RouteDef<S, 'user'>['method'],
    path: string,
    request: S,
    responses: RouteDef<S, 'user'>['responses'],
    handler: RouteDef<S, 'user'>['handler'],
  ) =>
    routes.add({
      method,
      path,
      operationId,
      summary,
      ...(description ? { description } : {}),
      tag,
      auth: 'user',
      request,
      responses,
      handler,
    });

  if (create) {
    const conflict: Record<number, { description: string }> = create.conflict
      ? { 409: { description: create.conflict } }
      : {};
    route(
      create,
      'post',
      base,
      { params: idParams, body: create.body },
      { 201: { description: 'Created.', schema }, ...conflict },
      async ({ params, body, actor }, _req, res) => {
        const created = await create.run(deps.db, actor, params.id, body as z.output<C>);
        if (create.located) res.location(`/api/v1/investigations/${params.id}/${tag}/${created.id}`);
        res.status(201).json(created);
      },
    );
  }
  route(
    list,
    'get',
    base,
    { params: idParams, query: list.query },
    { 200: { description: `A page of ${tag}.`, schema: list.page } },
    async ({ params, query, user }, _req, res) => {
      res.json(await list.run(deps, user.id, params.id, query as z.output<Q>));
    },
  );
  route(
    get,
    'get',
    item,
    { params },
    { 200: { description: `The ${spec.noun}.`, schema } },
    async ({ params, user }, _req, res) => {
      res.json(await get.run(deps.db, user.id, ...ids(params)));
    },
  );
  if (update) {
    route(
      update,
      'patch',
      item,
      { params, body: update.body },
      { 200: { description: 'Updated.', schema } },
      async ({ params, body, actor }, _req, res) => {
        res.json(await update.run(deps.db, actor, ...ids(params), body as z.output<B>));
      },
    );
  }
  route(
    remove,
    'delete',
    item,
    { params },
    { 204: { description: remove.done ?? 'Deleted.' } },
    async ({ params, actor }, _req, res) => {
      await remove.run(deps.db, actor, ...ids(params));
      res.status(204).end();
    },
  );
}
