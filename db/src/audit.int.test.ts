import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../tests/support/test-env.js';
import { auditEvents } from './schema/index.js';

const { client } = await createTestDatabase();
const { db } = client;

/** postgres.js error fields the assertions look at. */
interface PgError {
  code?: string;
  message: string;
}

/** The PostgreSQL error behind a rejected statement (Drizzle wraps it in DrizzleQueryError.cause). */
async function rejection(run: () => Promise<unknown>): Promise<PgError> {
  try {
    await run();
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return (cause && typeof cause === 'object' ? cause : error) as PgError;
  }
  throw new Error('expected the statement to be rejected');
}

async function insertEvent(action: string) {
  const [row] = await db
    .insert(auditEvents)
    .values({
      actorType: 'system',
      action,
      objectType: 'test',
      objectId: 'x',
      after: { ok: true },
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

describe('audit_events is append-only', () => {
  it('accepts inserts and numbers them in order', async () => {
    const first = await insertEvent('test.first');
    const second = await insertEvent('test.second');
    expect(second.id).toBeGreaterThan(first.id);
    expect(first.at).toBeInstanceOf(Date);
  });

  it('rejects UPDATE', async () => {
    const event = await insertEvent('test.update');
    const error = await rejection(() =>
      db.update(auditEvents).set({ action: 'test.tampered' }).where(sql`${auditEvents.id} = ${event.id}`),
    );
    expect(error.code).toBe('42501');
    expect(error.message).toMatch(/append-only: UPDATE/);
  });

  it('rejects DELETE', async () => {
    const event = await insertEvent('test.delete');
    const error = await rejection(() => db.delete(auditEvents).where(sql`${auditEvents.id} = ${event.id}`));
    expect(error.code).toBe('42501');
    expect(error.message).toMatch(/append-only: DELETE/);
  });

  it('rejects TRUNCATE', async () => {
    await insertEvent('test.truncate');
    const error = await rejection(() => client.sql`truncate audit_events`);
    expect(error.code).toBe('42501');
    expect(error.message).toMatch(/append-only: TRUNCATE/);
  });

  it('still rejects changes when replication-role tricks disable ordinary triggers', async () => {
    const [role] = await client.sql<{ superuser: boolean }[]>`
      select rolsuper as superuser from pg_roles where rolname = current_user`;
    // Setting session_replication_role needs superuser; the test cluster's admin role has it.
    if (!role?.superuser) return;
    const error = await rejection(() =>
      client.sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`delete from audit_events`;
      }),
    );
    expect(error.code).toBe('42501');
  });

  it('kept every event through the rejected attempts', async () => {
    const rows = await db.select({ action: auditEvents.action }).from(auditEvents);
    expect(rows.map((r) => r.action)).toEqual([
      'test.first',
      'test.second',
      'test.update',
      'test.delete',
      'test.truncate',
    ]);
  });
});
