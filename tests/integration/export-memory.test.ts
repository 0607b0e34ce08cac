import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@osint/core';
import { jobs } from '@osint/db';
import { afterAll, describe, expect, it } from 'vitest';
import { procAvailable, sampleMemory, seedSelectors } from '../../scripts/bench/export-fixture.js';
import { freePort } from '../../scripts/lib/ports.js';
import { createInvestigation, testQueues, waitForJobs } from '../support/pipeline.js';
import { type Spawned, spawnTs } from '../support/processes.js';
import { createTestDatabase, createTestRedis } from '../support/test-env.js';

/**
 * Exports stream with bounded memory: the worker runs as a real process with a capped heap and its resident
 * memory is sampled from /proc while it exports a small and an eight-times-larger investigation. Streaming
 * means the large export completes under the cap and its peak does not grow with its size. (The
 * 100k-selector figure is measured by `npm run bench:export`, not asserted here: no size-heavy tests.)
 */
const SMALL = 5_000;
const LARGE = 40_000;
/** Old-space cap of the worker process for this test (see NODE_OPTIONS below). */
const HEAP_CAP_MB = 64;
/** Allowed difference between the two peaks: noise, well below the large file's 16 MB of extra size. */
const MAX_PEAK_GROWTH_MB = 16;

const database = await createTestDatabase();
const redis = createTestRedis();
const { db } = database.client;
const queues = testQueues(redis.redis, redis.prefix);
const exportDir = mkdtempSync(path.join(tmpdir(), 'osint-export-mem-'));
let worker: Spawned | undefined;
afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  rmSync(exportDir, { recursive: true, force: true });
});

async function exportOnce(world: { investigationId: string; userId: string }, pid: number) {
  const [row] = await db
    .insert(jobs)
    .values({
      kind: QUEUES.export,
      investigationId: world.investigationId,
      targetType: 'investigation',
      targetId: world.investigationId,
    })
    .returning({ id: jobs.id });
  const payload = {
    jobId: row!.id,
    investigationId: world.investigationId,
    format: 'json',
    requestedBy: world.userId,
  };
  await db.update(jobs).set({ payload }).where(eqId(row!.id));
  const sampler = sampleMemory(pid);
  await queues.queue(QUEUES.export).add(QUEUES.export, payload, { ...DEFAULT_JOB_OPTIONS, jobId: row!.id });
  const [done] = await waitForJobs(db, [row!.id], 120_000);
  const memory = sampler.stop();
  expect(done?.status, done?.error ?? '').toBe('succeeded');
  const bytes = statSync(path.join(exportDir, `${row!.id}.json`)).size;
  return { bytes, ...memory };
}

import { eq } from 'drizzle-orm';

const eqId = (id: string) => eq(jobs.id, id);

describe.skipIf(!procAvailable())('export memory', () => {
  it('stays flat while the export grows eightfold', { timeout: 240_000 }, async () => {
    const small = await createInvestigation(db);
    const large = await createInvestigation(db);
    await seedSelectors(db, small.investigationId, small.userId, SMALL, `small${redis.prefix}`);
    await seedSelectors(db, large.investigationId, large.userId, LARGE, `large${redis.prefix}`);
    worker = spawnTs('services/worker/src/main.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      WORKER_HOST: '127.0.0.1',
      WORKER_PORT: String(await freePort()),
      SWEEP_INTERVAL_MS: '0',
      EXPORT_DIR: exportDir,
      // A 64 MB old-space cap: an export that held its rows or its text would die here (40 000 rows are
      // ~40 MB of objects and the file is 18 MB), and V8 cannot defer collection by growing the heap, so
      // the RSS peaks below measure what the export retains, not the collector's laziness.
      NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}`,
    });
    await worker.waitFor(/worker ready/, 60_000);
    const pid = worker.child.pid!;
    // Warm-up: load and compile everything the export path touches.
    await exportOnce(small, pid);
    const a = await exportOnce(small, pid);
    const b = await exportOnce(large, pid);
    const mb = (kb: number) => Math.round(kb / 102.4) / 10;
    console.log(
      `[export-memory] ${SMALL} selectors: ${mb(a.bytes / 1024)} MB file, peak RSS ${mb(a.peakRssKb)} MB; ` +
        `${LARGE} selectors: ${mb(b.bytes / 1024)} MB file, peak RSS ${mb(b.peakRssKb)} MB; worker VmHWM ${mb(b.hwmKb)} MB`,
    );
    expect(b.bytes).toBeGreaterThan(6 * a.bytes);
    expect(mb(b.peakRssKb - a.peakRssKb)).toBeLessThan(MAX_PEAK_GROWTH_MB);
  });
});
