import { type DbOrTx, memberships } from '@osint/db';
import { and, eq } from 'drizzle-orm';
import { ForbiddenError, NotFoundError } from '../http/errors.js';

export type MembershipRole = 'owner' | 'editor' | 'viewer';

/** viewer reads, editor writes, owner manages members and deletes (issue 3's access matrix). */
const RANK: Record<MembershipRole, number> = { viewer: 1, editor: 2, owner: 3 };

const VERB: Record<MembershipRole, string> = {
  viewer: 'read',
  editor: 'change',
  owner: 'manage',
};

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
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.investigationId, investigationId), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw new NotFoundError('investigation');
  if (RANK[row.role] < RANK[minimum]) {
    throw new ForbiddenError(
      `Your role (${row.role}) does not allow you to ${VERB[minimum]} this investigation.`,
    );
  }
  return row.role;
}

export function roleAtLeast(role: MembershipRole, minimum: MembershipRole): boolean {
  return RANK[role] >= RANK[minimum];
}
