import { OpenAPIRegistry, type RouteConfig, type ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import type { Actor } from '@osint/writes';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AuthInfo, AuthUser } from '../auth/authenticate.js';
import { ForbiddenError, UnauthorizedError } from '../shared/errors.js';
import { type RequestSchemas, type Validated, validate } from './validate.js';

/** Who may call a route at all; finer checks (membership, role) happen in the services. */
export type AuthLevel = 'public' | 'user' | 'admin';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * The signed-in caller, handed to the handler of every route whose auth level is not `public`: the route
 * layer has already answered 401 (and 403 for `admin` routes) when there is none, so handlers never
 * assert `req.auth` themselves.
 */
export interface Caller {
  user: AuthUser;
  /** The caller under this request, for the audit trail of whatever the handler changes. */
  actor: Actor;
  /** How the caller authenticated (session or token), for the few handlers that care. */
  auth: AuthInfo;
}

/** What a handler receives: the validated request parts, and the caller on authenticated routes. */
export type HandlerInput<S extends RequestSchemas, A extends AuthLevel> = Validated<S> &
  (A extends 'public' ? unknown : Caller);

interface ResponseDef {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

export interface RouteDef<S extends RequestSchemas, A extends AuthLevel = AuthLevel> {
  method: Method;
  /** Express path relative to /api/v1, e.g. `/investigations/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  auth: A;
  request?: S;
  /** Documents a body the handler parses itself (multipart uploads); not validated by the helper. */
  documentedBody?: ZodRequestBody;
  responses: Record<number, ResponseDef>;
  /**
   * A non-GET route under `/investigations/:id` counts as a write to that investigation (its search
   * version is bumped as the response starts) unless it declares here that it changes nothing searchable
   * (a look-up sent as POST, an export request).
   */
  changesNothingSearchable?: boolean;
  handler: (input: HandlerInput<S, A>, req: Request, res: Response) => Promise<void> | void;
}

/** The RFC 9457 body every error response carries. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().meta({ description: 'Stable machine-readable error code.' }),
    requestId: z.string(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Every invalid field (validation_failed only).' }),
  })
  .meta({ id: 'Problem' });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names every bad field.',
  401: 'Not signed in (no or invalid session cookie or bearer token).',
  403: 'Signed in but the role does not allow this, or the CSRF check failed.',
  404: 'Does not exist, or you are not a member of the investigation it belongs to.',
  409: 'Conflicts with existing data.',
  413: 'Body larger than the server accepts.',
  429: 'Too many attempts; see Retry-After.',
  503: 'A dependency is unavailable; see Retry-After.',
};

const INVESTIGATION_PATH = /^\/investigations\/:id(\/|$)/;

/**
 * Calls `fn` with the status code just before the response's headers are written (what the `on-headers`
 * package does): the last moment code can act before the client learns the outcome.
 */
function onResponseStart(res: Response, fn: (status: number) => void): void {
  const original = res.writeHead;
  // biome-ignore lint/suspicious/noExplicitAny: writeHead has several overloads; arguments pass through.
  res.writeHead = function (this: Response, ...args: any[]) {
    res.writeHead = original;
    try {
      fn(typeof args[0] === 'number' ? args[0] : res.statusCode);
    } catch {
      // The hook is advisory (cache invalidation); never break the response.
    }
    return original.apply(this, args as Parameters<typeof original>);
  } as typeof original;
}

/**
 * The caller a route of auth level `level` runs for: none for public routes; otherwise 401 without
 * authentication, and 403 on an `admin` route for anyone but an administrator.
 */
function callerOf(req: Request, level: AuthLevel): Caller | null {
  if (level === 'public') return null;
  const auth = req.auth;
  if (!auth) throw new UnauthorizedError();
  if (level === 'admin' && auth.user.role !== 'admin')
    throw new ForbiddenError('Only administrators may do this.');
  return { user: auth.user, actor: { userId: auth.user.id, requestId: req.id }, auth };
}

/** Express `:param` to OpenAPI `{param}`. */
export function openApiPath(expressPath: string): string {
  return `/api/v1${expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

/**
 * One place where a route is both mounted and documented, so the OpenAPI document cannot miss a route:
 * `add` registers the zod schemas with the OpenAPI registry, checks the caller's auth level, validates
 * params, query and body together, then runs the thin handler.
 */
export class ApiRoutes {
  readonly router = Router();
  readonly registry = new OpenAPIRegistry();
  readonly operations: Array<{ method: Method; path: string; operationId: string }> = [];

  /**
   * `onInvestigationWrite` runs when a successful write to an investigation starts its response: after the
   * service's transaction committed (services commit before returning) and before the client can see the
   * answer, so a search the client sends next already misses the stale cache entry.
   */
  constructor(private readonly hooks: { onInvestigationWrite?: (investigationId: string) => void } = {}) {
    this.registry.registerComponent('securitySchemes', 'cookieAuth', {
      type: 'apiKey',
      in: 'cookie',
      name: 'osint_session',
      description: 'Session cookie from POST /auth/login. Writes also need a same-origin request (CSRF).',
    });
    this.registry.registerComponent('securitySchemes', 'bearerAuth', {
      type: 'http',
      scheme: 'bearer',
      description: 'Personal API token (`osint_pat_…`) from POST /auth/tokens.',
    });
  }

  add<S extends RequestSchemas, A extends AuthLevel>(def: RouteDef<S, A>): void {
    this.document(def);
    const parse = validate(def.request ?? ({} as S));
    this.router[def.method](def.path, async (req: Request, res: Response) => {
      const caller = callerOf(req, def.auth);
      const input = { ...parse(req), ...caller } as HandlerInput<S, A>;
      const hook = this.hooks.onInvestigationWrite;
      if (
        hook &&
        def.method !== 'get' &&
        !def.changesNothingSearchable &&
        INVESTIGATION_PATH.test(def.path)
      ) {
        const investigationId = (input.params as { id?: string } | undefined)?.id;
        if (investigationId) onResponseStart(res, (status) => status < 400 && hook(investigationId));
      }
      await def.handler(input, req, res);
    });
  }

  private document<S extends RequestSchemas, A extends AuthLevel>(def: RouteDef<S, A>): void {
    const path = openApiPath(def.path);
    this.operations.push({ method: def.method, path, operationId: def.operationId });
    const request: NonNullable<RouteConfig['request']> = {};
    if (def.request?.params) request.params = def.request.params as z.ZodObject;
    if (def.request?.query) request.query = def.request.query as z.ZodObject;
    if (def.request?.body) {
      request.body = { required: true, content: { 'application/json': { schema: def.request.body } } };
    }
    if (def.documentedBody) request.body = def.documentedBody;
    const responses: RouteConfig['responses'] = {};
    for (const [status, response] of Object.entries(def.responses)) {
      const isError = Number(status) >= 400;
      const schema = response.schema ?? (isError ? problemSchema : undefined);
      const contentType = response.contentType ?? (isError ? 'application/problem+json' : 'application/json');
      responses[status] = schema
        ? { description: response.description, content: { [contentType]: { schema } } }
        : { description: response.description };
    }
    const errorStatuses = [400, ...(def.auth === 'public' ? [] : [401, 403])];
    if (def.path.includes(':')) errorStatuses.push(404);
    for (const status of errorStatuses) {
      responses[String(status)] ??= {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error.',
        content: { 'application/problem+json': { schema: problemSchema } },
      };
    }
    this.registry.registerPath({
      method: def.method,
      path,
      operationId: def.operationId,
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      tags: [def.tag],
      security: def.auth === 'public' ? [] : [{ cookieAuth: [] }, { bearerAuth: [] }],
      request,
      responses,
    });
  }
}

/** Error response helper for route definitions: `{ 409: problem('Duplicate document.') }`. */
export function problem(description: string): ResponseDef {
  return { description, schema: problemSchema, contentType: 'application/problem+json' };
}
