import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ApiDeps, apiConfigSchema, closeDeps, createApp, createDeps } from '@osint/api';
import { createLogger } from '@osint/core';
import { auditEvents, documents, jobs, runMigrations } from '@osint/db';
import { createWorkerRuntime } from '@osint/worker';
import { and, eq } from 'drizzle-orm';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { type LocalPostgres, startLocalPostgres } from '../../scripts/lib/postgres-provider.js';
import { type LocalRedis, startLocalRedis } from '../../scripts/lib/redis-provider.js';
import { as, createTestUser, type TestUser } from '../support/api-fixtures.js';
import { pipelineWorkerConfig, until } from '../support/pipeline.js';
import { scratchRoot } from '../support/scratch.js';
import { openSse, progressData } from '../support/sse.js';
import { createTestDatabase, createTestRedis, type TestDatabase } from '../support/test-env.js';

/**
 * What a request gets while a dependency falters (ADR 0018): a job-creating request commits its row and
 * answers 202 whatever Redis does, and the job runs exactly once when Redis answers again; search answers
 * without its cache; while PostgreSQL is unreachable every request answers 503 `database_unavailable` with
 * Retry-After (never 500, never a hang), and the API recovers by itself. Redis and PostgreSQL here are this
 * file's own processes, so hanging or stopping them touches no other test.
 */

const logger = createLogger('faults-test', 'silent');
// Its own PostgreSQL cluster and Redis, in memory when the machine allows (tests/support/scratch.ts).
const workDir = mkdtempSync(path.join(scratchRoot(), 'osint-faults-'));
// As root, PostgreSQL runs as the `postgres` user, which must be able to enter the directory.
chmodSync(workDir, 0o755);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const elapsed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const value = await fn();
  return [value, Math.round(performance.now() - t0)];
};

function apiDeps(env: Record<string, string>): ApiDeps {
  const config = apiConfigSchema.parse({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return createDeps(config, logger);
}

async function createInvestigation(app: Express, owner: TestUser): Promise<string> {
  const res = await as(app, owner).post('/api/v1/investigations').send({ title: 'Faults' }).expect(201);
  return res.body.id as string;
}

describe('Redis hung or stopped', () => {
  const redisDir = path.join(workDir, 'redis');
  const prefix = 'faults';
  // Started in beforeAll, not in the describe body: a set-up that throws while Vitest collects the file
  // runs none of its hooks, and the processes it started would outlive it.
  // Assigned by beforeAll; the clean-up checks each, as a failed set-up may not have reached it.
  let database!: TestDatabase;
  let redisPort!: number;
  let redis!: LocalRedis;
  let deps!: ApiDeps;
  let app!: Express;
  let owner!: TestUser;
  let base!: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    redisPort = await freePort();
    redis = await startLocalRedis({ dataDir: redisDir, port: redisPort, persistent: false });
    deps = apiDeps({
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      ENQUEUE_TIMEOUT_MS: '300',
      REDIS_COMMAND_TIMEOUT_MS: '300',
    });
    app = createApp(deps);
    owner = await createTestUser(deps.db);
    base = `/api/v1/investigations/${await createInvestigation(app, owner)}`;
  });
  afterAll(async () => {
    if (redis) process.kill(redis.process.pid as number, 'SIGCONT');
    if (deps) await closeDeps(deps);
    if (redis) await redis.stop();
  });

  /** A worker with a fast sweeper on this file's Redis, for as long as `fn` runs. */
  async function withWorker(fn: () => Promise<void>) {
    const runtime = createWorkerRuntime(
      pipelineWorkerConfig(
        database,
        { url: redis.url, prefix },
        { ENRICH_AFTER_EXTRACT: 'false', SWEEP_INTERVAL_MS: '300', ORPHAN_GRACE_MS: '1000' },
      ),
      logger,
    );
    try {
      await fn();
    } finally {
      await runtime.close('test');
    }
  }

  /** The job ran once: succeeded after one attempt, and one audit event of each kind for its document. */
  async function expectRanOnce(jobId: string, documentId: string) {
    const row = await until(
      async () => {
        const [r] = await deps.db.select().from(jobs).where(eq(jobs.id, jobId));
        return r?.status === 'succeeded' ? r : undefined;
      },
      30_000,
      `job ${jobId} succeeding`,
    );
    expect(row.attempts).toBe(1);
    for (const action of ['document.create', 'document.extract']) {
      const events = await deps.db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, action), eq(auditEvents.objectId, documentId)));
      expect(events, action).toHaveLength(1);
    }
  }

  it('Redis hung (SIGSTOP): an upload answers 202 with its rows committed, search answers; the job runs once after SIGCONT', async () => {
    process.kill(redis.process.pid as number, 'SIGSTOP');
    let resumed = false;
    try {
      const [upload, uploadMs] = await elapsed(() =>
        as(app, owner)
          .post(`${base}/documents`)
          .attach('file', Buffer.from('Beacon to c2[.]hung-redis[.]example on 203.0.113[.]9'), {
            filename: 'hung.txt',
            contentType: 'text/plain',
          }),
      );
      expect(upload.status).toBe(202);
      const documentId = upload.body.document.id as string;
      const jobId = upload.body.job.id as string;
      const [doc] = await deps.db.select().from(documents).where(eq(documents.id, documentId));
      expect(doc?.extractionStatus).toBeDefined();
      const [job] = await deps.db.select().from(jobs).where(eq(jobs.id, jobId));
      expect(job?.status).toBe('queued');

      const [search, searchMs] = await elapsed(() => as(app, owner).get(`${base}/search?q=example`));
      expect(search.status).toBe(200);
      expect(search.headers['x-search-cache']).toBe('miss');
      console.log(`[faults] Redis hung: upload 202 in ${uploadMs} ms, search 200 in ${searchMs} ms`);

      process.kill(redis.process.pid as number, 'SIGCONT');
      resumed = true;
      await withWorker(() => expectRanOnce(jobId, documentId));
    } finally {
      if (!resumed) process.kill(redis.process.pid as number, 'SIGCONT');
    }
  }, 60_000);

  it('Redis stopped: search and uploads answer; the job runs once when Redis is back (empty)', async () => {
    await redis.stop();
    const [search, searchMs] = await elapsed(() => as(app, owner).get(`${base}/search?q=example`));
    expect(search.status).toBe(200);
    expect(search.headers['x-search-cache']).toBe('miss');
    const [upload, uploadMs] = await elapsed(() =>
      as(app, owner)
        .post(`${base}/documents`)
        .send({ title: 'While Redis is away', text: 'Exfil via drop[.]stopped-redis[.]example' }),
    );
    expect(upload.status).toBe(202);
    console.log(`[faults] Redis stopped: search 200 in ${searchMs} ms, upload 202 in ${uploadMs} ms`);

    // The job's event stream still opens, says live updates are reconnecting, and shows the row's state.
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const stream = await openSse(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/jobs/${upload.body.job.id}/events`,
      { Cookie: `osint_session=${owner.sessionToken}` },
    );
    try {
      expect(stream.status).toBe(200);
      const status = await stream.next((f) => f.event === 'status');
      expect(JSON.parse(status.data ?? '{}')).toEqual({ live: false, reconnecting: true });
      expect(progressData(await stream.next((f) => f.event === 'progress'))).toMatchObject({
        status: 'queued',
      });
    } finally {
      stream.close();
      await new Promise<void>((r) => server.close(() => r()));
    }

    redis = await startLocalRedis({ dataDir: redisDir, port: redisPort, persistent: false });
    await withWorker(() => expectRanOnce(upload.body.job.id, upload.body.document.id));
  }, 60_000);
});

describe('PostgreSQL stopped under a stream of requests', () => {
  const pgDir = path.join(workDir, 'pg');
  let pgPort: number;
  const start = () =>
    startLocalPostgres({
      dataDir: pgDir,
      port: pgPort,
      persistent: true,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
  // Started in beforeAll, for the reason given above.
  let pg!: LocalPostgres;
  let deps!: ApiDeps;
  let app!: Express;
  let user!: TestUser;
  beforeAll(async () => {
    pgPort = await freePort();
    pg = await start();
    await runMigrations(pg.url);
    const redis = createTestRedis();
    deps = apiDeps({
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
    app = createApp(deps);
    user = await createTestUser(deps.db);
  });
  afterAll(async () => {
    if (deps) await closeDeps(deps);
    if (pg) await pg.stop();
  });

  it('answers 503 database_unavailable with Retry-After while it is down, then recovers by itself', async () => {
    await as(app, user).get('/api/v1/investigations').expect(200);
    await pg.stop();
    const answers: Array<{ status: number; code: unknown; retryAfter: unknown; ms: number }> = [];
    const downUntil = Date.now() + 3_000;
    while (Date.now() < downUntil) {
      const [res, ms] = await elapsed(() => as(app, user).get('/api/v1/investigations'));
      answers.push({ status: res.status, code: res.body.code, retryAfter: res.headers['retry-after'], ms });
    }
    // Every answer above arrived while PostgreSQL was still stopped.
    expect(answers.length).toBeGreaterThan(0);
    for (const a of answers) {
      expect(a).toMatchObject({ status: 503, code: 'database_unavailable' });
      expect(a.retryAfter).toMatch(/^\d+$/);
    }
    pg = await start();
    const [, recoveryMs] = await elapsed(() =>
      until(
        async () => ((await as(app, user).get('/api/v1/investigations')).status === 200 ? true : undefined),
        // The pool waits at most RECONNECT_DELAY_MAX_SECONDS (1 s) between attempts: seconds, not the 20 s
        // postgres.js's own backoff reached after a restart of this length.
        5_000,
        'the API answering 200 again',
      ),
    );
    console.log(
      `[faults] PostgreSQL stopped: ${answers.length} answers, all 503 database_unavailable, slowest ${Math.max(
        ...answers.map((a) => a.ms),
      )} ms; 200 again ${recoveryMs} ms after restart`,
    );
  }, 90_000);
});
