import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { traceLogFields } from './telemetry/trace-context.js';

export type { Logger } from 'pino';

/**
 * Paths that may carry secrets in anything we log (request headers, config objects, job data): pino
 * replaces them with "[redacted]" before serialisation, so a debug log can never leak a credential.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.secret',
  '*.SESSION_SECRET',
  '*.DATABASE_URL',
  '*.REDIS_URL',
];

/**
 * One JSON logger per process; `service` names the process in every line (api, worker, migrate…), and
 * every line logged inside a traced request or job carries `traceId` and `spanId`
 * (docs/operations.md#traces-and-logs). `destination` defaults to stdout (tests pass a capture).
 */
export function createLogger(
  service: string,
  level: LoggerOptions['level'] = 'info',
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceLogFields,
  };
  return destination ? pino(options, destination) : pino(options);
}
