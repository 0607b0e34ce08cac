import { createLogger } from '@osint/core';
import { documents, jobs } from '@osint/db';
import { createWorkerRuntime, type WorkerRuntime } from '@osint/worker';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { type Auth, call, serverOf } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';
import {
  createInvestigation,
  enqueueExtract,
  pipelineWorkerConfig,
  storeDocument,
  testQueues,
  waitForJobs,
} from '../support/pipeline.js';
import { createTestDatabase, createTestRedis } from '../support/test-env.js';

/**
 * Over budget (ADR 0017), reached here with budgets a test lowers: the look-up answers 422 problem+json
 * `extraction_budget_exceeded` naming the limit while /healthz and /readyz keep answering; a document's
 * extract job fails once, permanently, with that code in the message the Ingest view shows, and the
 * worker goes on with other jobs on the same runtime (no restart).
 */
describe('look-ups over their extraction budget', () => {
  it('answer 422 naming the limit while health probes keep answering', async () => {
    // 1 ms plus 1 ms per MB: no extraction of a 600,000-character text fits.
    const api = await createTestApi({ EXTRACTION_TIME_BASE_MS: '1', EXTRACTION_TIME_PER_MB_MS: '1' });
    const world = await buildWorld(api);
    const asOwner: Auth = { kind: 'token', user: world.owner };
    const text = `http://x.example/${')'.repeat(300_000)} ${'1.2.3.4 '.repeat(40_000)}`;
    const lookup = call(
      api.app,
      asOwner,
      'post',
      `/api/v1/investigations/${world.investigationId}/search/lookup`,
    )
      .set('Content-Type', 'text/plain')
      .send(text)
      .then((r) => r);
    const [health, ready] = await Promise.all([
      request(serverOf(api.app)).get('/healthz'),
      request(serverOf(api.app)).get('/readyz'),
    ]);
    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    const res = await lookup;
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'extraction_budget_exceeded',
      limit: 'time',
      setting: 'EXTRACTION_TIME_PER_MB_MS',
      value: 1,
    });
    expect(res.body.detail).toMatch(/time budget/);
  }, 120_000);

  it('answer 422 naming the text cap, and 413 above LOOKUP_MAX_CHARS', async () => {
    const api = await createTestApi({ EXTRACTION_MAX_TEXT_CHARS: '1000', LOOKUP_MAX_CHARS: '5000' });
    const world = await buildWorld(api);
    const asOwner: Auth = { kind: 'token', user: world.owner };
    const url = `/api/v1/investigations/${world.investigationId}/search/lookup`;
    const capped = await call(api.app, asOwner, 'post', url).send({ text: 'a b '.repeat(500) });
    expect(capped.status).toBe(422);
    expect(capped.body).toMatchObject({
      limit: 'text_chars',
      setting: 'EXTRACTION_MAX_TEXT_CHARS',
      value: 1000,
    });
    const tooLong = await call(api.app, asOwner, 'post', url).send({ text: 'x'.repeat(5001) });
    expect(tooLong.status).toBe(413);
    expect(tooLong.body).toMatchObject({
      code: 'lookup_too_large',
      maxChars: 5000,
      setting: 'LOOKUP_MAX_CHARS',
    });
    const fits = await call(api.app, asOwner, 'post', url).send({ text: 'see 198.51.100.7' });
    expect(fits.status).toBe(200);
    expect(fits.body.items.map((i: { value: string }) => i.value)).toEqual(['198.51.100.7']);
  }, 120_000);
});

const database = await createTestDatabase();
const redis = createTestRedis();
const { db } = database.client;
const queues = testQueues(redis.redis, redis.prefix);
let runtime: WorkerRuntime | undefined;
afterAll(() => runtime?.close('test'));

describe('a document over its extraction budget', () => {
  it('fails once, permanently, with the code; the same worker then extracts an ordinary document', async () => {
    runtime = createWorkerRuntime(
      pipelineWorkerConfig(database, redis, {
        ENRICH_AFTER_EXTRACT: 'false',
        EXTRACTION_MAX_TEXT_CHARS: '100000',
      }),
      createLogger('budget-test', 'silent'),
    );
    const world = await createInvestigation(db);
    // Plain text over the lowered cap: refused as soon as it is decoded, before any pattern reads it.
    const hostile = await storeDocument(db, world, 'y '.repeat(60_000));
    await enqueueExtract(queues.extract, [hostile]);
    const [failed] = await waitForJobs(db, [hostile.jobId], 60_000);
    expect(failed?.status).toBe('failed');
    expect(failed?.attempts).toBe(1);
    expect(failed?.error).toMatch(/^extraction_budget_exceeded: .*EXTRACTION_MAX_TEXT_CHARS/);
    const [doc] = await db.select().from(documents).where(eq(documents.id, hostile.documentId));
    expect(doc?.extractionStatus).toBe('failed');
    expect(doc?.error).toMatch(/^extraction_budget_exceeded/);
    // BullMQ holds it as failed, not waiting for a retry.
    const queued = await queues.extract.getJob(hostile.jobId);
    expect(await queued?.getState()).toBe('failed');
    expect(queued?.attemptsMade).toBe(1);

    const ordinary = await storeDocument(db, world, 'C2 at 185.220.101[.]42');
    await enqueueExtract(queues.extract, [ordinary]);
    const [ok] = await waitForJobs(db, [ordinary.jobId], 60_000);
    expect(ok?.status).toBe('succeeded');
    const [row] = await db.select().from(jobs).where(eq(jobs.id, hostile.jobId));
    expect(row?.status).toBe('failed');
  }, 120_000);
});
