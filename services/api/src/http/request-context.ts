import { randomUUID } from 'node:crypto';
import type { Logger } from '@osint/core';
import type { RequestHandler } from 'express';

declare global {
  namespace Express {
    interface Request {
      /** Request id: the caller's X-Request-Id when well-formed, else a new UUID; echoed in the response. */
      id: string;
      log: Logger;
    }
  }
}

/** Incoming ids are trusted only if short and plain, so they cannot inject into logs. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Assigns the request id, a child logger carrying it, and one access-log line per finished request. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.set('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      };
      if (res.statusCode >= 500) req.log.error(line, 'request failed');
      else if (req.path === '/healthz' || req.path === '/readyz' || req.path === '/metrics')
        req.log.debug(line, 'request');
      else req.log.info(line, 'request');
    });
    next();
  };
}
