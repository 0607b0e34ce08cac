/**
 * Issue 7 observability, end to end on real PostgreSQL and Redis:
 *   - a request with a W3C `traceparent` enqueues a job; the job's data carries the trace and the request
 *     id, and the worker's log lines for that job carry the same traceId, the requestId and the jobId;
 *   - the worker's /metrics (its real HTTP server) shows queue counts, backlog age, job durations and its
 *     SQL pool; the API's /metrics shows its SQL pool;
 *   - the pool tracker reports busy and waiting work correctly under more concurrent statements than
 *     connections.
 * docs/operations.md#metrics and #traces-and-logs.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { apiConfigSchema, closeDeps, createApp, createDeps } from '@osint/api';
import { createLogger, QUEUES } from '@osint/core';
import { trackPool } from '@osint/core/telemetry/index';
import { createDbClient, jobs } from '@osint/db';
import { createWorkerRuntime, DEFAULT_PROCESSORS, startHealthServer } from '@osint/worker';
import { Queue } from 'bullmq';
import { eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { registerQueueMetrics } from '../../services/worker/src/metrics.js';
import { createTestUser } from '../support/api-fixtures.js';
import { pipelineWorkerConfig, until } from '../support/pipeline.js';
import { createTestDatabase, createTestRedis } from '../support/test-env.js';

const database = await createTestDatabase();
const redis = createTestRedis();

/** A pino destination keeping every line, parsed. */
function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

const apiLogs = captureLogs();
const config = apiConfigSchema.parse({
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  DATABASE_URL: database.url,
  REDIS_URL: redis.url,
  QUEUE_PREFIX: redis.prefix,
});
const deps = createDeps(config, createLogger('api', 'info', apiLogs.stream));
afterAll(() => closeDeps(deps));
const app = createApp(deps);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/** Parses the Prometheus text format into `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('trace: API request → queued job → worker', () => {
  it('the worker logs the job under the request trace id, request id and job id; /metrics has real values', async () => {
    const admin = await createTestUser(database.client.db, { role: 'admin' });
    const response = await request(app)
      .post('/api/v1/diagnostics/jobs')
      .set('Authorization', `Bearer ${admin.apiToken}`)
      .set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`)
      .set('X-Request-Id', 'obs-req-1')
      .expect(202);
    const jobId = response.body.id as string;
    // The API answers with its own span in the caller's trace.
    expect(response.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    const apiSpan = String(response.headers.traceparent).split('-')[2];
    expect(apiSpan).not.toBe(CALLER_SPAN);
    // The access-log line carries the trace as well as the request id.
    const access = apiLogs.lines.find((l) => l.msg === 'request' && l.url === '/api/v1/diagnostics/jobs');
    expect(access).toMatchObject({ requestId: 'obs-req-1', traceId: TRACE_ID, spanId: apiSpan });

    // The job's data in Redis carries the carrier: the API span as parent, and the request id.
    const queued = await deps.queues.diagnostic.getJob(jobId);
    expect(queued?.data).toEqual({
      jobId,
      trace: { traceparent: `00-${TRACE_ID}-${apiSpan}-01`, requestId: 'obs-req-1' },
    });

    const workerLogs = captureLogs();
    const runtime = createWorkerRuntime(
      pipelineWorkerConfig(database, redis),
      createLogger('worker', 'info', workerLogs.stream),
      { [QUEUES.diagnostic]: DEFAULT_PROCESSORS[QUEUES.diagnostic]! },
    );
    const health = await startHealthServer(runtime, 0, '127.0.0.1');
    try {
      const row = await until(async () => {
        const [r] = await database.client.db.select().from(jobs).where(eq(jobs.id, jobId));
        return r?.status === 'succeeded' ? r : undefined;
      });
      expect(row.requestId).toBe('obs-req-1');
      const jobLines = workerLogs.lines.filter((l) => l.jobId === jobId);
      expect(jobLines.map((l) => l.msg)).toEqual(expect.arrayContaining(['job started', 'job succeeded']));
      for (const line of jobLines) {
        expect(line).toMatchObject({ traceId: TRACE_ID, requestId: 'obs-req-1', queue: 'diagnostic' });
        // The attempt is its own span in the same trace.
        expect(line.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(line.spanId).not.toBe(apiSpan);
      }

      const port = (health.address() as AddressInfo).port;
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const m = samples(text);
      expect(m.get('osint_queue_jobs{queue="diagnostic",state="completed"}')).toBe(1);
      expect(m.get('osint_queue_jobs{queue="diagnostic",state="waiting"}')).toBe(0);
      expect(m.get('osint_queue_jobs{queue="diagnostic",state="failed"}')).toBe(0);
      expect(m.get('osint_queue_oldest_waiting_seconds{queue="diagnostic"}')).toBe(0);
      expect(m.get('osint_job_duration_seconds_count{queue="diagnostic"}')).toBe(1);
      expect(m.get('osint_jobs_total{queue="diagnostic",outcome="completed"}')).toBe(1);
      expect(m.get('osint_db_pool_size{pool="worker"}')).toBe(5);
      expect(m.get('osint_db_pool_connections{pool="worker",state="busy"}')).toBe(0);
      expect(m.get('osint_db_pool_connections{pool="worker",state="free"}')).toBe(5);
      expect(m.get('osint_db_pool_waiting{pool="worker"}')).toBe(0);
    } finally {
      health.close();
      await runtime.close('test');
    }
  });

  it('a request without traceparent starts a new trace and still logs it', async () => {
    const response = await request(app).get('/healthz').expect(200);
    expect(response.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(response.headers.traceparent).not.toContain(TRACE_ID);
  });
});

describe('metrics', () => {
  it('the API /metrics reports its SQL pool', async () => {
    const m = samples((await request(app).get('/metrics').expect(200)).text);
    expect(m.get('osint_db_pool_size{pool="api"}')).toBe(config.DB_POOL_MAX);
    // The scrape itself holds no connection.
    expect(m.get('osint_db_pool_connections{pool="api",state="busy"}')).toBe(0);
    expect(m.get('osint_db_pool_connections{pool="api",state="free"}')).toBe(config.DB_POOL_MAX);
    expect(m.get('osint_db_pool_waiting{pool="api"}')).toBe(0);
  });

  it('queue gauges count waiting and delayed jobs and age the oldest waiting one', async () => {
    const queue = new Queue('obs-idle', { connection: redis.redis, prefix: redis.prefix });
    try {
      const now = Date.now();
      await queue.add('x', { n: 1 }, { timestamp: now - 90_000 });
      await queue.add('x', { n: 2 }, { timestamp: now - 30_000 });
      await queue.add('x', { n: 3 }, { delay: 60_000 });
      const registry = new Registry();
      registerQueueMetrics(registry, [queue]);
      const m = samples(await registry.metrics());
      expect(m.get('osint_queue_jobs{queue="obs-idle",state="waiting"}')).toBe(2);
      expect(m.get('osint_queue_jobs{queue="obs-idle",state="delayed"}')).toBe(1);
      expect(m.get('osint_queue_jobs{queue="obs-idle",state="active"}')).toBe(0);
      const age = m.get('osint_queue_oldest_waiting_seconds{queue="obs-idle"}') ?? 0;
      expect(age).toBeGreaterThanOrEqual(90);
      expect(age).toBeLessThan(120);
    } finally {
      await queue.close();
    }
  });

  it('without an answer from Redis the queue series are absent and the scrape still succeeds', async () => {
    // A producer-style connection (fails fast) to a port where nothing listens.
    const dead = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    dead.on('error', () => {});
    const queue = new Queue('obs-dead', { connection: dead, prefix: redis.prefix });
    queue.on('error', () => {});
    try {
      const registry = new Registry();
      registerQueueMetrics(registry, [queue]);
      const started = Date.now();
      const text = await registry.metrics();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(text).toContain('# TYPE osint_queue_jobs gauge');
      expect(text).not.toMatch(/^osint_queue_jobs\{/m);
      expect(text).not.toMatch(/^osint_queue_oldest_waiting_seconds\{/m);
    } finally {
      await queue.close().catch(() => {});
      dead.disconnect();
    }
  });

  it('the pool tracker sees busy connections and waiting work beyond the pool size', async () => {
    const client = createDbClient(database.url, { max: 2, applicationName: 'obs-pool' });
    try {
      const pool = trackPool(client.sql, 2);
      expect(pool.stats()).toEqual({ size: 2, busy: 0, free: 2, waiting: 0 });
      // async: Drizzle's query promises are lazy, and the pool sees a statement only once it runs.
      const sleeps = [1, 2, 3, 4].map(async () => client.db.execute(sql`select pg_sleep(0.4)`));
      const transaction = client.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_sleep(0.2)`);
        await tx.execute(sql`select 1`);
      });
      await new Promise((r) => setTimeout(r, 100));
      // Five units of work (four statements, one transaction) on two connections.
      expect(pool.stats()).toEqual({ size: 2, busy: 2, free: 0, waiting: 3 });
      await Promise.all([...sleeps, transaction]);
      await new Promise((r) => setImmediate(r));
      expect(pool.stats()).toEqual({ size: 2, busy: 0, free: 2, waiting: 0 });
      // A failing statement is released too.
      await expect(client.db.execute(sql`select 1/0`)).rejects.toThrow();
      await new Promise((r) => setImmediate(r));
      expect(pool.stats().busy).toBe(0);
    } finally {
      await client.close();
    }
  });
});
