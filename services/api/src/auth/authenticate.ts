import { apiTokens, sessions } from '@osint/db';
import { eq, sql } from 'drizzle-orm';
import type { RequestHandler, Response } from 'express';
import type { ApiDeps } from '../deps.js';
import { type MembershipRole, withMembership } from '../investigations/access.js';
import { AppError } from '../shared/errors.js';
import {
  hashToken,
  MAX_TOKEN_DAYS,
  PAT_SHAPE,
  readCookie,
  SESSION_TOKEN_SHAPE,
  sessionCookieOf,
} from './tokens.js';

export interface AuthUser {
  id: string;
  email: string;
  displayName: string;
  role: 'admin' | 'member';
}

/** Who is calling and how: `via` decides whether the CSRF check applies (cookies only). */
export interface AuthInfo {
  user: AuthUser;
  via: 'session' | 'token';
  /** sha256 of the session token (the sessions primary key), for logout. */
  sessionId: string | null;
  tokenId: string | null;
}

declare global {
  namespace Express {
    interface Request {
      /** Set by `authenticate` when the caller presented a valid session cookie or bearer token. */
      auth?: AuthInfo;
    }
  }
}

/** Writes to last_seen_at / last_used_at at most this often per session or token, to spare the database. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * The caller's role in the investigation the path names (parameter n; null for other paths), read in the same
 * statement as the credential: the membership check of a request inside an investigation costs no round
 * trip of its own (investigations/access.ts uses it). Read afresh on every request, so a removed member is
 * refused on their next one.
 */
const memberRole = (n: number) =>
  `(select m.role from memberships m where m.investigation_id = $${n}::uuid and m.user_id = u.id) as member_role`;

/** `/investigations/<uuid>…` below the API's mount point: the investigation a request acts inside. */
const INVESTIGATION_PATH =
  /^(?:\/api\/v1)?\/investigations\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

/**
 * The caller's look-ups, as named prepared statements in plain SQL: they run on every authenticated
 * request, and building them with Drizzle's query builder, sending them unnamed (parsed and planned on
 * every call) and mapping the rows cost ~0.5 ms of API CPU per request
 * (docs/performance.md#per-request-cpu). Same conditions as before: `$2` is the API's clock, and `stale`
 * says whether last_used_at / last_seen_at is older than TOUCH_INTERVAL_MS.
 */
const TOKEN_LOOKUP = `
  select u.id, u.email, u.display_name, u.role, t.id as token_id, ${memberRole(3)},
         (t.last_used_at is null or t.last_used_at < $2::timestamptz - interval '${TOUCH_INTERVAL_MS} milliseconds') as stale
  from api_tokens t join users u on u.id = t.user_id
  where t.token_hash = $1 and t.revoked_at is null
    and coalesce(t.expires_at, t.created_at + interval '${MAX_TOKEN_DAYS} days') > $2::timestamptz
    and u.disabled = false
  limit 1`;

const SESSION_LOOKUP = `
  select u.id, u.email, u.display_name, u.role, ${memberRole(4)},
         s.last_seen_at < $2::timestamptz - interval '${TOUCH_INTERVAL_MS} milliseconds' as stale
  from sessions s join users u on u.id = s.user_id
  where s.id = $1 and s.expires_at > $2::timestamptz and s.last_seen_at > $3::timestamptz
    and u.disabled = false
  limit 1`;

/** Whether a stream's credential still stands (no idle limit: an open stream is use). */
const TOKEN_STILL_VALID = `
  select 1 from api_tokens t join users u on u.id = t.user_id
  where t.id = $1 and t.revoked_at is null
    and coalesce(t.expires_at, t.created_at + interval '${MAX_TOKEN_DAYS} days') > now()
    and u.disabled = false`;
const SESSION_STILL_VALID = `
  select 1 from sessions s join users u on u.id = s.user_id
  where s.id = $1 and s.expires_at > now() and u.disabled = false`;

/**
 * Re-checks the credential a long-lived request (an event stream) authenticated with: false once the
 * session ended (sign-out, expiry, `create-admin --reset`), the token was revoked or expired, or the user
 * was disabled.
 */
export async function credentialStillValid(deps: Pick<ApiDeps, 'sql'>, auth: AuthInfo): Promise<boolean> {
  const [statement, id] = auth.tokenId
    ? [TOKEN_STILL_VALID, auth.tokenId]
    : [SESSION_STILL_VALID, auth.sessionId];
  if (!id) return false;
  const rows = await deps.sql.unsafe(statement, [id], { prepare: true });
  return rows.length > 0;
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: AuthUser['role'];
  stale: boolean;
  member_role: MembershipRole | null;
}
type TokenRow = UserRow & { token_id: string };
type SessionRow = UserRow;

export function clearSessionCookie(res: Response, cookie: { name: string; secure: boolean }): void {
  res.clearCookie(cookie.name, { httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/' });
}

/**
 * Resolves the caller from `Authorization: Bearer osint_pat_…` or the `osint_session` cookie. A bad bearer
 * token is a 401 (automation should fail loudly); a stale cookie just means "anonymous" and is cleared.
 * Disabled users, expired or idle sessions and revoked or expired tokens never authenticate.
 */
export function authenticate(deps: ApiDeps): RequestHandler {
  const sessionCookie = sessionCookieOf(deps.config);
  const idleMs = deps.config.SESSION_IDLE_HOURS * 3600_000;
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const token = match?.[1];
      if (!token || !PAT_SHAPE.test(token)) throw invalidToken();
      const now = new Date();
      const investigationId = INVESTIGATION_PATH.exec(req.path)?.[1] ?? null;
      const [row] = await deps.sql.unsafe<TokenRow[]>(
        TOKEN_LOOKUP,
        [hashToken(token), now.toISOString(), investigationId],
        { prepare: true },
      );
      if (!row) throw invalidToken();
      if (row.stale) {
        await deps.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token_id));
      }
      req.auth = { user: pickUser(row), via: 'token', sessionId: null, tokenId: row.token_id };
      return withMembership(row.id, investigationId, row.member_role, next);
    }

    const cookie = readCookie(req.get('cookie'), sessionCookie.name);
    if (cookie === undefined) return next();
    if (!SESSION_TOKEN_SHAPE.test(cookie)) {
      clearSessionCookie(res, sessionCookie);
      return next();
    }
    const id = hashToken(cookie);
    const now = new Date();
    const investigationId = INVESTIGATION_PATH.exec(req.path)?.[1] ?? null;
    const [row] = await deps.sql.unsafe<SessionRow[]>(
      SESSION_LOOKUP,
      [id, now.toISOString(), new Date(now.getTime() - idleMs).toISOString(), investigationId],
      { prepare: true },
    );
    if (!row) {
      clearSessionCookie(res, sessionCookie);
      return next();
    }
    if (row.stale) {
      await deps.db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
    }
    req.auth = { user: pickUser(row), via: 'session', sessionId: id, tokenId: null };
    withMembership(row.id, investigationId, row.member_role, next);
  };
}

function pickUser(row: UserRow): AuthUser {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role };
}

function invalidToken(): AppError {
  return new AppError(401, 'invalid_token', 'The bearer token is malformed, unknown, expired or revoked.');
}
