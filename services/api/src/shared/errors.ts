/**
 * Errors with a stable machine-readable `code` and an HTTP status (house style 6). Routes and services
 * throw them; the problem middleware renders RFC 9457 problem+json.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldError[],
    message = 'The request has invalid fields.',
  ) {
    // At most 50 entries: a body with thousands of bad fields gets a bounded answer.
    super(400, 'validation_failed', message, { errors: errors.slice(0, 50) });
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'resource') {
    super(404, 'not_found', `The ${what} does not exist or you cannot see it.`);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in first.') {
    super(401, 'unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super(403, 'forbidden', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

/** A dependency (Redis, PostgreSQL) is unavailable; clients should retry after `retryAfterSeconds`. */
export class ServiceUnavailableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(503, 'service_unavailable', message);
  }
}

/** PostgreSQL cannot be reached (refused, reset, or no connection within DB_CONNECT_TIMEOUT_MS). */
export class DatabaseUnavailableError extends AppError {
  readonly retryAfterSeconds = 5;
  constructor() {
    super(503, 'database_unavailable', 'The database is unavailable; retry shortly.');
  }
}
