import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, QUEUES } from '@osint/core';
import { createWorkerRuntime } from '@osint/worker';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.js';
import { type LocalRedis, startLocalRedis } from '../../scripts/lib/redis-provider.js';
import {
  createInvestigation,
  enqueueExtract,
  pipelineWorkerConfig,
  type StoredDocument,
  storeDocument,
  testQueues,
  until,
} from '../support/pipeline.js';
import { createTestDatabase } from '../support/test-env.js';

const database = await createTestDatabase();
const { db } = database.client;
const JOBS = 60;

// A Redis of this file's own, so stopping it affects nothing else.
const dataDir = mkdtempSync(path.join(tmpdir(), 'osint-redis-outage-'));
const port = await freePort();
let server: LocalRedis = await startLocalRedis({ dataDir, port, persistent: false });
const url = server.url;
const producer = new Redis(url, { maxRetriesPerRequest: null });
producer.on('error', () => {});
const queues = testQueues(producer, 'outage');
afterAll(async () => {
  await producer.quit().catch(() => {});
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function count(query: string): Promise<number> {
  const [row] = await database.client.sql.unsafe<{ n: number }[]>(query);
  return Number(row?.n);
}

describe('Redis stopped in the middle of a run (worker side)', () => {
  it('keeps the worker alive, then resumes from PostgreSQL and completes every job once Redis is back', async () => {
    const world = await createInvestigation(db);
    const stored: StoredDocument[] = [];
    for (let i = 0; i < JOBS; i++) {
      stored.push(
        await storeDocument(
          db,
          world,
          `Report ${i}: c2-${i}[.]evil-corp[.]com, 185.220.101[.]42, 10.0.${i}.1`,
        ),
      );
    }
    const runtime = createWorkerRuntime(
      pipelineWorkerConfig(
        database,
        { url, prefix: 'outage' },
        {
          WORKER_CONCURRENCY: '2',
          ENRICH_AFTER_EXTRACT: 'false',
          JOB_LEASE_MS: '3000',
          JOB_LOCK_MS: '3000',
          JOB_STALLED_INTERVAL_MS: '1000',
          SWEEP_INTERVAL_MS: '500',
          ORPHAN_GRACE_MS: '2000',
        },
      ),
      createLogger('outage-test', 'silent'),
    );
    try {
      await enqueueExtract(queues.extract, stored);
      const succeeded = () =>
        count(`select count(*) n from jobs where kind = 'extract' and status = 'succeeded'`);
      await until(async () => ((await succeeded()) >= 5 ? true : undefined), 30_000, '5 jobs done');

      // Redis goes away: runs without persistence, so it comes back EMPTY and every queue entry is lost.
      await server.stop();
      const checks = await until(async () => {
        const c = await runtime.checks();
        return c.redis.ok ? undefined : c;
      });
      expect(checks.postgres.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 1_500));
      const duringOutage = await succeeded();
      expect(duringOutage).toBeLessThan(JOBS);

      server = await startLocalRedis({ dataDir, port, persistent: false });
      // Nothing re-enqueues from the test: the worker reconnects and its sweeper rebuilds the queue from the
      // `queued` and lease-expired `running` rows in PostgreSQL.
      await until(
        async () => ((await succeeded()) === JOBS ? true : undefined),
        60_000,
        'every job done after Redis came back',
      );
      expect((await runtime.checks()).redis.ok).toBe(true);
      expect(await count(`select count(*) n from jobs where status <> 'succeeded'`)).toBe(0);
      expect(await count(`select count(*) n from audit_events where action = 'document.extract'`)).toBe(JOBS);
      expect(await count('select count(*) n from mentions')).toBe(
        await count('select count(distinct (document_id, selector_id, start_offset)) n from mentions'),
      );
      expect(await count(`select count(*) n from relationships where type = 'mentions'`)).toBe(JOBS * 3);
      expect(await queues.extract.getJobCountByTypes('completed')).toBeGreaterThan(0);
      console.log(
        `[outage] ${duringOutage}/${JOBS} done when Redis came back; queue ${QUEUES.extract} rebuilt from PostgreSQL`,
      );
    } finally {
      await runtime.close('test');
    }
  }, 120_000);
});
