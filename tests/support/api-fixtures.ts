import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hash } from '@node-rs/argon2';
import { apiTokens, type Database, sessions, users } from '@osint/db';
import type { Express } from 'express';
import request from 'supertest';

/**
 * Test users, sessions and tokens written straight to the database, so API tests do not pay for a real
 * argon2 login per user. The hashes are genuine argon2id with tiny cost parameters (still verifiable by
 * the real login path); the login tests create their users with production parameters instead.
 */
export const TEST_PASSWORD = 'correct horse battery staple';

let cheapHash: Promise<string> | undefined;
function cheapPasswordHash(): Promise<string> {
  cheapHash ??= hash(TEST_PASSWORD, { memoryCost: 1024, timeCost: 1, parallelism: 1 });
  return cheapHash;
}

export interface TestUser {
  id: string;
  email: string;
  role: 'admin' | 'member';
  /** Raw session token: send as `Cookie: osint_session=<token>`. */
  sessionToken: string;
  /** Raw personal API token: send as `Authorization: Bearer <token>`. */
  apiToken: string;
}

let counter = 0;

export async function createTestUser(
  db: Database,
  options: { email?: string; role?: 'admin' | 'member'; disabled?: boolean; passwordHash?: string } = {},
): Promise<TestUser> {
  counter += 1;
  const email = options.email ?? `user${counter}-${randomBytes(3).toString('hex')}@example.test`;
  const [user] = await db
    .insert(users)
    .values({
      email,
      displayName: email.split('@')[0] ?? 'user',
      passwordHash: options.passwordHash ?? (await cheapPasswordHash()),
      role: options.role ?? 'member',
      disabled: options.disabled ?? false,
    })
    .returning();
  if (!user) throw new Error('user insert returned nothing');
  const sessionToken = randomBytes(32).toString('base64url');
  await db.insert(sessions).values({
    id: sha256(sessionToken),
    userId: user.id,
    expiresAt: new Date(Date.now() + 3600_000),
  });
  const apiToken = `osint_pat_${randomBytes(32).toString('base64url')}`;
  await db
    .insert(apiTokens)
    .values({ userId: user.id, name: 'test', tokenHash: sha256(apiToken), prefix: apiToken.slice(0, 16) });
  return { id: user.id, email, role: user.role, sessionToken, apiToken };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Listening servers of the apps `createTestApi` builds (tests/support/api.ts). Given an Express app,
 * Supertest creates an HTTP server, listens, sends one request and closes the server again, for every
 * request; given a listening server it only sends the request. A file's hundreds of requests then cost a
 * connection each instead of a server each (about a third of a small request's CPU).
 */
const listening = new WeakMap<Express, Server>();

export function registerServer(app: Express, server: Server): void {
  listening.set(app, server);
}

/** What Supertest should send `app`'s requests to: its listening server if it has one, else the app. */
export function serverOf(app: Express): Express | Server {
  return listening.get(app) ?? app;
}

/** The Origin Supertest requests appear to come from (Supertest's Host is 127.0.0.1:<port>). */
export type Auth = { kind: 'session' | 'token'; user: TestUser } | { kind: 'anonymous' };

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * A Supertest request as `auth`: session cookie plus a same-origin `Sec-Fetch-Site` (as a browser on the
 * site would send), or a bearer token, or nothing.
 */
export function call(app: Express, auth: Auth, method: Method, url: string): request.Test {
  const req = request(serverOf(app))[method](url);
  if (auth.kind === 'session') {
    req.set('Cookie', `osint_session=${auth.user.sessionToken}`).set('Sec-Fetch-Site', 'same-origin');
  } else if (auth.kind === 'token') {
    req.set('Authorization', `Bearer ${auth.user.apiToken}`);
  }
  return req;
}

/** Shorthand: act as a user through the session cookie (the browser path). */
export function as(app: Express, user: TestUser | null) {
  const auth: Auth = user ? { kind: 'session', user } : { kind: 'anonymous' };
  return {
    get: (url: string) => call(app, auth, 'get', url),
    post: (url: string) => call(app, auth, 'post', url),
    patch: (url: string) => call(app, auth, 'patch', url),
    put: (url: string) => call(app, auth, 'put', url),
    delete: (url: string) => call(app, auth, 'delete', url),
  };
}
