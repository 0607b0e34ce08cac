/**
 * Revocation (docs/decisions/0006-auth-and-sessions.md#revocation): `create-admin --reset` ends the
 * account's sessions and tokens; administrators disable and re-enable accounts, which ends sessions,
 * tokens and event streams at once; personal tokens expire by default (MAX_TOKEN_DAYS, 90); signing out,
 * revoking a token or losing membership closes open event streams too. Streams run against a real HTTP
 * server on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { apiTokens, auditEvents, memberships } from '@osint/db';
import { and, eq, sql } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../services/api/src/auth/admin-bootstrap.js';
import { hashPassword } from '../../services/api/src/auth/password.js';
import { createTestApi, type TestApi } from '../support/api.js';
import { as, createTestUser, serverOf, type TestUser } from '../support/api-fixtures.js';
import { addMembers, createInvestigationAs } from '../support/api-world.js';
import { openSse, type SseReader } from '../support/sse.js';

const PASSWORD = 'a long and unusual passphrase 42';
const hash = await hashPassword(PASSWORD);

/** The API listening on a port, for event streams; closed after the file. */
async function listening(app: Express) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const readers: SseReader[] = [];
  afterAll(async () => {
    for (const r of readers) r.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path: string, headers: Record<string, string>) => {
    const reader = await openSse(`${origin}/api/v1${path}`, headers);
    readers.push(reader);
    expect(reader.status).toBe(200);
    await reader.next((f) => f.retry !== undefined);
    return reader;
  };
}

const cookie = (user: TestUser) => ({ Cookie: `osint_session=${user.sessionToken}` });
const bearer = (user: TestUser) => ({ Authorization: `Bearer ${user.apiToken}` });

async function waitSubscribed(api: TestApi) {
  for (let i = 0; i < 100 && !api.deps.events.connected; i++) await new Promise((r) => setTimeout(r, 20));
  expect(api.deps.events.connected).toBe(true);
}

/**
 * A heartbeat far longer than any test: a stream that closes within a test was closed by the revocation
 * itself, not by the periodic re-check.
 */
const api = await createTestApi({ SSE_HEARTBEAT_MS: '600000' });
const { app, deps } = api;
const stream = await listening(app);
const admin = await createTestUser(deps.db, { role: 'admin' });

async function investigationWith(member: TestUser): Promise<string> {
  const owner = await createTestUser(deps.db);
  const id = await createInvestigationAs(app, owner);
  await addMembers(api, id, [{ user: member, role: 'viewer' }]);
  return id;
}

describe('administrators disable and re-enable accounts', () => {
  it('disabling ends sessions, tokens and open event streams at once; sign-in is refused', async () => {
    await waitSubscribed(api);
    const user = await createTestUser(deps.db, { email: 'mallory@example.test', passwordHash: hash });
    const investigation = await investigationWith(user);
    const bySession = await stream(`/investigations/${investigation}/jobs/events`, cookie(user));
    const byToken = await stream(`/investigations/${investigation}/jobs/events`, bearer(user));

    const res = await as(app, admin).post(`/api/v1/users/${user.id}/disable`).expect(200);
    expect(res.body).toMatchObject({ id: user.id, disabled: true });

    await Promise.all([bySession.ended(5_000), byToken.ended(5_000)]);
    await as(app, user).get('/api/v1/auth/me').expect(401);
    await request(serverOf(app)).get('/api/v1/auth/me').set(bearer(user)).expect(401);
    const login = await request(serverOf(app))
      .post('/api/v1/auth/login')
      .send({ email: 'mallory@example.test', password: PASSWORD })
      .expect(401);
    expect(login.body.code).toBe('invalid_credentials');
    const [token] = await deps.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id));
    expect(token?.revokedAt).not.toBeNull();
    const [event] = await deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, user.id), eq(auditEvents.action, 'user.disable')));
    expect(event).toMatchObject({
      actorId: admin.id,
      before: { disabled: false },
      after: { disabled: true, sessionsEnded: 1, tokensRevoked: 1 },
    });
  });

  it('re-enabling lets the user sign in again; what disabling ended stays ended', async () => {
    const user = await createTestUser(deps.db, { email: 'trent@example.test', passwordHash: hash });
    await as(app, admin).post(`/api/v1/users/${user.id}/disable`).expect(200);
    const res = await as(app, admin).post(`/api/v1/users/${user.id}/enable`).expect(200);
    expect(res.body).toMatchObject({ id: user.id, disabled: false });
    await request(serverOf(app))
      .post('/api/v1/auth/login')
      .send({ email: 'trent@example.test', password: PASSWORD })
      .expect(200);
    await as(app, user).get('/api/v1/auth/me').expect(401);
    await request(serverOf(app)).get('/api/v1/auth/me').set(bearer(user)).expect(401);
  });

  it('only administrators may; nobody disables themselves; unknown ids are 404', async () => {
    const member = await createTestUser(deps.db);
    const target = await createTestUser(deps.db);
    for (const action of ['disable', 'enable']) {
      await as(app, member).post(`/api/v1/users/${target.id}/${action}`).expect(403);
      await request(serverOf(app)).post(`/api/v1/users/${target.id}/${action}`).expect(401);
    }
    const self = await as(app, admin).post(`/api/v1/users/${admin.id}/disable`).expect(409);
    expect(self.body.code).toBe('cannot_disable_self');
    await as(app, admin).post('/api/v1/users/00000000-0000-4000-8000-000000000000/disable').expect(404);
    await as(app, admin).get('/api/v1/auth/me').expect(200);
  });
});

describe('signing out and revoking a token close the streams they opened, at once', () => {
  it('sign-out', async () => {
    await waitSubscribed(api);
    const user = await createTestUser(deps.db);
    const investigation = await investigationWith(user);
    const open = await stream(`/investigations/${investigation}/jobs/events`, cookie(user));
    const other = await stream(`/investigations/${investigation}/jobs/events`, bearer(user));
    await as(app, user).post('/api/v1/auth/logout').expect(204);
    await open.ended(5_000);
    // The token's stream is another credential: it stays open.
    await expect(other.ended(500)).rejects.toThrow();
  });

  it('token revocation', async () => {
    const user = await createTestUser(deps.db);
    const investigation = await investigationWith(user);
    const open = await stream(`/investigations/${investigation}/jobs/events`, bearer(user));
    const [token] = await deps.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id));
    await as(app, user).delete(`/api/v1/auth/tokens/${token?.id}`).expect(204);
    await open.ended(5_000);
  });
});

describe('personal tokens expire by default', () => {
  it('a token created without an expiry gets 90 days; more is refused', async () => {
    const user = await createTestUser(deps.db);
    const created = await as(app, user).post('/api/v1/auth/tokens').send({ name: 'ci' }).expect(201);
    const days = (Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const refused = await as(app, user)
      .post('/api/v1/auth/tokens')
      .send({ name: 'forever', expiresInDays: 91 })
      .expect(400);
    expect(JSON.stringify(refused.body.errors)).toContain('at most 90');
    await as(app, user).post('/api/v1/auth/tokens').send({ name: 'short', expiresInDays: 7 }).expect(201);
  });

  it('a token stored without an expiry stops working 90 days after its creation', async () => {
    const user = await createTestUser(deps.db);
    await deps.db
      .update(apiTokens)
      .set({ expiresAt: null, createdAt: sql`now() - interval '89 days'` })
      .where(eq(apiTokens.userId, user.id));
    await request(serverOf(app)).get('/api/v1/auth/me').set(bearer(user)).expect(200);
    await deps.db
      .update(apiTokens)
      .set({ createdAt: sql`now() - interval '91 days'` })
      .where(eq(apiTokens.userId, user.id));
    await request(serverOf(app)).get('/api/v1/auth/me').set(bearer(user)).expect(401);
  });
});

describe('create-admin --reset', () => {
  it("ends the account's sessions and tokens", async () => {
    const user = await createTestUser(deps.db, { email: 'reset@example.test' });
    await as(app, user).get('/api/v1/auth/me').expect(200);
    const outcome = await bootstrapAdmin(deps.db, {
      email: 'reset@example.test',
      password: 'Vivid-otter-lantern-2049',
      reset: true,
    });
    expect(outcome).toMatchObject({ created: false, role: 'admin', sessionsEnded: 1, tokensRevoked: 1 });
    await as(app, user).get('/api/v1/auth/me').expect(401);
    await request(serverOf(app)).get('/api/v1/auth/me').set(bearer(user)).expect(401);
  });
});

describe('streams re-check their credential and membership on every heartbeat', async () => {
  const quick = await createTestApi({ SSE_HEARTBEAT_MS: '200' });
  const quickStream = await listening(quick.app);

  it('a removed member is refused on the next request and their open stream closes', async () => {
    const owner = await createTestUser(quick.deps.db);
    const member = await createTestUser(quick.deps.db);
    const investigation = await createInvestigationAs(quick.app, owner);
    await addMembers(quick, investigation, [{ user: member, role: 'viewer' }]);
    const open = await quickStream(`/investigations/${investigation}/jobs/events`, cookie(member));
    await as(quick.app, owner)
      .delete(`/api/v1/investigations/${investigation}/members/${member.id}`)
      .expect(204);
    await open.ended(5_000);
    await as(quick.app, member).get(`/api/v1/investigations/${investigation}`).expect(404);
    const left = await quick.deps.db.select().from(memberships).where(eq(memberships.userId, member.id));
    expect(left).toEqual([]);
  });

  it('a session ended outside the API (create-admin --reset) ends its stream at the next heartbeat', async () => {
    const user = await createTestUser(quick.deps.db, { email: 'reset-stream@example.test' });
    const owner = await createTestUser(quick.deps.db);
    const investigation = await createInvestigationAs(quick.app, owner);
    await addMembers(quick, investigation, [{ user, role: 'viewer' }]);
    const open = await quickStream(`/investigations/${investigation}/jobs/events`, cookie(user));
    await bootstrapAdmin(quick.deps.db, {
      email: 'reset-stream@example.test',
      password: 'Vivid-otter-lantern-2049',
      reset: true,
    });
    await open.ended(5_000);
  });
});
