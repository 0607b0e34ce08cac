import { type PoolTracker, QUEUE_STATES, type QueueSample, sampleQueue } from '@osint/core/telemetry/index';
import type { Queue } from 'bullmq';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Worker metrics: one registry per runtime so tests can run several side by side. */
export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'osint_worker_' });
  return {
    registry,
    jobsTotal: new Counter({
      name: 'osint_jobs_total',
      help: 'Jobs finished by queue and outcome.',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'osint_job_duration_seconds',
      help: 'Job processing time by queue.',
      labelNames: ['queue'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** A scrape waits at most this long for Redis (Prometheus's own scrape timeout defaults to 10 s). */
const QUEUE_SAMPLE_TIMEOUT_MS = 2_000;

/**
 * Queue gauges sampled from Redis on each scrape: `osint_queue_jobs{queue, state}` and
 * `osint_queue_oldest_waiting_seconds{queue}`. Every worker replica reports the same queues, so dashboards
 * and alerts aggregate with `max`, never `sum`. When Redis does not answer, the gauges report no series
 * (rather than stale numbers) and the scrape still succeeds.
 */
export function registerQueueMetrics(registry: Registry, queues: readonly Queue[]): void {
  // Both gauges are collected in one scrape: share one sample between them.
  let sample: { at: number; result: Promise<QueueSample[] | undefined> } | undefined;
  const sampleAll = () => {
    if (sample && Date.now() - sample.at < 1_000) return sample.result;
    let timer: NodeJS.Timeout | undefined;
    const result = Promise.race([
      Promise.all(queues.map((q) => sampleQueue(q))),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, QUEUE_SAMPLE_TIMEOUT_MS, undefined);
      }),
    ])
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
    sample = { at: Date.now(), result };
    return result;
  };
  new Gauge({
    name: 'osint_queue_jobs',
    help: 'Jobs in each BullMQ queue by state (waiting, active, delayed, failed, completed), read on scrape.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of (await sampleAll()) ?? []) {
        for (const state of QUEUE_STATES) this.set({ queue: s.queue, state }, s.counts[state]);
      }
    },
  });
  new Gauge({
    name: 'osint_queue_oldest_waiting_seconds',
    help: 'Age of the oldest waiting job in each queue (0 when none waits), read on scrape.',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of (await sampleAll()) ?? []) this.set({ queue: s.queue }, s.oldestWaitingSeconds);
    },
  });
}

/**
 * The process's SQL pool, read on scrape (core's trackPool): `osint_db_pool_connections{pool, state}`
 * (busy, free), `osint_db_pool_waiting{pool}`, `osint_db_pool_size{pool}`; the API exports the same
 * names with pool="api".
 */
export function registerDbPoolMetrics(registry: Registry, tracker: PoolTracker, pool: string): void {
  new Gauge({
    name: 'osint_db_pool_connections',
    help: 'SQL pool slots by state: busy (held by a statement or transaction) or free.',
    labelNames: ['pool', 'state'] as const,
    registers: [registry],
    collect() {
      const stats = tracker.stats();
      this.set({ pool, state: 'busy' }, stats.busy);
      this.set({ pool, state: 'free' }, stats.free);
    },
  });
  new Gauge({
    name: 'osint_db_pool_waiting',
    help: 'Statements and transactions waiting for a pooled SQL connection.',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      this.set({ pool }, tracker.stats().waiting);
    },
  });
  new Gauge({
    name: 'osint_db_pool_size',
    help: 'Maximum SQL pool size (DB_POOL_MAX).',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      this.set({ pool }, tracker.stats().size);
    },
  });
}
