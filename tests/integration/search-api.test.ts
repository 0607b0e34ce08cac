import { createLogger } from '@osint/core';
import { createWorkerRuntime, type WorkerRuntime } from '@osint/worker';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, createTestUser, serverOf } from '../support/api-fixtures.js';
import { addMembers, buildWorld, createInvestigationAs } from '../support/api-world.js';
import { pipelineWorkerConfig, waitForJobs } from '../support/pipeline.js';

/**
 * Search inside an investigation and across the caller's investigations, "paste a list" look-ups, and the
 * versioned Redis cache in front of them, with a real worker so that extraction results (a worker-side
 * write) are what full-text search finds and what invalidates the cache.
 */
const api = await createTestApi();
const world = await buildWorld(api);
const { app, deps } = api;
const runtime: WorkerRuntime = createWorkerRuntime(
  pipelineWorkerConfig(api.database, api.redis, { ENRICH_AFTER_EXTRACT: 'false' }),
  createLogger('search-test', 'silent'),
);
afterAll(() => runtime.close('test'));

const inv = `/api/v1/investigations/${world.investigationId}`;
const owner = as(app, world.owner);
const viewer = as(app, world.viewer);
for (const value of ['evil-c2.example.net', 'evil-drop.example.org', '198.51.100.23']) {
  await owner.post(`${inv}/selectors`).send({ value }).expect(201);
}
const handle = await owner
  .post(`${inv}/selectors`)
  .send({ type: 'username', value: 'github:per_cent' })
  .expect(201);
const REPORT =
  'Threat note: the R&D loader beacons to hxxps://evil-c2[.]example[.]net/gate and drops a payload. ' +
  'Operators reuse the kettle alias. '.repeat(3);
const doc = await owner.post(`${inv}/documents`).send({ title: 'Kettle report', text: REPORT }).expect(202);
await waitForJobs(deps.db, [doc.body.job.id, world.jobId]);

/** Every selector value of a search answer. */
const values = (body: { selectors: { items: Array<{ value: string }> } }) =>
  body.selectors.items.map((i) => i.value);

describe('GET /investigations/{id}/search: selectors', () => {
  it('matches substrings from three characters and ranks exact, then prefix, then substring', async () => {
    const res = await viewer.get(`${inv}/search?q=evil&kind=selectors`).expect(200);
    expect(values(res.body)).toEqual(
      expect.arrayContaining(['evil-c2.example.net', 'evil-drop.example.org']),
    );
    expect(res.body.documents).toBeNull();
    expect(res.body.selectors.items[0]).toMatchObject({
      investigationId: world.investigationId,
      match: 'prefix',
      source: expect.any(String),
    });
    const sub = await viewer.get(`${inv}/search?q=drop.example&kind=selectors`).expect(200);
    expect(values(sub.body)).toEqual(['evil-drop.example.org']);
    expect(sub.body.selectors.items[0].match).toBe('substring');
  });

  it('uses prefix matching below three characters', async () => {
    const res = await viewer.get(`${inv}/search?q=19&kind=selectors`).expect(200);
    expect(values(res.body)).toEqual(['198.51.100.23']);
    const none = await viewer.get(`${inv}/search?q=00&kind=selectors`).expect(200);
    expect(values(none.body)).toEqual([]);
  });

  it('finds a defanged spelling by its normalised value, and treats LIKE wildcards literally', async () => {
    const res = await viewer
      .get(`${inv}/search?q=${encodeURIComponent('evil-c2[.]example[.]net')}`)
      .expect(200);
    expect(res.body.selectors.items[0]).toMatchObject({ value: 'evil-c2.example.net', match: 'exact' });
    const literal = await viewer
      .get(`${inv}/search?q=${encodeURIComponent('r_c')}&kind=selectors`)
      .expect(200);
    expect(values(literal.body)).toEqual([handle.body.value]);
    const underscore = await viewer.get(`${inv}/search?q=___&kind=selectors`).expect(200);
    expect(values(underscore.body)).toEqual([]);
    const percent = await viewer
      .get(`${inv}/search?q=${encodeURIComponent('%%%')}&kind=selectors`)
      .expect(200);
    expect(values(percent.body)).toEqual([]);
  });

  it('filters by type and pages with signed cursors', async () => {
    const typed = await viewer.get(`${inv}/search?q=example&kind=selectors&type=ipv4`).expect(200);
    expect(values(typed.body)).toEqual([]);
    const first = await viewer.get(`${inv}/search?q=example&kind=selectors&limit=1`).expect(200);
    expect(first.body.selectors.items).toHaveLength(1);
    const cursor = first.body.selectors.nextCursor as string;
    expect(cursor).toBeTruthy();
    const second = await viewer
      .get(`${inv}/search?q=example&kind=selectors&limit=1&cursor=${cursor}`)
      .expect(200);
    expect(values(second.body)[0]).not.toBe(values(first.body)[0]);
    const wrong = await viewer
      .get(`${inv}/search?q=other&kind=selectors&limit=1&cursor=${cursor}`)
      .expect(400);
    expect(wrong.body.code).toBe('invalid_cursor');
  });

  it('ranks from at most 1,001 substring matches, pages to the window, and keeps exact matches beyond it', async () => {
    const bulk = await createInvestigationAs(app, world.owner, 'Many matches');
    // 1,200 substring matches (inserted directly: the API adds one at a time), then the exact value last.
    await deps.db.execute(sql`
      with s as (
        insert into selectors (type, value)
        select 'domain', v from (
          select 'capterm-' || lpad(n::text, 4, '0') || '.example.net' as v from generate_series(1, 1200) n
          union all select 'capterm'
        ) x
        returning id, value)
      insert into investigation_selectors (investigation_id, selector_id, source, added_by, display_value)
      select ${bulk}::uuid, s.id, 'import', ${world.owner.id}::uuid, s.value from s`);
    const path = `/api/v1/investigations/${bulk}/search?q=capterm&kind=selectors&limit=100`;
    const first = await owner.get(path).expect(200);
    expect(first.body.selectors.items[0]).toMatchObject({ value: 'capterm', match: 'exact' });
    const seen = new Set<string>(values(first.body));
    let cursor: string | null = first.body.selectors.nextCursor;
    while (cursor) {
      const page = await owner.get(`${path}&cursor=${encodeURIComponent(cursor)}`).expect(200);
      for (const v of values(page.body)) seen.add(v);
      cursor = page.body.selectors.nextCursor;
    }
    expect(seen.size).toBe(1000);
  });

  it('is served by the trigram index for substring queries', async () => {
    const plan = await deps.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute(sql`explain select id from selectors where value ilike ${'%drop%'}`);
    });
    expect(JSON.stringify([...plan])).toContain('selectors_value_trgm_idx');
  });
});

describe('GET /investigations/{id}/search: documents', () => {
  it('finds extracted text with websearch syntax and returns escaped, highlighted snippets', async () => {
    const res = await viewer
      .get(`${inv}/search?q=${encodeURIComponent('kettle -nothing')}&kind=documents`)
      .expect(200);
    const [hit] = res.body.documents.items;
    expect(hit).toMatchObject({ id: doc.body.document.id, title: 'Kettle report' });
    expect(hit.snippet).toContain('kettle');
    expect(hit.highlights.length).toBeGreaterThan(0);
    for (const h of hit.highlights) expect(hit.snippet.slice(h.start, h.end).toLowerCase()).toBe('kettle');
    expect(hit.snippetHtml).toContain('<mark>kettle</mark>');
    const html = await viewer.get(`${inv}/search?q=loader&kind=documents`).expect(200);
    expect(html.body.documents.items[0].snippetHtml).toContain('R&amp;D <mark>loader</mark>');
    const phrase = await viewer
      .get(`${inv}/search?q=${encodeURIComponent('"kettle report"')}&kind=documents`)
      .expect(200);
    expect(phrase.body.documents.items).toHaveLength(1); // title matches count too
  });
});

describe('search cache', () => {
  it('hits on a repeat, counts hits and misses, and misses again after a write to the investigation', async () => {
    const url = `${inv}/search?q=cache-probe`;
    const first = await viewer.get(url).expect(200);
    expect(first.headers['x-search-cache']).toBe('miss');
    expect((await viewer.get(url).expect(200)).headers['x-search-cache']).toBe('hit');
    await owner.post(`${inv}/selectors`).send({ value: 'cache-probe.example.net' }).expect(201);
    const after = await viewer.get(url).expect(200);
    expect(after.headers['x-search-cache']).toBe('miss');
    expect(values(after.body)).toEqual(['cache-probe.example.net']);
    const metrics = await request(serverOf(app)).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/osint_cache_requests_total\{cache="search",result="hit"\} [1-9]/);
    expect(metrics.text).toMatch(/osint_cache_requests_total\{cache="search",result="miss"\} [1-9]/);
    const keys = (await deps.redis.keys(`${api.redis.prefix}:search:v*`)).filter(
      (k) => !k.includes(':version:'),
    );
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys)
      expect(key).toMatch(new RegExp(`^${api.redis.prefix}:search:v(\\d+|x[0-9a-f]{24}):[0-9a-f]{64}$`));
    expect(await deps.redis.ttl(keys[0] as string)).toBeGreaterThan(0);
  });

  it('misses after a worker write (extraction) and then finds what the worker wrote', async () => {
    const url = `${inv}/search?q=zanzibar&kind=documents`;
    const empty = await viewer.get(url).expect(200);
    expect(empty.body.documents.items).toEqual([]);
    expect((await viewer.get(url).expect(200)).headers['x-search-cache']).toBe('hit');
    const posted = await owner
      .post(`${inv}/documents`)
      .send({ title: 'Late', text: 'zanzibar relay at 203.0.113.9' })
      .expect(202);
    await waitForJobs(deps.db, [posted.body.job.id]);
    await expect
      .poll(async () => (await viewer.get(url).expect(200)).body.documents.items.length, { timeout: 5_000 })
      .toBe(1);
  });
});

describe('GET /search (across the caller investigations)', () => {
  it('searches every investigation the caller is a member of, and nothing else', async () => {
    const second = await createInvestigationAs(app, world.owner, 'Second case');
    await as(app, world.owner)
      .post(`/api/v1/investigations/${second}/selectors`)
      .send({ value: 'evil-c2.example.net' })
      .expect(201);
    const stranger = await createTestUser(deps.db);
    const hidden = await createInvestigationAs(app, stranger, 'Not yours');
    await as(app, stranger)
      .post(`/api/v1/investigations/${hidden}/selectors`)
      .send({ value: 'evil-c2.example.net' })
      .expect(201);

    const mine = await owner.get('/api/v1/search?q=evil-c2&kind=selectors').expect(200);
    const invs = mine.body.selectors.items.map((i: { investigationId: string }) => i.investigationId);
    expect(invs).toEqual(expect.arrayContaining([world.investigationId, second]));
    expect(invs).not.toContain(hidden);
    // The viewer is not in the second case (yet): only the first.
    const invsOf = (body: { selectors: { items: Array<{ investigationId: string }> } }) =>
      [...new Set(body.selectors.items.map((i) => i.investigationId))].sort();
    const theirs = await viewer.get('/api/v1/search?q=evil-c2&kind=selectors').expect(200);
    expect(invsOf(theirs.body)).toEqual([world.investigationId]);
    // Joining an investigation changes the answer at once (the cache key covers memberships).
    await addMembers(api, second, [{ user: world.viewer, role: 'viewer' }]);
    const joined = await viewer.get('/api/v1/search?q=evil-c2&kind=selectors').expect(200);
    expect(joined.headers['x-search-cache']).toBe('miss');
    expect(invsOf(joined.body)).toEqual([world.investigationId, second].sort());
    const admin = await as(app, world.admin).get('/api/v1/search?q=evil').expect(200);
    expect(admin.body.selectors.items).toEqual([]);
    await as(app, null).get('/api/v1/search?q=evil').expect(401);
  });
});

describe('POST /investigations/{id}/search/lookup ("paste a list")', () => {
  const pasted = [
    'IOCs from the partner:',
    'hxxps://evil-c2[.]example[.]net/gate',
    'evil-drop[.]example[.]org',
    '198.51.100[.]23',
    'unknown-host[.]example[.]com',
    'nothing useful on this line',
  ].join('\n');

  it('extracts from a text/plain paste and answers found / not found per selector', async () => {
    const res = await viewer
      .post(`${inv}/search/lookup`)
      .set('Content-Type', 'text/plain')
      .send(pasted)
      .expect(200);
    const byValue = Object.fromEntries(
      res.body.items.map((i: { value: string; found: boolean }) => [i.value, i.found]),
    );
    expect(byValue).toMatchObject({
      'evil-drop.example.org': true,
      '198.51.100.23': true,
      'unknown-host.example.com': false,
    });
    expect(res.body.found).toBeGreaterThanOrEqual(2);
    expect(res.body.notFound).toBeGreaterThanOrEqual(1);
    expect(res.body.unrecognisedLines).toEqual(['IOCs from the partner:', 'nothing useful on this line']);
    const hit = res.body.items.find((i: { value: string }) => i.value === 'evil-drop.example.org');
    expect(hit.raw).toBe('evil-drop[.]example[.]org');
    expect(hit.selector).toMatchObject({ type: 'domain', investigationId: world.investigationId });
  });

  it('accepts JSON { text }, refuses other media types, and checks membership', async () => {
    const res = await viewer.post(`${inv}/search/lookup`).send({ text: '198.51.100.23' }).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ value: '198.51.100.23', found: true })]);
    await viewer.post(`${inv}/search/lookup`).set('Content-Type', 'application/xml').send('<x/>').expect(415);
    await viewer.post(`${inv}/search/lookup`).send({ text: '' }).expect(400);
    await as(app, world.outsider).post(`${inv}/search/lookup`).send({ text: '198.51.100.23' }).expect(404);
  });
});
