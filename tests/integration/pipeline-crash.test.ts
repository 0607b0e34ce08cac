import { extractSelectors, QUEUES } from '@osint/core';
import { jobs, selectors } from '@osint/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import {
  createInvestigation,
  enqueueExtract,
  type StoredDocument,
  storeDocument,
  testQueues,
  until,
} from '../support/pipeline.js';
import { type Spawned, spawnTs } from '../support/processes.js';
import { createTestDatabase, createTestRedis } from '../support/test-env.js';

const database = await createTestDatabase();
const redis = createTestRedis();
const { db } = database.client;
const queues = testQueues(redis.redis, redis.prefix);
const JOBS = 200;

const spawned: Spawned[] = [];
afterAll(async () => {
  for (const s of spawned)
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await Promise.all(spawned.map((s) => s.exited));
});

/** The worker as a real process, the way `npm run dev -w services/worker` runs it, on this file's DB/Redis. */
async function startWorker(): Promise<Spawned> {
  const worker = spawnTs('services/worker/src/main.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    WORKER_HOST: '127.0.0.1',
    WORKER_PORT: String(await freePort()),
    // More jobs in flight than cores: each job mostly waits on PostgreSQL round trips.
    WORKER_CONCURRENCY: '8',
    DB_POOL_MAX: '10',
    // Short timings so a killed worker's jobs come back within seconds, not the production half-minute.
    JOB_LOCK_MS: '2000',
    JOB_STALLED_INTERVAL_MS: '1000',
    JOB_LEASE_MS: '4000',
    SWEEP_INTERVAL_MS: '1000',
    ORPHAN_GRACE_MS: '3000',
    ENRICH_AFTER_EXTRACT: 'true',
  });
  spawned.push(worker);
  await worker.waitFor(/worker ready/, 30_000);
  return worker;
}

/** Report-like text: IOCs shared by every document (contended upserts) plus IOCs of its own, defanged. */
function documentText(i: number): string {
  const own = Array.from({ length: 3 }, (_, k) => [
    `c2-${i}-${k}[.]evil-corp[.]com`,
    `hxxps://drop-${i}[.]evil-corp[.]net/p/${k}`,
    `185.${i % 250}.${k}[.]${(i * 7 + k) % 250}`,
  ]).flat();
  return [
    `Report ${i}: shared infrastructure evil-corp[.]com, 185.220.101[.]42, ops[at]evil-corp[.]com,`,
    'hash 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f and CVE-2021-44228.',
    `Own indicators: ${own.join(', ')}.`,
    'Shared again: evil-corp[.]com.',
  ].join('\n');
}

async function count(query: string): Promise<number> {
  const [row] = await database.client.sql.unsafe<{ n: number }[]>(query);
  return Number(row?.n);
}

describe('worker killed with SIGKILL in the middle of 200 extraction jobs', () => {
  it('completes every job after a restart, with nothing duplicated and nothing committed twice', async () => {
    const started = Date.now();
    const timings: string[] = [];
    const mark = (what: string) => timings.push(`${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const world = await createInvestigation(db);
    const texts = Array.from({ length: JOBS }, (_, i) => documentText(i));
    const stored: StoredDocument[] = [];
    for (const text of texts) stored.push(await storeDocument(db, world, text));
    await enqueueExtract(queues.extract, stored);
    mark('enqueued');

    const succeeded = () =>
      count(`select count(*) n from jobs where kind = 'extract' and status = 'succeeded'`);
    const first = await startWorker();
    await until(async () => ((await succeeded()) >= 20 ? true : undefined), 60_000, '20 extract jobs done');
    mark('killed');
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    const doneAtKill = await succeeded();
    const runningAtKill = (
      await db
        .select({ id: jobs.id })
        .from(jobs)
        .where(sql`${jobs.kind} = 'extract' and ${jobs.status} = 'running'`)
    ).map((r) => r.id);
    expect(doneAtKill).toBeLessThan(JOBS);

    const second = await startWorker();
    mark('restarted');
    await until(
      async () => {
        const open = await count(`select count(*) n from jobs where status in ('queued', 'running')`);
        return (await succeeded()) === JOBS && open === 0 ? true : undefined;
      },
      90_000,
      'every job finished after the restart',
    );
    mark('all done');
    second.child.kill('SIGTERM');
    await second.exited;

    // Every job row ended well; the ones the kill interrupted ran again.
    const statuses = await db
      .select({ kind: jobs.kind, status: jobs.status, n: sql<number>`count(*)::int` })
      .from(jobs)
      .groupBy(jobs.kind, jobs.status);
    expect(statuses.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: QUEUES.enrich, status: 'succeeded', n: JOBS },
      { kind: QUEUES.extract, status: 'succeeded', n: JOBS },
    ]);
    if (runningAtKill.length > 0) {
      const rerun = await db
        .select({ attempts: jobs.attempts })
        .from(jobs)
        .where(sql`${jobs.id} in ${runningAtKill}`);
      expect(rerun.every((r) => r.attempts >= 2)).toBe(true);
    }
    expect(await count(`select count(*) n from documents where extraction_status <> 'succeeded'`)).toBe(0);

    // Exactly what extraction finds, once: mentions by (document, selector, start).
    const expectedMentions = texts.reduce((n, t) => n + extractSelectors(t).length, 0);
    const expectedEdges = texts.reduce(
      (n, t) => n + new Set(extractSelectors(t).map((s) => `${s.type}:${s.value}`)).size,
      0,
    );
    expect(await count('select count(*) n from mentions')).toBe(expectedMentions);
    expect(
      await count('select count(distinct (document_id, selector_id, start_offset)) n from mentions'),
    ).toBe(expectedMentions);
    expect(await count('select count(*) n from selectors')).toBe(
      await count('select count(distinct (type, value)) n from selectors'),
    );
    expect(await count('select count(*) n from investigation_selectors')).toBe(
      await count('select count(distinct (investigation_id, selector_id)) n from investigation_selectors'),
    );
    expect(await count('select count(*) n from relationships')).toBe(
      await count(
        'select count(distinct (investigation_id, source_kind, source_id, target_kind, target_id, type)) n from relationships',
      ),
    );
    expect(await count(`select count(*) n from relationships where type = 'mentions'`)).toBe(expectedEdges);
    // No job's effects committed twice: one audit event per document extraction, one per enrich job.
    expect(await count(`select count(*) n from audit_events where action = 'document.extract'`)).toBe(JOBS);
    expect(
      await count(`select count(distinct object_id) n from audit_events where action = 'document.extract'`),
    ).toBe(JOBS);
    expect(await count(`select count(*) n from audit_events where action = 'selectors.enrich'`)).toBe(JOBS);
    // Shared indicators are one selector each, mentioned by every document.
    const [shared] = await db
      .select({ id: selectors.id })
      .from(selectors)
      .where(eq(selectors.value, 'evil-corp.com'));
    expect(
      await count(`select count(distinct document_id) n from mentions where selector_id = '${shared!.id}'`),
    ).toBe(JOBS);
    console.log(
      `[crash] killed after ${doneAtKill}/${JOBS} extract jobs with ${runningAtKill.length} running; ${timings.join('; ')}`,
    );
  }, 180_000);
});
