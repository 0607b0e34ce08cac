import { apiTokens, sessions, users } from '@osint/db';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { RequestHandler, Response } from 'express';
import type { ApiDeps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { hashToken, PAT_SHAPE, readCookie, SESSION_COOKIE, SESSION_TOKEN_SHAPE } from './tokens.js';

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

const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
};

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/**
 * Resolves the caller from `Authorization: Bearer osint_pat_…` or the `osint_session` cookie. A bad bearer
 * token is a 401 (automation should fail loudly); a stale cookie just means "anonymous" and is cleared.
 * Disabled users, expired or idle sessions and revoked or expired tokens never authenticate.
 */
export function authenticate(deps: ApiDeps): RequestHandler {
  const secure = deps.config.NODE_ENV === 'production';
  const idleMs = deps.config.SESSION_IDLE_HOURS * 3600_000;
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const token = match?.[1];
      if (!token || !PAT_SHAPE.test(token)) throw invalidToken();
      const now = new Date();
      const [row] = await deps.db
        .select({ ...userColumns, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(
          and(
            eq(apiTokens.tokenHash, hashToken(token)),
            isNull(apiTokens.revokedAt),
            or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
            eq(users.disabled, false),
          ),
        )
        .limit(1);
      if (!row) throw invalidToken();
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
        await deps.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
      }
      req.auth = { user: pickUser(row), via: 'token', sessionId: null, tokenId: row.tokenId };
      return next();
    }

    const cookie = readCookie(req.get('cookie'), SESSION_COOKIE);
    if (cookie === undefined) return next();
    if (!SESSION_TOKEN_SHAPE.test(cookie)) {
      clearSessionCookie(res, secure);
      return next();
    }
    const id = hashToken(cookie);
    const now = new Date();
    const [row] = await deps.db
      .select({ ...userColumns, lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.id, id),
          gt(sessions.expiresAt, now),
          gt(sessions.lastSeenAt, new Date(now.getTime() - idleMs)),
          eq(users.disabled, false),
        ),
      )
      .limit(1);
    if (!row) {
      clearSessionCookie(res, secure);
      return next();
    }
    if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await deps.db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
    }
    req.auth = { user: pickUser(row), via: 'session', sessionId: id, tokenId: null };
    next();
  };
}

function pickUser(row: AuthUser): AuthUser {
  return { id: row.id, email: row.email, displayName: row.displayName, role: row.role };
}

function invalidToken(): AppError {
  return new AppError(401, 'invalid_token', 'The bearer token is malformed, unknown, expired or revoked.');
}
