import type { PoolTracker } from '@osint/core/telemetry/index';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

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

/**
 * The process's SQL pool, read when scraped (core's trackPool): `osint_db_pool_connections{pool, state}`
 * (busy, free), `osint_db_pool_waiting{pool}` and `osint_db_pool_size{pool}`, `pool` being the
 * connection's application_name. Unregistered: createApp registers them in its app's registry.
 */
export function createDbPoolMetrics(tracker: PoolTracker, pool: string) {
  return {
    dbPoolConnections: new Gauge({
      name: 'osint_db_pool_connections',
      help: 'SQL pool slots by state: busy (held by a statement or transaction) or free.',
      labelNames: ['pool', 'state'] as const,
      registers: [],
      collect() {
        const stats = tracker.stats();
        this.set({ pool, state: 'busy' }, stats.busy);
        this.set({ pool, state: 'free' }, stats.free);
      },
    }),
    dbPoolWaiting: new Gauge({
      name: 'osint_db_pool_waiting',
      help: 'Statements and transactions waiting for a pooled SQL connection.',
      labelNames: ['pool'] as const,
      registers: [],
      collect() {
        this.set({ pool }, tracker.stats().waiting);
      },
    }),
    dbPoolSize: new Gauge({
      name: 'osint_db_pool_size',
      help: 'Maximum SQL pool size (DB_POOL_MAX).',
      labelNames: ['pool'] as const,
      registers: [],
      collect() {
        this.set({ pool }, tracker.stats().size);
      },
    }),
  };
}
