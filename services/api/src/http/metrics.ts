import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
}

/**
 * Prometheus metrics for one app instance: its own Registry (tests build many apps), process metrics, and a
 * request-duration histogram labelled by route pattern (not raw URL, to bound cardinality) and status.
 */
export function createHttpMetrics(prefix = 'osint_api_'): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    // Buckets around the 25 ms p95 goal of docs/performance.md.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}
