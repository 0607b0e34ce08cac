/**
 * The client address sessions, audit events and the per-address login throttle record comes from the
 * connection, or from exactly TRUST_PROXY_HOPS proxies in front (docs/operations.md#client-addresses): a
 * client that sends its own X-Forwarded-For picks nothing.
 */
import { auditEvents, sessions } from '@osint/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../services/api/src/auth/password.js';
import { createTestApi, type TestApi } from '../support/api.js';
import { createTestUser, serverOf } from '../support/api-fixtures.js';

const PASSWORD = 'a long and unusual passphrase 42';
const hash = await hashPassword(PASSWORD);
const SPOOFED = '203.0.113.66';

/** The address the API stored for a sign-in: the session row's and the login audit event's. */
async function recordedAddresses(api: TestApi, userId: string) {
  // The fixture's own session has no address; the one the sign-in opened has.
  const [session] = await api.deps.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNotNull(sessions.ip)));
  const [event] = await api.deps.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.objectId, userId), eq(auditEvents.action, 'auth.login')));
  return { session: session?.ip, audit: (event?.after as { ip?: string } | null)?.ip };
}

describe('no proxy configured (TRUST_PROXY_HOPS=0, the default)', async () => {
  const api = await createTestApi({ LOGIN_MAX_FAILURES_PER_IP: '4', LOGIN_MAX_FAILURES_PER_ACCOUNT: '50' });
  const login = (email: string, password: string, forwardedFor: string) =>
    request(serverOf(api.app))
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email, password });

  it('ignores a spoofed X-Forwarded-For in the session and the audit event', async () => {
    const user = await createTestUser(api.deps.db, { email: 'spoof@example.test', passwordHash: hash });
    await login('spoof@example.test', PASSWORD, SPOOFED).expect(200);
    const recorded = await recordedAddresses(api, user.id);
    expect(recorded.session).not.toBe(SPOOFED);
    expect(recorded.audit).not.toBe(SPOOFED);
    expect(recorded.session).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(recorded.audit).toBe(recorded.session);
  });

  it('the per-address throttle counts the connection, whatever address each attempt claims', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await login(`guess${i}@example.test`, 'wrong wrong wrong', `198.51.100.${i}`)).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('one proxy hop (TRUST_PROXY_HOPS=1, the shipped nginx)', async () => {
  const api = await createTestApi({ TRUST_PROXY_HOPS: '1' });

  it("believes only the proxy's own entry: a client-supplied one in front of it is ignored", async () => {
    const user = await createTestUser(api.deps.db, { email: 'hop@example.test', passwordHash: hash });
    // What an appending proxy would forward for a client that sent `X-Forwarded-For: 203.0.113.66`.
    await request(serverOf(api.app))
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', `${SPOOFED}, 10.20.30.40`)
      .send({ email: 'hop@example.test', password: PASSWORD })
      .expect(200);
    expect(await recordedAddresses(api, user.id)).toEqual({ session: '10.20.30.40', audit: '10.20.30.40' });
  });
});
