import { type Logger, type LoggerOptions, pino } from 'pino';

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

/** One JSON logger per process; `service` names the process in every line (api, worker, migrate…). */
export function createLogger(service: string, level: LoggerOptions['level'] = 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
