import { isIP } from 'node:net';
import { apiTokens, type Database, type DbOrTx, sessions, users } from '@osint/db';
import { type Actor, recordAudit } from '@osint/writes';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { ApiDeps } from '../deps.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { newestFirst, type Page } from '../shared/pagination.js';
import type { AuthUser } from './authenticate.js';
import { verifyPassword } from './password.js';
import { hashToken, MAX_TOKEN_DAYS, newPersonalToken, randomToken } from './tokens.js';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export function presentToken(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function presentUser(user: AuthUser) {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

export async function findUserByEmail(db: DbOrTx, email: string) {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
  return row;
}

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  userAgent: string | undefined;
  requestId: string;
}

/**
 * Verifies credentials and opens a session. Every failure answers the same 401 whether the account is
 * unknown, disabled or the password wrong, and costs the same argon2 work; failures count towards the
 * per-account and per-IP throttle. Returns the cookie value, which is never stored.
 */
export async function login(
  deps: ApiDeps,
  input: LoginInput,
): Promise<{ user: AuthUser; token: string; expiresAt: Date }> {
  await deps.loginThrottle.check(input.email, input.ip);
  const row = await findUserByEmail(deps.db, input.email);
  const passwordOk = await verifyPassword(row?.passwordHash, input.password);
  if (!row || !passwordOk || row.disabled) {
    await deps.loginThrottle.failed(input.email, input.ip);
    if (row) {
      await recordAudit(
        deps.db,
        { userId: row.id, requestId: input.requestId },
        {
          action: 'auth.login_failed',
          objectType: 'user',
          objectId: row.id,
          investigationId: null,
          after: { reason: row.disabled && passwordOk ? 'disabled' : 'bad_password', ip: input.ip },
        },
      );
    }
    throw new AppError(
      401,
      'invalid_credentials',
      'The email or password is wrong, or the account is disabled.',
    );
  }
  await deps.loginThrottle.succeeded(input.email);
  const token = randomToken();
  const expiresAt = new Date(Date.now() + deps.config.SESSION_TTL_HOURS * 3600_000);
  const user: AuthUser = { id: row.id, email: row.email, displayName: row.displayName, role: row.role };
  await deps.db.transaction(async (tx) => {
    await tx.insert(sessions).values({
      id: hashToken(token),
      userId: row.id,
      expiresAt,
      // req.ip comes from X-Forwarded-For behind a trusted proxy; store it only if it is an address.
      ip: isIP(input.ip) ? input.ip : null,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
    });
    await recordAudit(
      tx,
      { userId: row.id, requestId: input.requestId },
      {
        action: 'auth.login',
        objectType: 'user',
        objectId: row.id,
        investigationId: null,
        after: { ip: input.ip, expiresAt },
      },
    );
  });
  return { user, token, expiresAt };
}

/** Ends the caller's session (a no-op for bearer tokens, which are revoked instead). */
export async function logout(db: Database, actor: Actor, sessionId: string | null): Promise<void> {
  if (!sessionId) return;
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(sessions)
      .where(eq(sessions.id, sessionId))
      .returning({ id: sessions.id });
    if (deleted.length === 0) return;
    await recordAudit(tx, actor, {
      action: 'auth.logout',
      objectType: 'user',
      objectId: actor.userId,
      investigationId: null,
    });
  });
}

export async function createToken(
  db: Database,
  actor: Actor,
  input: { name: string; expiresInDays?: number | undefined },
): Promise<{ row: ApiTokenRow; token: string }> {
  const { token, hash, prefix } = newPersonalToken();
  // Every token expires: MAX_TOKEN_DAYS unless the caller asks for less (the schema refuses more).
  const expiresAt = new Date(Date.now() + (input.expiresInDays ?? MAX_TOKEN_DAYS) * 86_400_000);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId: actor.userId, name: input.name, tokenHash: hash, prefix, expiresAt })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'api_token.create',
      objectType: 'api_token',
      objectId: row.id,
      investigationId: null,
      after: presentToken(row),
    });
    return { row, token };
  });
}

export async function listTokens(
  deps: ApiDeps,
  userId: string,
  query: { cursor?: string | undefined; limit: number },
): Promise<Page<ReturnType<typeof presentToken>>> {
  const list = newestFirst(deps.cursors, `tokens:${userId}`, query, apiTokens.createdAt, apiTokens.id);
  const rows = await list.fetch(
    deps.db.select({ token: apiTokens, t: list.time }).from(apiTokens).$dynamic(),
    eq(apiTokens.userId, userId),
  );
  return list.page(
    rows,
    (r) => presentToken(r.token),
    (r) => r.token.id,
  );
}

/** Revokes one of the caller's tokens; someone else's token is indistinguishable from a missing one. */
export async function revokeToken(db: Database, actor: Actor, tokenId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, actor.userId)))
      .for('update')
      .limit(1);
    if (!before) throw new NotFoundError('token');
    if (before.revokedAt) return;
    const [after] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiTokens.id, tokenId))
      .returning();
    await recordAudit(tx, actor, {
      action: 'api_token.revoke',
      objectType: 'api_token',
      objectId: tokenId,
      investigationId: null,
      before: presentToken(before),
      after: after ? presentToken(after) : null,
    });
  });
}

/**
 * Ends every way `userId` is signed in, inside the caller's transaction: deletes their sessions and revokes
 * their live tokens. Returns how many of each, for the audit event. The caller announces the revocation
 * to open event streams after committing (auth/revocation.ts).
 */
export async function endAllCredentials(
  tx: DbOrTx,
  userId: string,
): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  const ended = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return { sessionsEnded: ended.length, tokensRevoked: revoked.length };
}

/** What an administrator sees of an account they disabled or re-enabled. */
export function presentAccount(row: typeof users.$inferSelect) {
  return { ...presentUser(row), disabled: row.disabled };
}

/**
 * An administrator disables (or re-enables) an account. Disabling ends its sessions and revokes its tokens
 * in the same transaction, so every request after the commit is refused, and re-enabling gives none of
 * them back (the user signs in again). An administrator cannot disable themselves (nobody could undo a
 * mistake with the last admin account). Writes `user.disable` / `user.enable` with ids and counts only.
 */
export async function setAccountDisabled(
  db: Database,
  actor: Actor,
  userId: string,
  disabled: boolean,
): Promise<ReturnType<typeof presentAccount>> {
  if (disabled && userId === actor.userId) {
    throw new AppError(409, 'cannot_disable_self', 'You cannot disable your own account.');
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update').limit(1);
    if (!before) throw new NotFoundError('user');
    const [after] = await tx
      .update(users)
      .set({ disabled, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning();
    if (!after) throw new Error('update returned no row');
    const ended = disabled ? await endAllCredentials(tx, userId) : null;
    await recordAudit(tx, actor, {
      action: disabled ? 'user.disable' : 'user.enable',
      objectType: 'user',
      objectId: userId,
      investigationId: null,
      before: { disabled: before.disabled },
      after: { disabled: after.disabled, ...ended },
    });
    return presentAccount(after);
  });
}
