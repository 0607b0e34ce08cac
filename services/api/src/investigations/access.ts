import { AsyncLocalStorage } from 'node:async_hooks';
import { type Database, type DbOrTx, memberships, type Transaction } from '@osint/db';
import type { Actor } from '@osint/writes';
import { and, eq } from 'drizzle-orm';
import type { AuthUser } from '../auth/authenticate.js';
import { ForbiddenError, NotFoundError } from '../shared/errors.js';

export type MembershipRole = 'owner' | 'editor' | 'viewer';

/** viewer reads, editor writes, owner manages members and deletes (issue 3's access matrix). */
const RANK: Record<MembershipRole, number> = { viewer: 1, editor: 2, owner: 3 };

const VERB: Record<MembershipRole, string> = {
  viewer: 'read',
  editor: 'change',
  owner: 'manage',
};

interface KnownMembership {
  userId: string;
  investigationId: string;
  role: MembershipRole | null;
  /** Spent by the first check: later ones (a stream's re-checks on its heartbeat) read afresh. */
  used: boolean;
}

/** The caller's membership in the request's investigation, as read by authenticate with the credential. */
const knownMembership = new AsyncLocalStorage<KnownMembership>();

/**
 * Runs the rest of the request (`next`) knowing the caller's role in the investigation its path names
 * (null: not a member), so the request's first requireRole needs no query of its own. Read on this
 * request, used once, never cached across requests.
 */
export function withMembership(
  userId: string,
  investigationId: string | null,
  role: MembershipRole | null,
  next: () => void,
): void {
  if (investigationId === null) {
    next();
    return;
  }
  knownMembership.run({ userId, investigationId, role, used: false }, next);
}

/**
 * The one authorisation check for anything inside an investigation. A user who is not a member gets the
 * same 404 as for an investigation that does not exist, so ids cannot be probed; a member whose role is
 * too low gets 403 (they already know it exists). Global admins get no implicit access (docs/decisions/
 * 0006-auth-and-sessions.md). Pass the transaction when the check guards a write.
 */
export async function requireRole(
  db: DbOrTx,
  userId: string,
  investigationId: string,
  minimum: MembershipRole,
): Promise<MembershipRole> {
  const known = knownMembership.getStore();
  // The role authenticate read with the credential, for this request's investigation, once: the request's
  // own check. A transaction (a check guarding a write) and any later check (an event stream's heartbeat
  // re-check runs in the same async context) read their own.
  const useKnown =
    known !== undefined &&
    !known.used &&
    known.userId === userId &&
    known.investigationId === investigationId &&
    !('rollback' in db);
  if (known) known.used = true;
  const role = useKnown && known ? known.role : await memberRole(db, userId, investigationId);
  if (!role) throw new NotFoundError('investigation');
  requireAtLeast(role, minimum);
  return role;
}

/**
 * Runs `work` in one transaction once {@link requireRole} has passed inside it, so the check and what the
 * actor changes see the same membership: how a service changes anything inside an investigation.
 */
export function transactionAs<T>(
  db: Database,
  actor: Actor,
  investigationId: string,
  minimum: MembershipRole,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await requireRole(tx, actor.userId, investigationId, minimum);
    return work(tx);
  });
}

/** The user's role in the investigation, or null when they are not a member. */
async function memberRole(
  db: DbOrTx,
  userId: string,
  investigationId: string,
): Promise<MembershipRole | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.investigationId, investigationId), eq(memberships.userId, userId)))
    .limit(1);
  return row?.role ?? null;
}

/** 403 for a member whose role is below `minimum` (they already know the investigation exists). */
function requireAtLeast(role: MembershipRole, minimum: MembershipRole): void {
  if (RANK[role] < RANK[minimum]) {
    throw new ForbiddenError(
      `Your role (${role}) does not allow you to ${VERB[minimum]} this investigation.`,
    );
  }
}

/**
 * Whether `user` may see a job, and how much of it: members of its investigation (any role) see all of it;
 * administrators see platform jobs (no investigation) whole and other investigations' jobs without their
 * content (`contentVisible: false`; ADR 0006: administrators run the platform, they do not read
 * investigations); anyone else gets the same 404 (`job`) as for a job that does not exist.
 */
export async function jobAccess(
  db: DbOrTx,
  user: Pick<AuthUser, 'id' | 'role'>,
  job: { investigationId: string | null },
): Promise<{ contentVisible: boolean }> {
  if (job.investigationId && (await memberRole(db, user.id, job.investigationId))) {
    return { contentVisible: true };
  }
  if (user.role !== 'admin') throw new NotFoundError('job');
  return { contentVisible: !job.investigationId };
}

/**
 * Whether `user` may cancel a job: editors (and owners) of its investigation; a viewer gets 403. An
 * administrator who is not a member gets 403 for an investigation's job (they may read its status, so its
 * existence is no secret, but not change it) and may cancel platform jobs; anyone else gets 404 (`job`).
 * Pass the transaction that locked the job row.
 */
export async function requireJobCancel(
  db: DbOrTx,
  user: Pick<AuthUser, 'id' | 'role'>,
  job: { investigationId: string | null },
): Promise<void> {
  if (!job.investigationId) {
    if (user.role !== 'admin') throw new NotFoundError('job');
    return;
  }
  const role = await memberRole(db, user.id, job.investigationId);
  if (!role) {
    if (user.role === 'admin')
      throw new ForbiddenError('Only editors of the investigation may cancel its jobs.');
    throw new NotFoundError('job');
  }
  requireAtLeast(role, 'editor');
}
