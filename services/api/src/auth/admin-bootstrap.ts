import { type Database, users } from '@osint/db';
import { recordAudit } from '@osint/writes';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { endAllCredentials } from './auth.service.js';
import { hashPassword, passwordWeakness } from './password.js';

export interface BootstrapAdminInput {
  email: string;
  password: string;
  displayName?: string | undefined;
  /** Allow turning an existing account into an administrator with this password. */
  reset?: boolean | undefined;
}

/** Refusals the operator must act on (weak password, existing account); the CLI prints them plainly. */
export class BootstrapRefused extends Error {}

/**
 * Creates the first administrator, or with `reset` re-keys an existing account as administrator. There is
 * no default admin password anywhere: this (through `npm run create-admin`) or the development seed is the
 * only way in. A reset is what an operator does when the account may be compromised, so it also ends the
 * account's sessions and revokes its tokens (open event streams close at their next heartbeat, which
 * re-checks the credential). Writes one `system` audit event in the same transaction.
 */
export async function bootstrapAdmin(db: Database, input: BootstrapAdminInput) {
  const email = input.email.trim();
  if (!z.email().safeParse(email).success) throw new BootstrapRefused('give a valid email address');
  const weakness = passwordWeakness(input.password, email);
  if (weakness) throw new BootstrapRefused(`refusing a weak password: it ${weakness}`);
  const displayName = (input.displayName ?? email.split('@')[0] ?? '').trim();
  if (displayName.length < 1 || displayName.length > 200) {
    throw new BootstrapRefused('the display name must be 1 to 200 characters');
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`)
      .for('update');
    if (existing && !input.reset) {
      throw new BootstrapRefused(
        `${existing.email} already exists; pass --reset to make it an administrator with this password`,
      );
    }
    const [row] = existing
      ? await tx
          .update(users)
          .set({ passwordHash, role: 'admin', disabled: false })
          .where(eq(users.id, existing.id))
          .returning()
      : await tx.insert(users).values({ email, displayName, passwordHash, role: 'admin' }).returning();
    if (!row) throw new Error('no row written');
    const ended = existing ? await endAllCredentials(tx, row.id) : { sessionsEnded: 0, tokensRevoked: 0 };
    const snapshot = { id: row.id, email: row.email, displayName: row.displayName, role: row.role };
    await recordAudit(
      tx,
      { system: true, requestId: 'cli:create-admin' },
      {
        action: existing ? 'user.reset_admin' : 'user.create_admin',
        objectType: 'user',
        objectId: row.id,
        investigationId: null,
        before: existing
          ? { id: existing.id, email: existing.email, role: existing.role, disabled: existing.disabled }
          : null,
        after: existing ? { ...snapshot, ...ended } : snapshot,
      },
    );
    return { ...snapshot, created: !existing, ...ended };
  });
}
