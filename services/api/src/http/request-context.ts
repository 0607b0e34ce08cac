import { randomUUID } from 'node:crypto';
import type { Logger } from '@osint/core';
import {
  ACCEPTABLE_REQUEST_ID,
  currentTrace,
  runWithRequestId,
  runWithTrace,
  traceMiddleware,
} from '@osint/core/telemetry/index';
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

/**
 * First middleware: the request's trace (W3C `traceparent` continued or started, answered in the
 * `traceparent` header), its id (`X-Request-Id`), a child logger carrying the id, and one access-log line
 * per finished request. The rest of the request runs inside the trace, with the request id recorded on
 * it, so every log line has `traceId`/`spanId` (the logger's mixin) and every job enqueued from here
 * carries both (core's traceQueue). docs/operations.md#traces-and-logs.
 */
export function requestContext(logger: Logger): RequestHandler {
  const withTrace = traceMiddleware();
  return (req, res, next) =>
    withTrace(req, res, () => {
      const incoming = req.get('x-request-id');
      req.id = incoming && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      req.log = logger.child({ requestId: req.id });
      res.set('X-Request-Id', req.id);
      runWithRequestId(req.id, () => {
        const started = process.hrtime.bigint();
        // 'finish' may be emitted outside the request's context (from the socket): log it inside.
        // (AsyncResource.bind would too, at ~60 µs per request: scripts/bench/observability.ts.)
        const trace = currentTrace();
        const accessLine = () => {
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
        };
        const onFinish = () => (trace ? runWithTrace(trace, accessLine) : accessLine());
        res.on('finish', onFinish);
        next();
      });
    });
}
