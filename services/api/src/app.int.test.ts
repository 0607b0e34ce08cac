import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApi } from '../../../tests/support/api.js';
import { as, createTestUser, serverOf } from '../../../tests/support/api-fixtures.js';
import { closeDeps, createApp, createDeps } from './index.js';

const { app, deps } = await createTestApi();
const admin = await createTestUser(deps.db, { role: 'admin' });
const asAdmin = as(app, admin);

describe('health endpoints', () => {
  it('/healthz answers while the process lives', async () => {
    const res = await request(serverOf(app)).get('/healthz').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('/readyz reports PostgreSQL and Redis as ok', async () => {
    const res = await request(serverOf(app)).get('/readyz').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      failed: [],
      checks: { postgres: { ok: true }, redis: { ok: true } },
    });
  });

  it('/readyz answers 503 naming the dependency that does not answer', async () => {
    const broken = createDeps(
      { ...deps.config, REDIS_URL: 'redis://127.0.0.1:1', READINESS_TIMEOUT_MS: 300 },
      deps.logger,
    );
    try {
      // Open the pool first: on a loaded machine a cold PostgreSQL connect can exceed the 300 ms budget.
      await broken.sql`select 1`;
      const res = await request(createApp(broken)).get('/readyz').expect(503);
      expect(res.body.failed).toEqual(['redis']);
      expect(res.body.checks.postgres.ok).toBe(true);
    } finally {
      await closeDeps(broken);
    }
  });

  it('/metrics exposes the request histogram by route and status, and process metrics', async () => {
    await request(serverOf(app)).get('/healthz');
    const res = await request(serverOf(app)).get('/metrics').expect(200);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*status="200"/);
    expect(res.text).toContain('osint_api_process_cpu_seconds_total');
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id', async () => {
    const res = await request(serverOf(app)).get('/healthz').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('replaces a malformed one with a fresh UUID', async () => {
    const res = await request(serverOf(app))
      .get('/healthz')
      .set('X-Request-Id', 'bad id <script>')
      .expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('answer headers', () => {
  it('API answers are no-store and carry no ETag (nothing revalidates them; hashing bodies cost CPU)', async () => {
    const res = await asAdmin.get('/api/v1/investigations?limit=100').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/\S/);
    expect(res.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });
});

describe('problem+json errors', () => {
  it('unknown routes are 404 problem+json', async () => {
    const res = await request(serverOf(app)).get('/api/v1/nope').expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'route_not_found', title: 'Not Found' });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('malformed JSON is 400 problem+json', async () => {
    const res = await asAdmin
      .post('/api/v1/diagnostics/jobs')
      .set('content-type', 'application/json')
      .send('{"broken":')
      .expect(400);
    expect(res.body.code).toBe('malformed_json');
  });

  it('oversized bodies are 413 problem+json', async () => {
    const res = await asAdmin
      .post('/api/v1/diagnostics/jobs')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(1_100_000) }))
      .expect(413);
    expect(res.body.code).toBe('body_too_large');
  });

  it('a bad path parameter names the field', async () => {
    const res = await asAdmin.get('/api/v1/jobs/not-a-uuid').expect(400);
    expect(res.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});

describe('jobs', () => {
  it('enqueues a diagnostic job: 202, a row in PostgreSQL and a job in the queue with the same id', async () => {
    const res = await asAdmin.post('/api/v1/diagnostics/jobs').expect(202);
    expect(res.body).toMatchObject({
      kind: 'diagnostic',
      status: 'queued',
      url: `/api/v1/jobs/${res.body.id}`,
    });
    const queued = await deps.queues.diagnostic.getJob(res.body.id);
    // Ids only, plus the trace carrier: the request's span and id, continued by the worker.
    expect(queued?.data).toEqual({
      jobId: res.body.id,
      trace: { traceparent: res.headers.traceparent, requestId: res.headers['x-request-id'] },
    });
    const got = await asAdmin.get(res.body.url).expect(200);
    expect(got.body.id).toBe(res.body.id);
  });

  it('answers 202 with the job row committed as queued when Redis is down (the outbox)', async () => {
    const broken = createDeps({ ...deps.config, REDIS_URL: 'redis://127.0.0.1:1' }, deps.logger);
    try {
      const res = await as(createApp(broken), admin).post('/api/v1/diagnostics/jobs').expect(202);
      const [row] = await deps.sql`select status, attempts from jobs where id = ${res.body.id}`;
      expect(row).toEqual({ status: 'queued', attempts: 0 });
    } finally {
      await closeDeps(broken);
    }
  });

  it('unknown job ids are 404', async () => {
    await asAdmin.get('/api/v1/jobs/00000000-0000-4000-8000-000000000000').expect(404);
  });
});
