import { createHash } from 'node:crypto';
import { closeDeps, createApp, createDeps } from '@osint/api';
import { auditEvents, documents, jobs } from '@osint/db';
import { desc, eq, gt } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, createTestUser, serverOf } from '../support/api-fixtures.js';
import { buildWorld, createInvestigationAs, unique } from '../support/api-world.js';

const api = await createTestApi({ DOCUMENT_MAX_BYTES: '4096' });
const { app, deps } = api;
const world = await buildWorld(api);
const { owner } = world;
const o = as(app, owner);
const base = `/api/v1/investigations/${world.investigationId}`;

async function lastAuditId(): Promise<number> {
  const [row] = await deps.db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return row?.id ?? 0;
}

describe('documents', () => {
  it('pasted text: 202, document + extract job in PostgreSQL, BullMQ job with the same id', async () => {
    const res = await o
      .post(`${base}/documents`)
      .send({ title: 'Paste', text: 'contact admin@example.com' })
      .expect(202);
    const { document, job } = res.body;
    expect(res.headers.location).toBe(`/api/v1/jobs/${job.id}`);
    expect(document).toMatchObject({ mediaType: 'text/plain', extractionStatus: 'pending', sizeBytes: 25 });
    expect(document.sha256).toBe(createHash('sha256').update('contact admin@example.com').digest('hex'));
    expect(job).toMatchObject({ kind: 'extract', status: 'queued', investigationId: world.investigationId });
    const queued = await deps.queues.extract.getJob(job.id);
    // Ids only, plus the request's trace carrier (docs/operations.md#traces-and-logs).
    expect(queued?.data).toEqual({
      jobId: job.id,
      documentId: document.id,
      trace: { traceparent: res.headers.traceparent, requestId: res.headers['x-request-id'] },
    });
    const [row] = await deps.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row).toMatchObject({
      targetType: 'document',
      targetId: document.id,
      payload: { jobId: job.id, documentId: document.id },
    });
    const got = await o.get(`${base}/documents/${document.id}`).expect(200);
    expect(got.body).toMatchObject({ id: document.id, extractedText: null });
    await o.get(job.url).expect(200);
  });

  it('uploads text, HTML and PDF as multipart, typed by content', async () => {
    const html = await o
      .post(`${base}/documents`)
      .attach('file', Buffer.from('<html><body>hi 192.0.2.1</body></html>'), {
        filename: 'page.html',
        contentType: 'text/html',
      })
      .expect(202);
    expect(html.body.document).toMatchObject({ mediaType: 'text/html', title: 'page.html' });
    const pdf = await o
      .post(`${base}/documents`)
      .field('title', 'A PDF')
      .field('sourceUrl', 'https://example.com/a.pdf')
      .attach('file', Buffer.from('%PDF-1.4\n%fake but magic\n'), {
        filename: 'report.bin',
        contentType: 'application/octet-stream',
      })
      .expect(202);
    expect(pdf.body.document).toMatchObject({
      mediaType: 'application/pdf',
      title: 'A PDF',
      sourceUrl: 'https://example.com/a.pdf',
    });
    await o
      .post(`${base}/documents`)
      .attach('file', Buffer.from('plain words'), { filename: 'notes.txt', contentType: 'text/plain' })
      .expect(202);
  });

  it('refuses fake PDFs, binaries and unknown types with 415', async () => {
    for (const [bytes, type, name] of [
      [Buffer.from('not a pdf'), 'application/pdf', 'x.pdf'],
      [Buffer.from([0, 1, 2, 3, 0]), 'text/plain', 'x.txt'],
      [Buffer.from('MZ...'), 'application/x-msdownload', 'x.exe'],
    ] as const) {
      const res = await o
        .post(`${base}/documents`)
        .attach('file', bytes, { filename: name, contentType: type })
        .expect(415);
      expect(res.body.code).toBe('unsupported_media_type');
    }
  });

  it('the same bytes twice in one investigation is 409 with the existing id; another investigation is fine', async () => {
    const text = `duplicate ${unique()}`;
    const first = await o.post(`${base}/documents`).send({ title: 'One', text }).expect(202);
    const again = await o.post(`${base}/documents`).send({ title: 'Two', text }).expect(409);
    expect(again.body).toMatchObject({ code: 'duplicate_document', existingId: first.body.document.id });
    const other = await createInvestigationAs(app, owner, 'Other');
    await o.post(`/api/v1/investigations/${other}/documents`).send({ title: 'One', text }).expect(202);
  });

  it('concurrent uploads of the same bytes: one document, the rest 409, no 5xx', async () => {
    const text = `race ${unique()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => o.post(`${base}/documents`).send({ title: 'Race', text })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409, 409, 409, 409]);
  });

  it('refuses documents above DOCUMENT_MAX_BYTES with 413, pasted or uploaded', async () => {
    const big = 'x'.repeat(5000);
    const pasted = await o.post(`${base}/documents`).send({ title: 'Big', text: big }).expect(413);
    expect(pasted.body.code).toBe('document_too_large');
    const uploaded = await o
      .post(`${base}/documents`)
      .attach('file', Buffer.from(big), { filename: 'big.txt', contentType: 'text/plain' })
      .expect(413);
    expect(uploaded.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 202 and commits the document, its queued job and one audit event when Redis is down', async () => {
    const broken = createDeps({ ...deps.config, REDIS_URL: 'redis://127.0.0.1:1' }, deps.logger);
    try {
      const auditBefore = await lastAuditId();
      const res = await as(createApp(broken), owner)
        .post(`${base}/documents`)
        .send({ title: 'Kept', text: unique('kept') })
        .expect(202);
      const [doc] = await deps.db.select().from(documents).where(eq(documents.id, res.body.document.id));
      expect(doc?.title).toBe('Kept');
      // The committed row is the job (the outbox): the worker's sweeper enqueues it once Redis answers.
      const [job] = await deps.db.select().from(jobs).where(eq(jobs.id, res.body.job.id));
      expect(job).toMatchObject({ status: 'queued', targetId: doc?.id, attempts: 0 });
      const events = await deps.db.select().from(auditEvents).where(gt(auditEvents.id, auditBefore));
      expect(events.map((e) => e.action)).toEqual(['document.create']);
    } finally {
      await closeDeps(broken);
    }
  });

  it('rejects other content types and empty uploads', async () => {
    await o.post(`${base}/documents`).set('Content-Type', 'text/plain').send('hello').expect(415);
    const empty = await o
      .post(`${base}/documents`)
      .attach('file', Buffer.alloc(0), { filename: 'e.txt', contentType: 'text/plain' })
      .expect(400);
    expect(empty.body.errors[0].field).toBe('file');
  });
});

describe('relationships', () => {
  it('both ends must belong to the investigation', async () => {
    const other = await createInvestigationAs(app, owner, 'Elsewhere');
    const foreign = await o
      .post(`/api/v1/investigations/${other}/entities`)
      .send({ kind: 'person', label: 'Far' })
      .expect(201);
    const res = await o
      .post(`${base}/relationships`)
      .send({
        source: { kind: 'entity', id: world.entityId },
        target: { kind: 'entity', id: foreign.body.id },
        type: 'related-to',
      })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'target', message: 'no such entity in this investigation' }]);
  });

  it('a duplicate edge is 409; a self edge is 400', async () => {
    const body = {
      source: { kind: 'entity', id: world.entityId },
      target: { kind: 'document', id: world.documentId },
      type: 'mentions',
      evidenceDocumentId: world.documentId,
      confidence: 80,
    };
    await o.post(`${base}/relationships`).send(body).expect(201);
    const dup = await o.post(`${base}/relationships`).send(body).expect(409);
    expect(dup.body.code).toBe('duplicate_relationship');
    await o
      .post(`${base}/relationships`)
      .send({ ...body, target: body.source })
      .expect(400);
  });

  it('lists edges touching an object', async () => {
    const res = await o.get(`${base}/relationships?objectKind=entity&objectId=${world.entityId}`).expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const r of res.body.items) {
      expect([r.source.id, r.target.id]).toContain(world.entityId);
    }
  });
});

describe('notes and entities', () => {
  it('notes attach to objects of the investigation only, and filter by target', async () => {
    await o
      .post(`${base}/notes`)
      .send({ body: 'x', target: { kind: 'entity', id: '00000000-0000-4000-8000-000000000000' } })
      .expect(400);
    const note = await o
      .post(`${base}/notes`)
      .send({ body: 'on the selector', target: { kind: 'selector', id: world.selectorId } })
      .expect(201);
    const list = await o.get(`${base}/notes?targetKind=selector&targetId=${world.selectorId}`).expect(200);
    expect(list.body.items.map((n: { id: string }) => n.id)).toEqual([note.body.id]);
    const general = await o.get(`${base}/notes?targetKind=investigation`).expect(200);
    expect(general.body.items.every((n: { target: unknown }) => n.target === null)).toBe(true);
  });

  it('entities round-trip properties and filter by kind', async () => {
    const created = await o
      .post(`${base}/entities`)
      .send({
        kind: 'organisation',
        label: 'ACME',
        properties: { country: 'GB', employees: 12, listed: false },
      })
      .expect(201);
    const updated = await o
      .patch(`${base}/entities/${created.body.id}`)
      .send({ label: 'ACME Ltd' })
      .expect(200);
    expect(updated.body).toMatchObject({ label: 'ACME Ltd', properties: { country: 'GB', employees: 12 } });
    const orgs = await o.get(`${base}/entities?kind=organisation`).expect(200);
    expect(orgs.body.items.every((e: { kind: string }) => e.kind === 'organisation')).toBe(true);
  });
});

describe('members', () => {
  it('the last owner can be neither removed nor demoted; a second owner unlocks it', async () => {
    const invId = await createInvestigationAs(app, owner, 'Ownership');
    const url = `/api/v1/investigations/${invId}/members`;
    const r1 = await o.delete(`${url}/${owner.id}`).expect(409);
    expect(r1.body.code).toBe('last_owner');
    await o.patch(`${url}/${owner.id}`).send({ role: 'editor' }).expect(409);
    const second = await createTestUser(deps.db);
    await o.post(url).send({ email: second.email.toUpperCase(), role: 'owner' }).expect(202);
    // Inviting an existing member again changes nothing (their role stays owner).
    await o.post(url).send({ userId: second.id, role: 'viewer' }).expect(202);
    await o.patch(`${url}/${owner.id}`).send({ role: 'viewer' }).expect(200);
    // Now `second` is the only owner.
    await as(app, second).delete(`${url}/${second.id}`).expect(409);
    // Anyone may leave.
    await o.delete(`${url}/${owner.id}`).expect(204);
    await o.get(`/api/v1/investigations/${invId}`).expect(404);
  });

  it('two owners demoting each other at once leave exactly one owner', async () => {
    const invId = await createInvestigationAs(app, owner, 'Race');
    const url = `/api/v1/investigations/${invId}/members`;
    const second = await createTestUser(deps.db);
    await o.post(url).send({ userId: second.id, role: 'owner' }).expect(202);
    const [a, b] = await Promise.all([
      o.patch(`${url}/${second.id}`).send({ role: 'editor' }),
      as(app, second).patch(`${url}/${owner.id}`).send({ role: 'editor' }),
    ]);
    // Serialised on the investigation row: whoever goes second is no longer an owner.
    expect([a.status, b.status].sort()).toEqual([200, 403]);
    const members = await o.get(url).expect(200);
    expect(members.body.items.filter((m: { role: string }) => m.role === 'owner')).toHaveLength(1);
  });
});

describe('member invitations do not reveal accounts', () => {
  it('answers an address with an account, one without, and an existing member byte for byte alike', async () => {
    const invId = await createInvestigationAs(app, owner, 'Enumeration');
    const url = `/api/v1/investigations/${invId}/members`;
    const known = await createTestUser(deps.db);
    const answers = [];
    for (const body of [
      { email: known.email, role: 'viewer' },
      { email: `nobody-${unique('x')}@example.org`, role: 'viewer' },
      { email: known.email, role: 'viewer' },
      { userId: '00000000-0000-4000-8000-000000000001', role: 'viewer' },
    ]) {
      const r = await o.post(url).send(body);
      answers.push({ status: r.status, body: r.body, type: r.headers['content-type'] });
    }
    expect(answers[0]).toEqual({
      status: 202,
      body: { status: 'recorded', role: 'viewer' },
      type: expect.stringMatching(/^application\/json/),
    });
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    // The account that exists did join.
    const members = await o.get(url).expect(200);
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toContain(known.id);
    // The investigation's trail says what happened; nobody outside it learns anything.
    const trail = await o.get(`/api/v1/investigations/${invId}/audit`).expect(200);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['membership.create', 'membership.invite']),
    );
  });
});

describe('audit trail', () => {
  /** Every mutating call and the audit action it must write, in order. */
  it('writes exactly one audit row per mutation, in the same request, without secrets', async () => {
    const inv = await createInvestigationAs(app, owner, 'Audited');
    const b = `/api/v1/investigations/${inv}`;
    const extra = await createTestUser(deps.db);
    const steps: Array<{ action: string; run: () => Promise<request.Response> }> = [];
    const ids: Record<string, string> = {};
    const step = (action: string, run: () => Promise<request.Response>) => steps.push({ action, run });
    step('investigation.update', () => o.patch(b).send({ tlp: 'red' }));
    step('membership.create', () => o.post(`${b}/members`).send({ userId: extra.id, role: 'viewer' }));
    step('membership.update', () => o.patch(`${b}/members/${extra.id}`).send({ role: 'editor' }));
    step('membership.delete', () => o.delete(`${b}/members/${extra.id}`));
    step('selector.add', async () => {
      const r = await o.post(`${b}/selectors`).send({ value: 'audited.example.com' });
      ids.selector = r.body.id;
      return r;
    });
    step('selector.readd', () => o.post(`${b}/selectors`).send({ value: 'audited.example.com' }));
    step('selector.update', () => o.patch(`${b}/selectors/${ids.selector}`).send({ falsePositive: true }));
    step('document.create', async () => {
      const r = await o.post(`${b}/documents`).send({ title: 'Doc', text: unique('audit') });
      ids.document = r.body.document?.id;
      return r;
    });
    step('entity.create', async () => {
      const r = await o.post(`${b}/entities`).send({ kind: 'person', label: 'P' });
      ids.entity = r.body.id;
      return r;
    });
    step('entity.update', () => o.patch(`${b}/entities/${ids.entity}`).send({ label: 'Q' }));
    step('relationship.create', async () => {
      const r = await o.post(`${b}/relationships`).send({
        source: { kind: 'entity', id: ids.entity },
        target: { kind: 'selector', id: ids.selector },
        type: 'owns',
      });
      ids.relationship = r.body.id;
      return r;
    });
    step('relationship.delete', () => o.delete(`${b}/relationships/${ids.relationship}`));
    step('note.create', async () => {
      const r = await o.post(`${b}/notes`).send({ body: 'n' });
      ids.note = r.body.id;
      return r;
    });
    step('note.update', () => o.patch(`${b}/notes/${ids.note}`).send({ body: 'm' }));
    step('note.delete', () => o.delete(`${b}/notes/${ids.note}`));
    step('entity.delete', () => o.delete(`${b}/entities/${ids.entity}`));
    step('document.delete', () => o.delete(`${b}/documents/${ids.document}`));
    step('selector.remove', () => o.delete(`${b}/selectors/${ids.selector}`));
    step('api_token.create', async () => {
      const r = await o.post('/api/v1/auth/tokens').send({ name: 'audit' });
      ids.token = r.body.id;
      ids.tokenSecret = r.body.token;
      return r;
    });
    step('api_token.revoke', () => o.delete(`/api/v1/auth/tokens/${ids.token}`));
    step('investigation.delete', () => o.delete(b));

    for (const { action, run } of steps) {
      const before = await lastAuditId();
      const res = await run();
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      const rows = await deps.db.select().from(auditEvents).where(gt(auditEvents.id, before));
      expect(
        rows.map((r) => r.action),
        action,
      ).toEqual([action]);
      const row = rows[0]!;
      expect(row).toMatchObject({
        actorType: 'user',
        actorId: owner.id,
        requestId: res.headers['x-request-id'],
      });
      const text = JSON.stringify([row.before, row.after]);
      expect(text).not.toMatch(/argon2|passwordHash|tokenHash/);
      if (ids.tokenSecret) expect(text).not.toContain(ids.tokenSecret);
    }
  });

  it('failed requests write no audit row', async () => {
    const before = await lastAuditId();
    await as(app, world.viewer).patch(base).send({ title: 'nope' }).expect(403);
    await o.post(`${base}/selectors`).send({ type: 'ipv4', value: '999.1.1.1' }).expect(400);
    expect(await lastAuditId()).toBe(before);
  });

  it('the investigation audit log filters by action, objectType and actor, and pages with cursors', async () => {
    const byAction = await o.get(`${base}/audit?action=entity.create`).expect(200);
    expect(byAction.body.items.length).toBeGreaterThan(0);
    expect(byAction.body.items.every((e: { action: string }) => e.action === 'entity.create')).toBe(true);
    const byType = await o.get(`${base}/audit?objectType=selector&actor=${owner.id}`).expect(200);
    expect(byType.body.items.every((e: { objectType: string }) => e.objectType === 'selector')).toBe(true);
    const page1 = await o.get(`${base}/audit?limit=2`).expect(200);
    const page2 = await o
      .get(`${base}/audit?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`)
      .expect(200);
    expect(Number(page2.body.items[0].id)).toBeLessThan(Number(page1.body.items[1].id));
    const all = await as(app, world.admin)
      .get(`/api/v1/audit?investigationId=${world.investigationId}&limit=200`)
      .expect(200);
    expect(
      all.body.items.every((e: { investigationId: string }) => e.investigationId === world.investigationId),
    ).toBe(true);
  });

  it('the job endpoint stays readable by members after the request', async () => {
    const res = await request(serverOf(app)).get(`/api/v1/jobs/${world.jobId}`).expect(401);
    expect(res.body.code).toBe('unauthenticated');
  });
});
