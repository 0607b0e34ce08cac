import type { paths } from './schema';
import type { Problem } from './types';

/** Every API path is under this prefix; the dev server and nginx proxy it to the API (same origin). */
export const API_BASE = '/api/v1';

/**
 * An API answer that was not 2xx, carrying the RFC 9457 problem when the API sent one. `plain` is the
 * sentence the UI shows next to whatever failed.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem | null;
  readonly retryAfterSeconds: number | null;
  readonly method: string;
  readonly path: string;

  constructor(init: {
    status: number;
    problem: Problem | null;
    retryAfter: string | null;
    method: string;
    path: string;
  }) {
    const code = init.problem?.code ?? (init.status === 0 ? 'network_error' : `http_${init.status}`);
    super(init.problem?.detail ?? `${init.method} ${init.path} answered ${init.status}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = code;
    this.problem = init.problem;
    this.method = init.method;
    this.path = init.path;
    const retry = init.retryAfter ? Number(init.retryAfter) : Number.NaN;
    this.retryAfterSeconds = Number.isFinite(retry) ? retry : null;
  }

  /** True when the API has no such route at all: the feature is not deployed on this server yet. */
  get missingRoute(): boolean {
    return this.code === 'route_not_found' || (this.status === 404 && this.problem === null);
  }
}

function inWords(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} seconds`;
  return `${Math.round(seconds / 60)} minutes`;
}

/** Turns any error into one sentence a researcher can act on (no stack traces, no JSON). */
export function plainMessage(error: unknown, overrides?: Partial<Record<string, string>>): string {
  if (error instanceof ApiError && overrides?.[error.code]) return overrides[error.code] as string;
  if (!(error instanceof ApiError)) {
    if (error instanceof Error && error.name === 'AbortError') return 'The request was cancelled.';
    return error instanceof Error ? error.message : 'Something went wrong.';
  }
  const p = error.problem;
  const wait = error.retryAfterSeconds !== null ? ` Try again in ${inWords(error.retryAfterSeconds)}.` : '';
  switch (error.code) {
    case 'network_error':
      return 'The platform cannot be reached. Check your connection, or whether the API is running.';
    case 'invalid_credentials':
      return 'That email and password do not match an account.';
    case 'too_many_attempts':
      return `Too many failed sign-ins for this account or address.${wait || ' Try again later.'}`;
    case 'unauthenticated':
    case 'invalid_token':
      return 'Your session has ended. Sign in again.';
    case 'forbidden':
      return 'Your role does not allow this. Ask an owner of the investigation for editor access.';
    case 'csrf_rejected':
      return 'The API refused the request because it did not come from this site. Reload the page and try again.';
    case 'not_found':
      return 'Not found: it was deleted, or you are not a member of this investigation.';
    case 'route_not_found':
      return `This server's API does not offer this yet (${error.method} ${error.path} is not a route).`;
    case 'validation_failed': {
      const fields = (p?.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ');
      return fields ? `Please check: ${fields}.` : 'Some fields are not valid.';
    }
    case 'invalid_cursor':
      return 'The list changed its filters while paging; reload the list.';
    case 'invalid_selector':
      return `That value is not a valid selector${p?.detail ? `: ${p.detail}` : '.'}`;
    case 'duplicate_document':
      return 'This exact file or text is already in the investigation.';
    case 'last_owner':
      return 'An investigation needs at least one owner: make someone else owner first.';
    case 'document_too_large':
    case 'body_too_large':
      return 'This is larger than the upload limit.';
    case 'unsupported_media_type':
    case 'unsupported_encoding':
      return 'Only text, HTML and PDF files can be ingested.';
    case 'service_unavailable':
      return `The platform is busy or its job queue is down; nothing was saved.${wait}`;
    case 'conflict':
      return p?.detail ?? 'Someone else changed this at the same time; reload and try again.';
    default:
      if (error.status >= 500)
        return 'The API failed unexpectedly. Try again; if it persists, tell an admin.';
      return p?.detail ?? error.message;
  }
}

/** What a call may send besides its path parameters. */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  json?: unknown;
  form?: FormData;
  /** A body sent as is (e.g. a JSON file's text), with its media type. */
  raw?: { body: BodyInit; type: string };
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * fetch() against the API. Same-origin with the cookie session: the browser adds `Origin` and
 * `Sec-Fetch-Site: same-origin` to writes, which is what the API's CSRF check wants.
 */
async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const url = withQuery(`${API_BASE}${path}`, options.query);
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.raw) {
    headers['content-type'] = options.raw.type;
    body = options.raw.body;
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, problem: null, retryAfter: null, method, path });
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const problem = data && typeof data === 'object' && 'code' in data ? (data as Problem) : null;
    throw new ApiError({
      status: res.status,
      problem,
      retryAfter: res.headers.get('retry-after'),
      method,
      path: path.split('?')[0] ?? path,
    });
  }
  return data as T;
}

// ---- Types of the calls, read from the generated OpenAPI paths (schema.d.ts) ----

type Method = 'get' | 'post' | 'patch' | 'delete';
/** The generated paths without their `/api/v1` prefix (API_BASE adds it). */
type Routes = { [K in keyof paths as K extends `${typeof API_BASE}${infer P}` ? P : never]: paths[K] };
/** Every path template that answers `M`, e.g. `'/investigations/{id}'` for `'get'`. */
export type ApiPath<M extends Method> = {
  [P in keyof Routes]: [NonNullable<Routes[P][M]>] extends [never] ? never : P;
}[keyof Routes];
type Operation<M extends Method, P extends ApiPath<M>> = NonNullable<Routes[P][M]>;
type SuccessStatus = 200 | 201 | 202 | 204;
/** The JSON body of the operation's success answer (`undefined` for 204 No Content). */
export type ApiAnswer<O> = O extends { responses: infer R }
  ? {
      [S in keyof R & SuccessStatus]: R[S] extends { content: { 'application/json': infer B } }
        ? B
        : undefined;
    }[keyof R & SuccessStatus]
  : never;
type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryParams<O> = O extends { parameters: { query?: infer X } } ? NonNullable<X> : never;
/** The query parameters of `M path`, e.g. to type a filter object passed down to a query. */
export type ApiQuery<M extends Method, P extends ApiPath<M>> = QueryParams<Operation<M, P>>;
type JsonBody<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type CallOptions<O> = {
  signal?: AbortSignal;
  form?: FormData;
  raw?: { body: BodyInit; type: string };
} & ([PathParams<O>] extends [never] ? { path?: undefined } : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never] ? { query?: undefined } : { query?: QueryParams<O> }) &
  ([JsonBody<O>] extends [never] ? { json?: undefined } : { json?: JsonBody<O> });
type CallArgs<O> = [PathParams<O>] extends [never] ? [options?: CallOptions<O>] : [options: CallOptions<O>];

/** `'/investigations/{id}'` with `{ id }` → `'/investigations/…'`, each value URL-encoded. */
export function fillPath(template: string, params?: object): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => {
    const value = (params as Record<string, unknown> | undefined)?.[name];
    if (value === undefined || value === null) throw new Error(`${template}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
}

function typedCall<M extends Method>(method: M) {
  return <P extends ApiPath<M>>(
    path: P,
    ...[options]: CallArgs<Operation<M, P>>
  ): Promise<ApiAnswer<Operation<M, P>>> => {
    const { path: params, ...rest } = (options ?? {}) as RequestOptions & { path?: object };
    return request(method.toUpperCase(), fillPath(path, params), rest);
  };
}

/**
 * The web's one way to call the API: `api.get('/investigations/{id}', { path: { id } })`. Paths, path
 * and query parameters, JSON bodies and answers are typed by `schema.d.ts`, generated from the API's
 * OpenAPI document (`npm run api:types`), so a route the API does not serve does not compile.
 */
export const api = {
  get: typedCall('get'),
  post: typedCall('post'),
  patch: typedCall('patch'),
  delete: typedCall('delete'),
};

/** URLs the browser opens itself (downloads, Server-Sent Events streams), built from the same paths. */
export function apiUrl<P extends ApiPath<'get'>>(path: P, params: PathParams<Operation<'get', P>>): string {
  return `${API_BASE}${fillPath(path, params as object)}`;
}

/** The API's message for one field of a `validation_failed` answer, to show under that field. */
export function fieldError(error: unknown, field: string): string | null {
  if (!(error instanceof ApiError)) return null;
  return (
    error.problem?.errors?.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message ?? null
  );
}
