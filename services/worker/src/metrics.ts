import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

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
