import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeDeps, createApp, createDeps } from '@osint/api';
import { documents } from '@osint/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';
import { openSse } from '../support/sse.js';

/**
 * Shared resources have limits (ADR 0017): per-user rate limits answered 429 with Retry-After (also while
 * Redis is down, from the in-memory insurance limiter), a daily upload quota, event streams per user,
 * export files per investigation, and uploads spooled to disk rather than held in memory.
 */
const spoolDir = mkdtempSync(path.join(tmpdir(), 'osint-spool-test-'));
const api = await createTestApi({
  RATE_LIMIT_LOOKUPS: '2',
  RATE_LIMIT_ENRICHMENTS: '1',
  RATE_LIMIT_IMPORTS: '1',
  UPLOAD_QUOTA_BYTES_PER_DAY: String(4 * 1024 * 1024),
  SSE_MAX_STREAMS_PER_USER: '1',
  EXPORT_MAX_FILES_PER_INVESTIGATION: '1',
  UPLOAD_SPOOL_DIR: spoolDir,
});
const world = await buildWorld(api);
const inv = `/api/v1/investigations/${world.investigationId}`;

function expect429(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) {
  expect(res.status).toBe(429);
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(res.headers['content-type']).toContain('application/problem+json');
}

describe('per-user rate limits', () => {
  it('look-ups: the third in a window is 429 naming the setting; another user is unaffected', async () => {
    const owner = as(api.app, world.owner);
    for (let i = 0; i < 2; i++) {
      await owner
        .post(`${inv}/search/lookup`)
        .send({ text: `host${i}.example.com` })
        .expect(200);
    }
    const third = await owner.post(`${inv}/search/lookup`).send({ text: 'x.example.com' });
    expect429(third);
    expect(third.body).toMatchObject({
      code: 'rate_limited',
      action: 'lookup',
      limit: 2,
      setting: 'RATE_LIMIT_LOOKUPS',
    });
    await as(api.app, world.viewer).post(`${inv}/search/lookup`).send({ text: 'x.example.com' }).expect(200);
  });

  it('enrichment requests and imports are limited too', async () => {
    const editor = as(api.app, world.editor);
    await editor.post(`${inv}/selectors/${world.selectorId}/enrich`).send({ scope: 'offline' }).expect(202);
    const again = await editor.post(`${inv}/selectors/${world.selectorId}/enrich`).send({ scope: 'offline' });
    expect429(again);
    expect(again.body.setting).toBe('RATE_LIMIT_ENRICHMENTS');
    const importer = as(api.app, world.viewer);
    const first = await importer.post('/api/v1/investigations/import').send({ not: 'an export' });
    expect(first.status).toBeGreaterThanOrEqual(400);
    expect(first.status).not.toBe(429);
    expect429(await importer.post('/api/v1/investigations/import').send({ not: 'an export' }));
  });

  it('still limit, in memory, while Redis is down', async () => {
    const broken = createDeps({ ...api.deps.config, REDIS_URL: 'redis://127.0.0.1:1' }, api.deps.logger);
    afterAll(() => closeDeps(broken));
    const app = createApp(broken);
    const editor = as(app, world.editor);
    for (let i = 0; i < 2; i++) {
      await editor
        .post(`${inv}/search/lookup`)
        .send({ text: `down${i}.example.com` })
        .expect(200);
    }
    expect429(await editor.post(`${inv}/search/lookup`).send({ text: 'down.example.com' }));
  });
});

describe('uploads', () => {
  it('are spooled to disk, stored byte for byte in chunks, and the spool is removed', async () => {
    // 3 MiB and a bit: several 1 MiB appends into the row.
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 'report 198.51.100.7 ');
    const res = await as(api.app, world.editor)
      .post(`${inv}/documents`)
      .attach('file', bytes, { filename: 'big.txt', contentType: 'text/plain' })
      .expect(202);
    expect(res.body.document.sizeBytes).toBe(bytes.length);
    expect(res.body.document.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const [row] = await api.deps.db
      .select({
        size: documents.sizeBytes,
        sha: sql<string>`encode(sha256(${documents.content}), 'hex')`,
      })
      .from(documents)
      .where(eq(documents.id, res.body.document.id));
    expect(row).toEqual({ size: bytes.length, sha: res.body.document.sha256 });
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('a refused upload leaves no spool behind', async () => {
    await as(api.app, world.editor)
      .post(`${inv}/documents`)
      .attach('file', Buffer.from([0, 1, 2, 0]), { filename: 'x.txt', contentType: 'text/plain' })
      .expect(415);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('count against a daily byte quota per user: over it is 429 and nothing is stored', async () => {
    const before = await api.deps.db.select({ id: documents.id }).from(documents);
    const res = await as(api.app, world.editor)
      .post(`${inv}/documents`)
      .attach('file', Buffer.alloc(1024 * 1024, 'more '), {
        filename: 'more.txt',
        contentType: 'text/plain',
      });
    expect429(res);
    expect(res.body).toMatchObject({ setting: 'UPLOAD_QUOTA_BYTES_PER_DAY' });
    expect(await api.deps.db.select({ id: documents.id }).from(documents)).toHaveLength(before.length);
    expect(readdirSync(spoolDir)).toEqual([]);
    // Another user's quota is their own.
    await as(api.app, world.owner)
      .post(`${inv}/documents`)
      .attach('file', Buffer.from('small 198.51.100.8'), { filename: 's.txt', contentType: 'text/plain' })
      .expect(202);
  });
});

describe('event streams per user', () => {
  it('a second concurrent stream is 429; closing the first frees the place', async () => {
    const server = api.app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    afterAll(() => new Promise<void>((r) => server.close(() => r())));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}${inv}/jobs/events`;
    const headers = { Authorization: `Bearer ${world.viewer.apiToken}` };
    const first = await openSse(url, headers);
    expect(first.status).toBe(200);
    const second = await fetch(url, { headers });
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ code: 'too_many_streams', limit: 1 });
    first.close();
    // The server sees the close asynchronously.
    let third: Awaited<ReturnType<typeof openSse>> | undefined;
    for (let i = 0; i < 50 && !third; i++) {
      const attempt = await openSse(url, headers);
      if (attempt.status === 200) third = attempt;
      else {
        attempt.close();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(third?.status).toBe(200);
    third?.close();
  });
});

describe('export files per investigation', () => {
  it('beyond the bound the request is 409 naming it', async () => {
    const owner = as(api.app, world.owner);
    await owner.post(`${inv}/exports`).send({ format: 'json' }).expect(202);
    const res = await owner.post(`${inv}/exports`).send({ format: 'csv' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'too_many_exports',
      limit: 1,
      setting: 'EXPORT_MAX_FILES_PER_INVESTIGATION',
    });
  });
});
