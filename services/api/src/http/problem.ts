import { sqlState } from '@osint/writes';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, DatabaseUnavailableError, ServiceUnavailableError } from '../shared/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Maps body-parser's own errors (bad JSON, too large, bad charset) to stable codes. */
function fromBodyParser(err: BodyParserError): AppError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError(413, 'body_too_large', 'The request body is larger than the server accepts.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_encoding', 'The request body encoding is not supported.');
    case 'request.aborted':
      return new AppError(400, 'request_aborted', 'The request was aborted by the client.');
    default:
      if (err.expose && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        return new AppError(err.status, 'bad_request', 'The request could not be read.');
      }
      return null;
  }
}

/**
 * Codes of a connection that could not be opened or was lost: Node's socket errors and postgres.js's own
 * (`CONNECT_TIMEOUT`, `CONNECTION_CLOSED`, … in postgres/src/errors.js).
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * Whether the error (or one it wraps) says PostgreSQL is unreachable: a connection error, SQLSTATE class 08
 * (connection exception) or 57P01–57P03 (the server is shutting down or starting).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state && (state.startsWith('08') || ['57P01', '57P02', '57P03'].includes(state))) return true;
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Safety net for database errors a service did not translate itself: input the database refused is the
 * client's problem (4xx), contention and timeouts are temporary (503), anything else stays a 500. Services
 * should still map the cases they expect (e.g. a duplicate) to specific codes.
 */
function fromDatabase(error: unknown): AppError | null {
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError();
  switch (sqlState(error)) {
    case '23505':
      return new AppError(409, 'conflict', 'This conflicts with data that already exists.');
    case '23503':
      return new AppError(
        409,
        'reference_conflict',
        'A referenced object does not exist or is still in use.',
      );
    case '23514':
    case '23502':
    case '22001':
    case '22P02':
    case '22P05':
    case '22021':
    case '22003':
    case '22007':
    case '22008':
    case '54000':
      return new AppError(400, 'invalid_value', 'A value was refused by the database constraints.');
    case '40001':
    case '40P01':
    case '55P03':
      return new ServiceUnavailableError('The request conflicted with a concurrent change; retry it.', 1);
    case '57014':
      return new ServiceUnavailableError('The request took too long; narrow it down or retry.', 5);
    default:
      return null;
  }
}

/** Unknown routes answer problem+json 404 rather than Express's HTML page. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'route_not_found', `No route for ${req.method} ${req.path}.`));
};

/**
 * The one error renderer (house style 6): AppErrors become problem+json with their code; anything else is
 * logged with the request id and rendered as a 500 that reveals no internals.
 */
export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const known =
    error instanceof AppError ? error : (fromDatabase(error) ?? fromBodyParser(error as BodyParserError));
  const appError = known ?? new AppError(500, 'internal_error', 'Something went wrong on our side.');
  if (!known) req.log?.error({ err: error }, 'unhandled error');
  else if (!(error instanceof AppError) && appError.status >= 500) {
    req.log?.warn({ err: error }, 'database error mapped to a temporary failure');
  }
  const retryAfter = (appError as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number') {
    res.set('Retry-After', String(retryAfter));
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  res
    .status(appError.status)
    .type(PROBLEM_CONTENT_TYPE)
    .json({
      type: `https://osint-platform.dev/problems/${appError.code.replaceAll('_', '-')}`,
      title: TITLES[appError.status] ?? 'Error',
      status: appError.status,
      detail: appError.message,
      // Bounded: a hostile URL must not make every error body huge.
      instance: req.originalUrl.slice(0, 1000),
      code: appError.code,
      requestId: req.id,
      ...appError.extra,
    });
};
