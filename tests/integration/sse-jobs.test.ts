import type { AddressInfo } from 'node:net';
import { type JobEvent, publishJobEvent, searchVersionKey } from '@osint/core';
import { jobs } from '@osint/db';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, type TestUser } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';
import { openSse, progressData, type SseReader } from '../support/sse.js';

/**
 * Job progress over Server-Sent Events against a real HTTP server on 127.0.0.1, read with a streaming
 * fetch reader; events are published on Redis exactly as the worker publishes them (core's
 * publishJobEvent), so the API side is tested without racing a real worker.
 */
const api = await createTestApi({ SSE_HEARTBEAT_MS: '300' });
const world = await buildWorld(api);
const { app, deps } = api;
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((r) => server.once('listening', () => r()));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const open: SseReader[] = [];
afterAll(async () => {
  for (const r of open) r.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const cookie = (user: TestUser) => ({ Cookie: `osint_session=${user.sessionToken}` });
async function sse(path: string, user: TestUser | null) {
  const reader = await openSse(`${origin}/api/v1${path}`, user ? cookie(user) : {});
  open.push(reader);
  return reader;
}

function event(jobId: string, patch: Partial<JobEvent>): JobEvent {
  return {
    v: 1,
    jobId,
    investigationId: world.investigationId,
    kind: 'extract',
    status: 'running',
    progress: 0,
    phase: null,
    attempts: 1,
    error: null,
    result: null,
    at: new Date().toISOString(),
    ...patch,
  };
}
const publish = (e: JobEvent) => publishJobEvent(api.redis.redis, api.redis.prefix, e);

async function waitSubscribed() {
  for (let i = 0; i < 100 && !deps.events.connected; i++) await new Promise((r) => setTimeout(r, 20));
  expect(deps.events.connected).toBe(true);
}

describe('GET /jobs/{id}/events', () => {
  it('sends the current state first, live progress next, and ends at a terminal state', async () => {
    await waitSubscribed();
    const stream = await sse(`/jobs/${world.jobId}/events`, world.viewer);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect((await stream.next((f) => f.retry !== undefined)).retry).toBe(5000);
    const initial = progressData(await stream.next((f) => f.event === 'progress'));
    expect(initial).toMatchObject({ jobId: world.jobId, status: 'queued', progress: 0, kind: 'extract' });

    await publish(event(world.jobId, { status: 'running', progress: 40, phase: 'extracting' }));
    const running = progressData(await stream.next((f) => f.event === 'progress'));
    expect(running).toMatchObject({ status: 'running', progress: 40, phase: 'extracting' });

    // The per-job stream never shows another job's events.
    await publish(event('00000000-0000-4000-8000-000000000001', { progress: 99 }));
    const before = Number(await deps.redis.get(searchVersionKey(api.redis.prefix, world.investigationId)));
    await publish(event(world.jobId, { status: 'succeeded', progress: 100, result: { mentions: 1 } }));
    const done = progressData(await stream.next((f) => f.event === 'progress'));
    expect(done).toMatchObject({
      jobId: world.jobId,
      status: 'succeeded',
      progress: 100,
      result: { mentions: 1 },
    });
    await stream.ended();
    expect(stream.seen.filter((f) => f.event === 'progress').map((f) => progressData(f).jobId)).toEqual([
      world.jobId,
      world.jobId,
      world.jobId,
    ]);
    // The hub only relays: the worker bumps the search version after its own commit (ADR 0018;
    // search-api.test.ts "misses after a worker write"), so a relayed event leaves it where it was.
    expect(Number(await deps.redis.get(searchVersionKey(api.redis.prefix, world.investigationId)))).toBe(
      before,
    );
  });

  it('sends heartbeats on an idle stream', async () => {
    const stream = await sse(`/jobs/${world.jobId}/events`, world.owner);
    await stream.next((f) => f.comment === 'heartbeat', 3_000);
    stream.close();
  });

  it('is checked like GET /jobs/{id}: non-members 404, anonymous 401, admins may watch', async () => {
    const outsider = await sse(`/jobs/${world.jobId}/events`, world.outsider);
    expect(outsider.status).toBe(404);
    expect(outsider.headers.get('content-type')).toContain('application/problem+json');
    expect((await sse(`/jobs/${world.jobId}/events`, null)).status).toBe(401);
    const admin = await sse(`/jobs/${world.jobId}/events`, world.admin);
    expect(admin.status).toBe(200);
    admin.close();
    expect((await sse('/jobs/00000000-0000-4000-8000-000000000000/events', world.owner)).status).toBe(404);
  });
});

describe('GET /investigations/{id}/jobs/events', () => {
  it('starts with the active jobs, then follows every job of the investigation, cancellations included', async () => {
    await waitSubscribed();
    const doc = await as(app, world.owner)
      .post(`/api/v1/investigations/${world.investigationId}/documents`)
      .send({ title: 'Streamed', text: 'contact evil.example.org now' })
      .expect(202);
    const jobId = doc.body.job.id as string;
    const stream = await sse(`/investigations/${world.investigationId}/jobs/events`, world.viewer);
    expect(stream.status).toBe(200);
    const initial = progressData(await stream.next((f) => progressData(f)?.jobId === jobId));
    expect(initial.status).toBe('queued');

    await publish(event(jobId, { progress: 10, phase: 'reading' }));
    expect(
      progressData(await stream.next((f) => f.event === 'progress' && progressData(f).jobId === jobId)),
    ).toMatchObject({ progress: 10 });

    await as(app, world.editor).post(`/api/v1/jobs/${jobId}/cancel`).expect(200);
    const cancelled = progressData(
      await stream.next((f) => f.event === 'progress' && progressData(f).status === 'cancelled'),
    );
    expect(cancelled.jobId).toBe(jobId);
    // The investigation stream stays open after a job ends.
    await stream.next((f) => f.comment === 'heartbeat', 3_000);
    stream.close();
  });

  it('refuses non-members with the same 404 as a missing investigation, and unknown query parameters', async () => {
    const outsider = await sse(`/investigations/${world.investigationId}/jobs/events`, world.outsider);
    expect(outsider.status).toBe(404);
    const bad = await sse(`/investigations/${world.investigationId}/jobs/events?limit=5`, world.owner);
    expect(bad.status).toBe(400);
  });

  it('uses one subscriber connection for the whole process, however many streams are open', async () => {
    const subscriberCount = async () =>
      ((await api.redis.redis.client('LIST')) as string)
        .split('\n')
        // One pattern (job progress) and one channel (credential revocations) on the same connection.
        .filter((l) => l.includes(`name=osint-api-events-${api.redis.prefix} `) && /sub=1 psub=1/.test(l))
        .length;
    const before = await subscriberCount();
    expect(before).toBe(1);
    const streams = await Promise.all(
      Array.from({ length: 5 }, () =>
        sse(`/investigations/${world.investigationId}/jobs/events`, world.owner),
      ),
    );
    for (const s of streams) await s.next((f) => f.retry !== undefined);
    // Five more streams, no more connections: they share the process's pattern subscription.
    expect(await subscriberCount()).toBe(1);
    expect(deps.events.openStreams).toBeGreaterThanOrEqual(5);
    for (const s of streams) s.close();
    await expect.poll(() => deps.events.openStreams).toBeLessThan(5);
  });
});

describe('job cancellation and listing', () => {
  it('cancels a queued job, removes its queue entry, and refuses a second cancel', async () => {
    const doc = await as(app, world.owner)
      .post(`/api/v1/investigations/${world.investigationId}/documents`)
      .send({ title: 'To cancel', text: 'nothing to see at 198.51.100.7' })
      .expect(202);
    const jobId = doc.body.job.id as string;
    expect(await deps.queues.extract.getJob(jobId)).toBeTruthy();
    await as(app, world.viewer).post(`/api/v1/jobs/${jobId}/cancel`).expect(403);
    await as(app, world.outsider).post(`/api/v1/jobs/${jobId}/cancel`).expect(404);
    await as(app, world.admin).post(`/api/v1/jobs/${jobId}/cancel`).expect(403);
    const res = await as(app, world.editor).post(`/api/v1/jobs/${jobId}/cancel`).expect(200);
    expect(res.body).toMatchObject({ id: jobId, status: 'cancelled' });
    const [row] = await deps.db.select().from(jobs).where(eq(jobs.id, jobId));
    expect(row?.status).toBe('cancelled');
    expect(await deps.queues.extract.getJob(jobId)).toBeUndefined();
    const again = await as(app, world.editor).post(`/api/v1/jobs/${jobId}/cancel`).expect(409);
    expect(again.body.code).toBe('job_finished');
    const audit = await as(app, world.viewer)
      .get(`/api/v1/investigations/${world.investigationId}/audit?action=job.cancel`)
      .expect(200);
    expect(audit.body.items.map((e: { objectId: string }) => e.objectId)).toContain(jobId);
  });

  it('lists the investigation jobs newest first with signed cursors and filters', async () => {
    const inv = `/api/v1/investigations/${world.investigationId}`;
    const first = await as(app, world.viewer).get(`${inv}/jobs?limit=1`).expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await as(app, world.viewer)
      .get(`${inv}/jobs?limit=1&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    await as(app, world.viewer)
      .get(`${inv}/jobs?limit=1&status=queued&cursor=${first.body.nextCursor}`)
      .expect(400);
    const cancelled = await as(app, world.viewer).get(`${inv}/jobs?status=cancelled`).expect(200);
    expect(cancelled.body.items.every((j: { status: string }) => j.status === 'cancelled')).toBe(true);
    await as(app, world.outsider).get(`${inv}/jobs`).expect(404);
  });
});

describe('POST /investigations/{id}/selectors/{selectorId}/enrich', () => {
  it('records and enqueues an enrich job with core payload (editors)', async () => {
    const url = `/api/v1/investigations/${world.investigationId}/selectors/${world.selectorId}/enrich`;
    await as(app, world.viewer).post(url).send({}).expect(403);
    const res = await as(app, world.editor).post(url).send({ scope: 'all', refresh: true }).expect(202);
    expect(res.headers.location).toBe(`/api/v1/jobs/${res.body.id}`);
    expect(res.body).toMatchObject({
      kind: 'enrich',
      status: 'queued',
      investigationId: world.investigationId,
    });
    const queued = await deps.queues.enrich.getJob(res.body.id);
    // The queue entry adds the request's trace carrier to the stored payload.
    const { trace, ...data } = queued?.data ?? {};
    expect(trace).toEqual({ traceparent: res.headers.traceparent, requestId: res.headers['x-request-id'] });
    expect(data).toEqual({
      jobId: res.body.id,
      investigationId: world.investigationId,
      selectorIds: [world.selectorId],
      scope: 'all',
      refresh: true,
      requestedBy: world.editor.id,
    });
    const [row] = await deps.db.select().from(jobs).where(eq(jobs.id, res.body.id));
    expect(row?.payload).toEqual(data);
    await as(app, world.editor)
      .post(
        `/api/v1/investigations/${world.investigationId}/selectors/00000000-0000-4000-8000-000000000000/enrich`,
      )
      .send({})
      .expect(404);
  });
});
