import { createHash } from 'node:crypto';
import { closeDeps, createApp, createDeps } from '@osint/api';
import { apiTokens, sessions, users } from '@osint/db';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../services/api/src/auth/password.js';
import { createTestApi } from '../support/api.js';
import { as, createTestUser, serverOf } from '../support/api-fixtures.js';

// Behind one proxy (as in Compose and Kubernetes), which tells the API each caller's address.
const api = await createTestApi({
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
  LOGIN_MAX_FAILURES_PER_IP: '8',
  TRUST_PROXY_HOPS: '1',
});
const { app, deps } = api;

const PASSWORD = 'a long and unusual passphrase 42';
/** A real argon2id hash with production parameters: this file exercises the genuine login path. */
const realHash = await hashPassword(PASSWORD);

async function userWithPassword(email: string, extra: { disabled?: boolean } = {}) {
  return createTestUser(deps.db, { email, passwordHash: realHash, ...extra });
}

function login(email: string, password: string, ip = '10.0.0.1') {
  return request(serverOf(app))
    .post('/api/v1/auth/login')
    .set('X-Forwarded-For', ip)
    .send({ email, password });
}

function cookieFrom(res: request.Response): string {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = raw?.find((c) => c.startsWith('osint_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

describe('login', () => {
  it('stores argon2id hashes with the stated parameters', () => {
    expect(realHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('signs in with email (any case) and password, sets a hardened cookie, and /auth/me answers', async () => {
    await userWithPassword('Alice@Example.test');
    const res = await login('alice@example.TEST', PASSWORD).expect(200);
    expect(res.body.user.email).toBe('Alice@Example.test');
    const cookie = cookieFrom(res);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // NODE_ENV=test; production adds Secure
    const token = /^osint_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the SHA-256 of the token is stored.
    const stored = await deps.db.select().from(sessions);
    expect(stored.some((s) => s.id === createHash('sha256').update(token).digest('hex'))).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(token);

    const me = await request(serverOf(app))
      .get('/api/v1/auth/me')
      .set('Cookie', `osint_session=${token}`)
      .expect(200);
    expect(me.body).toMatchObject({
      user: { email: 'Alice@Example.test', role: 'member' },
      authenticatedBy: 'session',
    });
    expect(JSON.stringify(me.body)).not.toContain('argon2');

    await request(serverOf(app))
      .post('/api/v1/auth/logout')
      .set('Cookie', `osint_session=${token}`)
      .set('Origin', 'http://127.0.0.1')
      .set('Host', '127.0.0.1')
      .expect(204);
    await request(serverOf(app)).get('/api/v1/auth/me').set('Cookie', `osint_session=${token}`).expect(401);
  });

  it('answers the same 401 for a wrong password, an unknown email and a disabled account', async () => {
    await userWithPassword('bob@example.test');
    await userWithPassword('carol@example.test', { disabled: true });
    const wrong = await login('bob@example.test', 'not the password at all', '10.0.1.1').expect(401);
    const unknown = await login('nobody@example.test', PASSWORD, '10.0.1.2').expect(401);
    const disabled = await login('carol@example.test', PASSWORD, '10.0.1.3').expect(401);
    for (const res of [wrong, unknown, disabled]) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('invalid_credentials');
      expect(res.body.detail).toBe(wrong.body.detail);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('a disabled user loses existing sessions and tokens at once', async () => {
    const user = await createTestUser(deps.db);
    await as(app, user).get('/api/v1/auth/me').expect(200);
    await deps.db.update(users).set({ disabled: true }).where(eq(users.id, user.id));
    await as(app, user).get('/api/v1/auth/me').expect(401);
    await request(serverOf(app))
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${user.apiToken}`)
      .expect(401);
  });

  it('throttles failures per account: 429 problem+json with Retry-After, even for the right password', async () => {
    await userWithPassword('dave@example.test');
    for (let i = 0; i < 3; i++)
      await login('dave@example.test', 'wrong wrong wrong', `10.0.2.${i}`).expect(401);
    const blocked = await login('dave@example.test', PASSWORD, '10.0.2.99').expect(429);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.body.code).toBe('too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('throttles failures per IP across accounts', async () => {
    const ip = '10.0.3.1';
    let status = 0;
    for (let i = 0; i < 10 && status !== 429; i++) {
      status = (await login(`spray${i}@example.test`, 'guess guess guess', ip)).status;
    }
    expect(status).toBe(429);
    // Another address is unaffected.
    await login('spray0@example.test', 'guess guess guess', '10.0.3.2').expect(401);
  });

  it('keeps working (and throttling per process) when Redis is down', async () => {
    await userWithPassword('frank@example.test');
    const broken = createDeps(
      { ...deps.config, REDIS_URL: 'redis://127.0.0.1:1', LOGIN_MAX_FAILURES_PER_ACCOUNT: 2 },
      deps.logger,
    );
    try {
      const brokenApp = createApp(broken);
      const attempt = (password: string) =>
        request(brokenApp).post('/api/v1/auth/login').send({ email: 'frank@example.test', password });
      await attempt(PASSWORD).expect(200);
      await attempt('wrong wrong wrong').expect(401);
      await attempt('wrong wrong wrong').expect(401);
      await attempt(PASSWORD).expect(429);
    } finally {
      await closeDeps(broken);
    }
  });

  it('production: the cookie is __Host-osint_session (Secure, Path=/, no Domain); the plain name is not read', async () => {
    await userWithPassword('hosted@example.test');
    const production = createDeps({ ...deps.config, NODE_ENV: 'production' }, deps.logger);
    try {
      const prodApp = createApp(production);
      const res = await request(prodApp)
        .post('/api/v1/auth/login')
        .send({ email: 'hosted@example.test', password: PASSWORD })
        .expect(200);
      const raw = res.headers['set-cookie'] as unknown as string[];
      const cookie = raw.find((c) => c.startsWith('__Host-osint_session=')) ?? '';
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*Path=\/(;|$)/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(raw.some((c) => c.startsWith('osint_session='))).toBe(false);
      const token = /^__Host-osint_session=([^;]+)/.exec(cookie)?.[1] ?? '';
      await request(prodApp)
        .get('/api/v1/auth/me')
        .set('Cookie', `__Host-osint_session=${token}`)
        .expect(200);
      // A cookie without the prefix could have been planted by a sibling subdomain or over http.
      await request(prodApp).get('/api/v1/auth/me').set('Cookie', `osint_session=${token}`).expect(401);
    } finally {
      await closeDeps(production);
    }
  });

  it('validates the body and names every bad field', async () => {
    const res = await request(serverOf(app))
      .post('/api/v1/auth/login')
      .send({ email: 'nope', password: 5, extra: 1 })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'email',
      'extra',
      'password',
    ]);
  });

  it('refuses a cross-site login form (login CSRF)', async () => {
    await userWithPassword('erin@example.test');
    const res = await request(serverOf(app))
      .post('/api/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .send({ email: 'erin@example.test', password: PASSWORD })
      .expect(403);
    expect(res.body.code).toBe('csrf_rejected');
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  const body = { title: 'CSRF probe' };

  it('rejects a cookie write with no origin evidence', async () => {
    const user = await createTestUser(deps.db);
    const res = await request(serverOf(app))
      .post('/api/v1/investigations')
      .set('Cookie', `osint_session=${user.sessionToken}`)
      .send(body)
      .expect(403);
    expect(res.body.code).toBe('csrf_rejected');
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it.each([
    ['a foreign Origin', { Origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'Sec-Fetch-Site': 'same-site' }],
    ['a foreign Referer', { Referer: 'https://evil.example/page' }],
    ['Origin: null', { Origin: 'null' }],
  ])('rejects %s', async (_name, headers) => {
    const user = await createTestUser(deps.db);
    const res = await request(serverOf(app))
      .post('/api/v1/investigations')
      .set('Cookie', `osint_session=${user.sessionToken}`)
      .set(headers)
      .send(body)
      .expect(403);
    expect(res.body.code).toBe('csrf_rejected');
  });

  it.each([
    ['Sec-Fetch-Site: same-origin', { 'Sec-Fetch-Site': 'same-origin' }],
    ['an Origin equal to the host', { Origin: 'https://osint.example', Host: 'osint.example' }],
    ['a Referer on the host', { Referer: 'https://osint.example/app', Host: 'osint.example' }],
  ])('accepts %s', async (_name, headers) => {
    const user = await createTestUser(deps.db);
    await request(serverOf(app))
      .post('/api/v1/investigations')
      .set('Cookie', `osint_session=${user.sessionToken}`)
      .set(headers)
      .send(body)
      .expect(201);
  });

  it('exempts bearer tokens (browsers never attach them by themselves)', async () => {
    const user = await createTestUser(deps.db);
    await request(serverOf(app))
      .post('/api/v1/investigations')
      .set('Authorization', `Bearer ${user.apiToken}`)
      .set('Origin', 'https://evil.example')
      .send(body)
      .expect(201);
  });

  it('does not apply to reads', async () => {
    const user = await createTestUser(deps.db);
    await request(serverOf(app))
      .get('/api/v1/investigations')
      .set('Cookie', `osint_session=${user.sessionToken}`)
      .set('Origin', 'https://evil.example')
      .expect(200);
  });
});

describe('personal API tokens', () => {
  it('are shown once, stored hashed, listed without secret, and stop working when revoked', async () => {
    const user = await createTestUser(deps.db);
    const created = await as(app, user)
      .post('/api/v1/auth/tokens')
      .send({ name: 'ci', expiresInDays: 30 })
      .expect(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^osint_pat_[A-Za-z0-9_-]{43}$/);
    const [row] = await deps.db.select().from(apiTokens).where(eq(apiTokens.id, created.body.id));
    expect(row?.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);

    const me = await request(serverOf(app))
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(me.body.authenticatedBy).toBe('token');

    const list = await as(app, user).get('/api/v1/auth/tokens').expect(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body.items[0]).not.toHaveProperty('token');

    await as(app, user).delete(`/api/v1/auth/tokens/${created.body.id}`).expect(204);
    const after = await request(serverOf(app))
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    expect(after.body.code).toBe('invalid_token');
  });

  it('cannot be minted with a token, and cannot revoke someone else’s', async () => {
    const [a, b] = await Promise.all([createTestUser(deps.db), createTestUser(deps.db)]);
    await request(serverOf(app))
      .post('/api/v1/auth/tokens')
      .set('Authorization', `Bearer ${a.apiToken}`)
      .send({ name: 'nested' })
      .expect(403);
    const created = await as(app, a).post('/api/v1/auth/tokens').send({ name: 'mine' }).expect(201);
    await as(app, b).delete(`/api/v1/auth/tokens/${created.body.id}`).expect(404);
  });

  it('malformed bearer tokens are 401, never a fallback to the cookie', async () => {
    const user = await createTestUser(deps.db);
    for (const header of ['Bearer', 'Bearer nope', 'Basic abc', `Bearer osint_pat_${'x'.repeat(43)}`]) {
      const res = await request(serverOf(app))
        .get('/api/v1/auth/me')
        .set('Authorization', header)
        .set('Cookie', `osint_session=${user.sessionToken}`)
        .expect(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });

  it('expired sessions are anonymous and the cookie is cleared', async () => {
    const user = await createTestUser(deps.db);
    const id = createHash('sha256').update(user.sessionToken).digest('hex');
    await deps.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, id));
    const res = await as(app, user).get('/api/v1/auth/me').expect(401);
    expect(String(res.headers['set-cookie'])).toMatch(/osint_session=;/);
  });
});

describe('who is calling: the per-request look-ups', () => {
  it('a token records its use at most once a minute, and expired tokens are refused', async () => {
    const user = await createTestUser(deps.db);
    const hash = createHash('sha256').update(user.apiToken).digest('hex');
    const lastUsed = async () =>
      (await deps.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)))[0]?.lastUsedAt;
    await deps.db.update(apiTokens).set({ lastUsedAt: null }).where(eq(apiTokens.tokenHash, hash));
    await request(serverOf(app))
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${user.apiToken}`)
      .expect(200);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await request(serverOf(app))
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${user.apiToken}`)
      .expect(200);
    expect(await lastUsed()).toEqual(first);
    const old = new Date(Date.now() - 61_000);
    await deps.db.update(apiTokens).set({ lastUsedAt: old }).where(eq(apiTokens.tokenHash, hash));
    await request(serverOf(app))
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${user.apiToken}`)
      .expect(200);
    expect((await lastUsed())?.getTime()).toBeGreaterThan(old.getTime());

    await deps.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.tokenHash, hash));
    await request(serverOf(app))
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${user.apiToken}`)
      .expect(401);
  });

  it('a session idle longer than SESSION_IDLE_HOURS is anonymous; a used one is kept alive', async () => {
    const user = await createTestUser(deps.db);
    const id = createHash('sha256').update(user.sessionToken).digest('hex');
    const lastSeen = async () =>
      (await deps.db.select().from(sessions).where(eq(sessions.id, id)))[0]?.lastSeenAt as Date;
    const minutesAgo = new Date(Date.now() - 5 * 60_000);
    await deps.db.update(sessions).set({ lastSeenAt: minutesAgo }).where(eq(sessions.id, id));
    await as(app, user).get('/api/v1/auth/me').expect(200);
    expect((await lastSeen()).getTime()).toBeGreaterThan(minutesAgo.getTime());

    const idle = new Date(Date.now() - (deps.config.SESSION_IDLE_HOURS * 3600 + 60) * 1000);
    await deps.db.update(sessions).set({ lastSeenAt: idle }).where(eq(sessions.id, id));
    const res = await as(app, user).get('/api/v1/auth/me').expect(401);
    expect(String(res.headers['set-cookie'])).toMatch(/osint_session=;/);
  });
});

describe('admin-only endpoints', () => {
  it('the global audit log and diagnostics are for administrators', async () => {
    const [member, admin] = await Promise.all([
      createTestUser(deps.db),
      createTestUser(deps.db, { role: 'admin' }),
    ]);
    await as(app, member).get('/api/v1/audit').expect(403);
    await as(app, member).post('/api/v1/diagnostics/jobs').expect(403);
    await request(serverOf(app)).get('/api/v1/audit').expect(401);
    const audit = await as(app, admin).get('/api/v1/audit?limit=5').expect(200);
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.body)).not.toMatch(
      /argon2|osint_pat_[A-Za-z0-9_-]{43}|tokenHash|passwordHash/,
    );
  });
});
