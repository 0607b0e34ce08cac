import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from './errors.js';

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

/** Unknown routes answer problem+json 404 rather than Express's HTML page. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'route_not_found', `No route for ${req.method} ${req.path}.`));
};

/**
 * The one error renderer (house style 6): AppErrors become problem+json with their code; anything else is
 * logged with the request id and rendered as a 500 that reveals no internals.
 */
export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const known = error instanceof AppError ? error : fromBodyParser(error as BodyParserError);
  const appError = known ?? new AppError(500, 'internal_error', 'Something went wrong on our side.');
  if (!known) req.log?.error({ err: error }, 'unhandled error');
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
      instance: req.originalUrl,
      code: appError.code,
      requestId: req.id,
      ...appError.extra,
    });
};
