import { closeDeps, createApp, createDeps } from '@osint/api';
import { auditEvents, jobs } from '@osint/db';
import { count, eq, gt, max } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, serverOf } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';

/**
 * Job-creating requests go through the outbox (ADR 0018): with Redis unreachable, export requests and
 * enrich-now still answer 202 with their job row committed as `queued` and one audit event (the worker's
 * sweeper enqueues the row when Redis answers), while reads that only use Redis as a cache (search,
 * look-ups) keep answering from PostgreSQL.
 */
const api = await createTestApi();
const world = await buildWorld(api);
const { deps } = api;
const broken = createDeps({ ...deps.config, REDIS_URL: 'redis://127.0.0.1:1' }, deps.logger);
afterAll(() => closeDeps(broken));
const app = createApp(broken);
const inv = `/api/v1/investigations/${world.investigationId}`;

async function snapshot() {
  const [j] = await deps.db.select({ n: count() }).from(jobs);
  const [a] = await deps.db.select({ id: max(auditEvents.id) }).from(auditEvents);
  return { jobs: j?.n, audit: a?.id };
}

describe('Redis down', () => {
  it.each([
    ['export request', `${inv}/exports`, { format: 'json' }, 'export.request'],
    ['export request (stix)', `${inv}/exports`, { format: 'stix' }, 'export.request'],
    [
      'enrich now',
      `${inv}/selectors/${world.selectorId}/enrich`,
      { scope: 'offline' },
      'selector.enrich_request',
    ],
  ])('%s answers 202 and commits its queued job and one audit event', async (_name, url, body, action) => {
    const before = await snapshot();
    const res = await as(app, world.owner).post(url).send(body).expect(202);
    const [job] = await deps.db.select().from(jobs).where(eq(jobs.id, res.body.id));
    expect(job).toMatchObject({ status: 'queued', attempts: 0 });
    const events = await deps.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(gt(auditEvents.id, before.audit ?? 0));
    expect(events.map((e) => e.action)).toEqual([action]);
    expect((await snapshot()).jobs).toBe((before.jobs ?? 0) + 1);
  });

  it('search and look-ups still answer from PostgreSQL (a cache miss)', async () => {
    const search = await as(app, world.viewer).get(`${inv}/search?q=example`).expect(200);
    expect(search.headers['x-search-cache']).toBe('miss');
    expect(search.body.selectors.items.map((i: { value: string }) => i.value)).toContain('example.com');
    const everywhere = await as(app, world.viewer).get('/api/v1/search?q=example').expect(200);
    expect(everywhere.body.selectors.items.length).toBeGreaterThan(0);
    const lookup = await as(app, world.viewer)
      .post(`${inv}/search/lookup`)
      .send({ text: 'example[.]com' })
      .expect(200);
    expect(lookup.body.items[0]).toMatchObject({ value: 'example.com', found: true });
    const graph = await as(app, world.viewer).get(`${inv}/graph`).expect(200);
    expect(graph.body.nodes.length).toBeGreaterThan(0);
  });

  it('cancelling still works: the row is the source of truth, the queue clean-up is best effort', async () => {
    // A job recorded while Redis was up (through the healthy app).
    const queued = await as(api.app, world.owner).post(`${inv}/exports`).send({ format: 'csv' }).expect(202);
    const res = await as(app, world.editor).post(`/api/v1/jobs/${queued.body.id}/cancel`).expect(200);
    expect(res.body.status).toBe('cancelled');
  });

  it('the metrics still count the cache misses', async () => {
    const metrics = await request(serverOf(app)).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/osint_cache_requests_total\{cache="search",result="miss"\} [1-9]/);
  });
});
