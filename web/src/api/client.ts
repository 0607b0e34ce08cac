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

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
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
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
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

/** The API's message for one field of a `validation_failed` answer, to show under that field. */
export function fieldError(error: unknown, field: string): string | null {
  if (!(error instanceof ApiError)) return null;
  return (
    error.problem?.errors?.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message ?? null
  );
}
