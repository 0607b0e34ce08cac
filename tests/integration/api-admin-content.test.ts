import { jobs } from '@osint/db';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';

/**
 * ADR 0006: administrators run the platform; they do not read investigations. An administrator who is not
 * a member sees, in the global audit and on a job, ids, actions, actors, statuses and times, and none of
 * the investigation's content (snapshots, job results, error messages quoting selectors).
 */
const api = await createTestApi();
const world = await buildWorld(api);
const { app, deps } = api;
const base = `/api/v1/investigations/${world.investigationId}`;
const SECRET = 'codename-nightjar';

describe('an administrator outside an investigation', () => {
  it('sees ids, actions, actors and times in the global audit, and no snapshot of its content', async () => {
    await as(app, world.owner)
      .post(`${base}/selectors`)
      .send({ value: `${SECRET}.example.net`, note: `${SECRET} lead` })
      .expect(201);
    await as(app, world.owner)
      .post(`${base}/notes`)
      .send({ body: `${SECRET} notes` })
      .expect(201);
    const res = await as(app, world.admin)
      .get(`/api/v1/audit?investigationId=${world.investigationId}&limit=100`)
      .expect(200);
    expect(res.body.items.length).toBeGreaterThan(5);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(JSON.stringify(res.body)).not.toContain('example.com');
    for (const event of res.body.items) {
      expect(event).toMatchObject({
        id: expect.any(String),
        at: expect.any(String),
        action: expect.any(String),
        actorType: expect.any(String),
        investigationId: world.investigationId,
        before: null,
        after: null,
      });
    }
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['selector.add', 'note.create', 'investigation.create']),
    );
    // Members still read the snapshots on the investigation's own trail.
    const own = await as(app, world.owner).get(`${base}/audit?action=selector.add&limit=100`).expect(200);
    expect(JSON.stringify(own.body)).toContain(SECRET);
  });

  it("keeps platform events' snapshots in the global audit (they are not investigation content)", async () => {
    const res = await as(app, world.admin).get('/api/v1/audit?limit=100').expect(200);
    const platform = res.body.items.filter((e: { investigationId: string | null }) => !e.investigationId);
    for (const event of res.body.items.filter((e: { investigationId: string | null }) => e.investigationId)) {
      expect(event.before).toBeNull();
      expect(event.after).toBeNull();
    }
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    // Whatever platform events exist keep their shape (nothing here is an investigation's).
    for (const event of platform) expect(event).toHaveProperty('after');
  });

  it("sees a job's status, progress and times, never its result, error message or payload", async () => {
    await deps.db
      .update(jobs)
      .set({
        status: 'failed',
        progress: 100,
        result: { found: [`${SECRET}.example.net`] },
        error: `every DNS query for ${SECRET}.example.net failed`,
        finishedAt: new Date(),
      })
      .where(eq(jobs.id, world.jobId));
    const asAdmin = await as(app, world.admin).get(`/api/v1/jobs/${world.jobId}`).expect(200);
    expect(asAdmin.body).toMatchObject({
      id: world.jobId,
      status: 'failed',
      progress: 100,
      investigationId: world.investigationId,
      result: null,
    });
    expect(JSON.stringify(asAdmin.body)).not.toContain(SECRET);
    const asMember = await as(app, world.viewer).get(`/api/v1/jobs/${world.jobId}`).expect(200);
    expect(asMember.body.result).toEqual({ found: [`${SECRET}.example.net`] });
    expect(asMember.body.error).toContain(SECRET);
  });
});
