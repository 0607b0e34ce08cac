import { type Database, type DbOrTx, investigations, isoMillis, memberships, users } from '@osint/db';
import { type Actor, recordAudit } from '@osint/writes';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { findUserByEmail } from '../auth/auth.service.js';
import type { ApiDeps } from '../deps.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { afterKey, cursorTime, newestFirst, type Page, timeIdKey, toPage } from '../shared/pagination.js';
import { type MembershipRole, requireRole } from './access.js';
import type {
  addMemberBody,
  createInvestigationBody,
  listInvestigationsQuery,
  memberInvitation,
  memberListQuery,
  updateInvestigationBody,
} from './investigation.schema.js';

export type InvestigationRow = typeof investigations.$inferSelect;

export function presentInvestigation(row: InvestigationRow, role: MembershipRole) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    tlp: row.tlp,
    defaultRegion: row.defaultRegion,
    allowList: Array.isArray(row.allowList) ? (row.allowList as string[]) : [],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    role,
  };
}

/** Loads an investigation the caller may see with at least `minimum`, or 404/403 (see requireRole). */
export async function loadInvestigation(
  db: DbOrTx,
  userId: string,
  id: string,
  minimum: MembershipRole = 'viewer',
): Promise<{ row: InvestigationRow; role: MembershipRole }> {
  const role = await requireRole(db, userId, id, minimum);
  const [row] = await db.select().from(investigations).where(eq(investigations.id, id)).limit(1);
  if (!row) throw new NotFoundError('investigation');
  return { row, role };
}

export async function createInvestigation(
  db: Database,
  actor: Actor,
  input: z.output<typeof createInvestigationBody>,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(investigations)
      .values({ ...input, createdBy: actor.userId })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await tx.insert(memberships).values({ investigationId: row.id, userId: actor.userId, role: 'owner' });
    const presented = presentInvestigation(row, 'owner');
    await recordAudit(tx, actor, {
      action: 'investigation.create',
      objectType: 'investigation',
      objectId: row.id,
      investigationId: row.id,
      after: presented,
    });
    return presented;
  });
}

export async function getInvestigation(db: DbOrTx, userId: string, id: string) {
  const { row, role } = await loadInvestigation(db, userId, id);
  return presentInvestigation(row, role);
}

/**
 * Members of the listed investigation: an index-only count on the memberships primary key
 * (investigation_id, user_id), once per row of the page.
 */
const memberCountSql = sql<number>`(
  select count(*)::int from memberships mc where mc.investigation_id = ${investigations.id})`;

/**
 * "Last activity" of the listed investigation, in the same statement as the page (no request per row).
 * Every change made through the API or by a job writes an audit event, so the newest one is the answer;
 * the newest document and selector link (rows written without an audit event, such as seed data) and the
 * investigation's own `updated_at` are folded in. Each term is one probe of an index that leads with
 * investigation_id: audit_events_investigation_idx (by id, which follows insertion order),
 * documents_page_idx and investigation_selectors_page_idx (by created_at). `greatest` skips nulls.
 */
const lastActivitySql = isoMillis(sql`greatest(
  ${investigations.updatedAt},
  (select a.at from audit_events a where a.investigation_id = ${investigations.id}
    order by a.id desc limit 1),
  (select d.created_at from documents d where d.investigation_id = ${investigations.id}
    order by d.created_at desc limit 1),
  (select l.created_at from investigation_selectors l where l.investigation_id = ${investigations.id}
    order by l.created_at desc limit 1)
)`);

/**
 * The caller's investigations only (admins included: membership is what grants sight), each with its
 * member count and last activity, in one statement.
 */
export async function listInvestigations(
  deps: ApiDeps,
  userId: string,
  query: z.output<typeof listInvestigationsQuery>,
): Promise<Page<ReturnType<typeof presentInvestigation> & { memberCount: number; lastActivityAt: string }>> {
  const list = newestFirst(
    deps.cursors,
    `investigations:${userId}:${query.status ?? ''}`,
    query,
    investigations.createdAt,
    investigations.id,
  );
  const rows = await list.fetch(
    deps.db
      .select({
        inv: investigations,
        role: memberships.role,
        t: list.time,
        memberCount: memberCountSql,
        lastActivityAt: lastActivitySql,
      })
      .from(memberships)
      .innerJoin(investigations, eq(investigations.id, memberships.investigationId))
      .$dynamic(),
    eq(memberships.userId, userId),
    query.status ? eq(investigations.status, query.status) : undefined,
  );
  return list.page(
    rows,
    (r) => ({
      ...presentInvestigation(r.inv, r.role),
      memberCount: r.memberCount,
      lastActivityAt: r.lastActivityAt,
    }),
    (r) => r.inv.id,
  );
}

export async function updateInvestigation(
  db: Database,
  actor: Actor,
  id: string,
  input: z.output<typeof updateInvestigationBody>,
) {
  return db.transaction(async (tx) => {
    await lockMembershipChanges(tx, id);
    const role = await requireRole(tx, actor.userId, id, 'editor');
    const [before] = await tx.select().from(investigations).where(eq(investigations.id, id));
    if (!before) throw new NotFoundError('investigation');
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const [after] = await tx.update(investigations).set(changes).where(eq(investigations.id, id)).returning();
    if (!after) throw new NotFoundError('investigation');
    const presented = presentInvestigation(after, role);
    await recordAudit(tx, actor, {
      action: 'investigation.update',
      objectType: 'investigation',
      objectId: id,
      investigationId: id,
      before: presentInvestigation(before, role),
      after: presented,
    });
    return presented;
  });
}

/** Owners only; everything the investigation owns goes with it (ON DELETE CASCADE); the audit trail stays. */
export async function deleteInvestigation(db: Database, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockMembershipChanges(tx, id);
    await requireRole(tx, actor.userId, id, 'owner');
    const [before] = await tx.delete(investigations).where(eq(investigations.id, id)).returning();
    if (!before) throw new NotFoundError('investigation');
    await recordAudit(tx, actor, {
      action: 'investigation.delete',
      objectType: 'investigation',
      objectId: id,
      investigationId: id,
      before: presentInvestigation(before, 'owner'),
    });
  });
}

// ---- members ----------------------------------------------------------------------------------------

const memberColumns = {
  userId: memberships.userId,
  role: memberships.role,
  createdAt: memberships.createdAt,
  email: users.email,
  displayName: users.displayName,
};

type MemberRow = {
  userId: string;
  role: MembershipRole;
  createdAt: Date;
  email: string;
  displayName: string;
};

export function presentMember(row: MemberRow) {
  return {
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
  };
}

const memberKey = timeIdKey;

export async function listMembers(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: z.output<typeof memberListQuery>,
) {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  const scope = `members:${investigationId}`;
  const key = query.cursor ? deps.cursors.decode(scope, query.cursor, memberKey) : null;
  const rows = await deps.db
    .select({ ...memberColumns, t: cursorTime(memberships.createdAt) })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.investigationId, investigationId),
        key ? afterKey(memberships.createdAt, memberships.userId, key) : undefined,
      ),
    )
    .orderBy(asc(memberships.createdAt), asc(memberships.userId))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, presentMember, (r) => deps.cursors.encode(scope, [r.t, r.userId]));
}

async function memberRow(
  tx: DbOrTx,
  investigationId: string,
  userId: string,
): Promise<MemberRow | undefined> {
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.investigationId, investigationId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

/**
 * Invites a person by email or user id (owners). The answer is the same whether or not an account exists
 * and whether or not it already is a member, so the endpoint cannot be used to learn which addresses have
 * accounts (ADR 0006); when there is an account it becomes a member at once. The investigation's audit
 * trail records `membership.create` for a join and `membership.invite` otherwise.
 */
export async function addMember(
  db: Database,
  actor: Actor,
  investigationId: string,
  input: z.output<typeof addMemberBody>,
): Promise<z.output<typeof memberInvitation>> {
  return db.transaction(async (tx) => {
    await lockMembershipChanges(tx, investigationId);
    await requireRole(tx, actor.userId, investigationId, 'owner');
    const target = input.userId
      ? (await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).limit(1))[0]
      : await findUserByEmail(tx, input.email ?? '');
    // The account, when there is one and it is not a member yet, joins now; an existing member keeps
    // their role (changing it is PATCH's job). Nothing of this shows in the answer.
    const inserted = target
      ? await tx
          .insert(memberships)
          .values({ investigationId, userId: target.id, role: input.role })
          .onConflictDoNothing()
          .returning({ userId: memberships.userId })
      : [];
    const invitation = { status: 'recorded' as const, role: input.role };
    const added = inserted[0];
    const row = added ? await memberRow(tx, investigationId, added.userId) : undefined;
    await recordAudit(
      tx,
      actor,
      row
        ? {
            action: 'membership.create',
            objectType: 'membership',
            objectId: `${investigationId}:${row.userId}`,
            investigationId,
            after: presentMember(row),
          }
        : {
            action: 'membership.invite',
            objectType: 'investigation',
            objectId: investigationId,
            investigationId,
            after: { ...invitation, ...(input.userId ? { userId: input.userId } : { email: input.email }) },
          },
    );
    return invitation;
  });
}

/**
 * Serialises membership changes of one investigation by locking its row (NO KEY UPDATE, so inserts that
 * only reference it are not blocked): two owners demoting each other at once must not both succeed, and
 * locking membership rows instead could deadlock. Runs before the role check so that check sees the
 * committed state of any change that was waiting.
 */
async function lockMembershipChanges(tx: DbOrTx, investigationId: string): Promise<void> {
  await tx
    .select({ id: investigations.id })
    .from(investigations)
    .where(eq(investigations.id, investigationId))
    .for('no key update');
}

/** Refuses a change that would leave the investigation without an owner (call under the lock above). */
async function assertOwnerRemains(tx: DbOrTx, investigationId: string, leavingUserId: string): Promise<void> {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.investigationId, investigationId), eq(memberships.role, 'owner')));
  if (owners.every((o) => o.userId === leavingUserId)) {
    throw new ConflictError('An investigation must keep at least one owner.', 'last_owner');
  }
}

export async function updateMember(
  db: Database,
  actor: Actor,
  investigationId: string,
  userId: string,
  role: MembershipRole,
) {
  return db.transaction(async (tx) => {
    await lockMembershipChanges(tx, investigationId);
    await requireRole(tx, actor.userId, investigationId, 'owner');
    const before = await memberRow(tx, investigationId, userId);
    if (!before) throw new NotFoundError('member');
    if (before.role === 'owner' && role !== 'owner') await assertOwnerRemains(tx, investigationId, userId);
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.investigationId, investigationId), eq(memberships.userId, userId)));
    const after = presentMember({ ...before, role });
    await recordAudit(tx, actor, {
      action: 'membership.update',
      objectType: 'membership',
      objectId: `${investigationId}:${userId}`,
      investigationId,
      before: presentMember(before),
      after,
    });
    return after;
  });
}

/** Owners remove anyone; any member may remove themselves (leave). The last owner can do neither. */
export async function removeMember(db: Database, actor: Actor, investigationId: string, userId: string) {
  await db.transaction(async (tx) => {
    await lockMembershipChanges(tx, investigationId);
    await requireRole(tx, actor.userId, investigationId, userId === actor.userId ? 'viewer' : 'owner');
    const before = await memberRow(tx, investigationId, userId);
    if (!before) throw new NotFoundError('member');
    if (before.role === 'owner') await assertOwnerRemains(tx, investigationId, userId);
    await tx
      .delete(memberships)
      .where(and(eq(memberships.investigationId, investigationId), eq(memberships.userId, userId)));
    await recordAudit(tx, actor, {
      action: 'membership.delete',
      objectType: 'membership',
      objectId: `${investigationId}:${userId}`,
      investigationId,
      before: presentMember(before),
    });
  });
}
