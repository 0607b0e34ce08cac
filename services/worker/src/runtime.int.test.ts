import { createLogger, QUEUES } from '@osint/core';
import { jobs } from '@osint/db';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis } from '../../../tests/support/test-env.js';
import { workerConfigSchema } from './config.js';
import { createWorkerRuntime, DEFAULT_PROCESSORS } from './runtime.js';

const database = await createTestDatabase();
const redis = createTestRedis();
const config = workerConfigSchema.parse({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: database.url,
  REDIS_URL: redis.url,
  QUEUE_PREFIX: redis.prefix,
  SHUTDOWN_GRACE_MS: '5000',
});
const logger = createLogger('worker-test', 'silent');
const queues: Queue[] = [];
const queue = (name: string) => {
  const q = new Queue(name, { connection: redis.redis, prefix: redis.prefix });
  queues.push(q);
  return q;
};
afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
});

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('worker runtime', () => {
  it('processes a diagnostic job and records the outcome in PostgreSQL', async () => {
    const runtime = createWorkerRuntime(config, logger);
    try {
      const [row] = await database.client.db.insert(jobs).values({ kind: 'diagnostic' }).returning();
      await queue(QUEUES.diagnostic).add('diagnostic', { jobId: row!.id }, { jobId: row!.id });
      const done = await until(async () => {
        const [r] = await database.client.db.select().from(jobs).where(eq(jobs.id, row!.id));
        return r?.status === 'succeeded' ? r : undefined;
      });
      expect(done.progress).toBe(100);
      expect(done.result).toMatchObject({ processedBy: expect.stringMatching(/:\d+$/) });
      const metrics = await runtime.metrics.registry.metrics();
      expect(metrics).toMatch(/osint_jobs_total\{queue="diagnostic",outcome="completed"\} 1/);
    } finally {
      await runtime.close('test');
    }
  });

  it('fails a malformed payload at once (UnrecoverableError) and records it', async () => {
    const runtime = createWorkerRuntime(config, logger);
    try {
      const [row] = await database.client.db.insert(jobs).values({ kind: 'diagnostic' }).returning();
      const q = queue(QUEUES.diagnostic);
      // The row id is the job id, but the payload is invalid: it can never succeed.
      await q.add('diagnostic', { jobId: 'not-a-uuid' }, { jobId: row!.id, attempts: 5 });
      const failed = await until(async () => {
        const job = await q.getJob(row!.id);
        // Fetch again once failed: the first fetch is a snapshot that may predate the failure.
        return job && (await job.isFailed()) ? q.getJob(row!.id) : undefined;
      });
      // attempts: 5 were allowed, yet it failed without waiting for a retry.
      expect(await failed.isDelayed()).toBe(false);
      expect(failed.failedReason).toMatch(/invalid payload/);
      const [r] = await until(async () => {
        const rows = await database.client.db.select().from(jobs).where(eq(jobs.id, row!.id));
        return rows[0]?.status === 'failed' ? rows : undefined;
      });
      expect(r?.error).toMatch(/invalid payload/);
    } finally {
      await runtime.close('test');
    }
  });

  it('runs a diagnostic committed before its enqueue once, and fails an entry with no row at once', async () => {
    const runtime = createWorkerRuntime(config, logger);
    try {
      const q = queue(QUEUES.diagnostic);
      // The outbox order the API uses (ADR 0018): commit the row, then enqueue.
      const [row] = await database.client.db.insert(jobs).values({ kind: 'diagnostic' }).returning();
      await q.add('diagnostic', { jobId: row!.id }, { jobId: row!.id, attempts: 5 });
      const done = await until(async () => {
        const [r] = await database.client.db.select().from(jobs).where(eq(jobs.id, row!.id));
        return r?.status === 'succeeded' ? r : undefined;
      });
      expect(done.attempts).toBe(1);
      expect((await q.getJob(row!.id))?.stacktrace ?? []).toEqual([]);

      // A queue entry whose row never committed cannot become runnable: no retry is spent waiting for it.
      const orphan = '00000000-0000-4000-8000-0000000000aa';
      await q.add('diagnostic', { jobId: orphan }, { jobId: orphan, attempts: 5 });
      const failed = await until(async () => {
        const job = await q.getJob(orphan);
        return job && (await job.isFailed()) ? q.getJob(orphan) : undefined;
      });
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/does not exist/);
    } finally {
      await runtime.close('test');
    }
  });

  it('on shutdown lets the active job finish before closing', async () => {
    let finished = false;
    const runtime = createWorkerRuntime(config, logger, {
      ...DEFAULT_PROCESSORS,
      'test-slow': async () => {
        await new Promise((r) => setTimeout(r, 800));
        finished = true;
        return { ok: true };
      },
    });
    const q = queue('test-slow');
    const job = await q.add('slow', {});
    await until(async () => ((await job.isActive()) ? true : undefined));
    await runtime.close('test');
    expect(finished).toBe(true);
    expect(await (await q.getJob(job.id!))?.isCompleted()).toBe(true);
  });

  it('reports readiness of PostgreSQL and Redis', async () => {
    const runtime = createWorkerRuntime(config, logger);
    try {
      // The fail-fast probe connection needs a moment to connect after start-up.
      const checks = await until(async () => {
        const c = await runtime.checks();
        return c.redis.ok && c.postgres.ok ? c : undefined;
      });
      expect(checks).toEqual({ postgres: { ok: true }, redis: { ok: true } });
    } finally {
      await runtime.close('test');
    }
  });
});
