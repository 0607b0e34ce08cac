import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { createDbClient, type Database, type DbOrTx } from './client.js';
import {
  auditEvents,
  documents,
  entities,
  investigationSelectors,
  investigations,
  jobs,
  memberships,
  mentions,
  notes,
  relationships,
  selectors,
  users,
} from './schema/index.js';
import { investigationPlan, seedAuditEvent, selectorKey, selectorRows, userRows } from './seed/plan.js';
import { DEV_PASSWORD, SEED_USERS, type UserKey } from './seed/users.data.js';

export { DEV_PASSWORD } from './seed/users.data.js';

export interface SeedResult {
  seeded: boolean;
  reason: string;
  /** Rows inserted per table by this run (0 everywhere when everything was already there). */
  rows: Record<string, number>;
  /** Sum of `rows`. */
  total: number;
}

/** Serialises concurrent seeders (two `npm start`s) so they cannot both write the run's audit event. */
const SEED_LOCK_KEY = 727_002;
/** Rows per INSERT: far below PostgreSQL's 65 535 bind parameters for the widest seeded table. */
const CHUNK = 500;

/** Inserts rows, skipping any that conflict with an existing row; returns how many were inserted. */
async function insertNew<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: T['$inferInsert'][],
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const written = await db
      .insert(table)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoNothing()
      .returning({ one: sql<number>`1` });
    inserted += written.length;
  }
  return inserted;
}

/**
 * Writes the development data set (docs/data-model.md#seed): 4 users, 3 investigations with every
 * membership role, ~300 selectors of all 14 types, documents with mentions, entities, relationships, notes.
 * Deterministic and idempotent: fixed UUIDv5 ids and fixed timestamps, inserted with ON CONFLICT DO NOTHING,
 * so a second run inserts nothing and never overwrites an existing row. A user or selector that already
 * exists under its natural key (email, type + value) is reused, not duplicated.
 */
export async function seedDevelopment(db: Database): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    const rows: Record<string, number> = {};

    rows.users = await insertNew(tx, users, userRows());
    const emails = SEED_USERS.map((u) => u.email.toLowerCase());
    const userIds = new Map(
      (
        await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(inArray(sql`lower(${users.email})`, emails))
      ).map((u) => [u.email.toLowerCase(), u.id]),
    );

    const selectorInserts = selectorRows();
    rows.selectors = await insertNew(tx, selectors, selectorInserts);
    const selectorIds = new Map<string, string>();
    for (const type of new Set(selectorInserts.map((s) => s.type))) {
      const values = selectorInserts.filter((s) => s.type === type).map((s) => s.value);
      const found = await tx
        .select({ id: selectors.id, value: selectors.value })
        .from(selectors)
        .where(and(eq(selectors.type, type), inArray(selectors.value, values)));
      for (const f of found) selectorIds.set(selectorKey(type, f.value), f.id);
    }

    const plan = investigationPlan({
      user: (key: UserKey) => {
        const email = SEED_USERS.find((u) => u.key === key)?.email.toLowerCase() ?? '';
        const id = userIds.get(email);
        if (!id) throw new Error(`seed: user ${key} is missing after insert`);
        return id;
      },
      selector: (s) => {
        const id = selectorIds.get(selectorKey(s.type, s.value));
        if (!id) throw new Error(`seed: selector ${s.type} ${s.value} is missing after insert`);
        return id;
      },
    });
    rows.investigations = await insertNew(tx, investigations, plan.investigations);
    rows.memberships = await insertNew(tx, memberships, plan.memberships);
    rows.jobs = await insertNew(tx, jobs, plan.jobs);
    rows.documents = await insertNew(tx, documents, plan.documents);
    rows.investigation_selectors = await insertNew(tx, investigationSelectors, plan.investigationSelectors);
    rows.mentions = await insertNew(tx, mentions, plan.mentions);
    rows.entities = await insertNew(tx, entities, plan.entities);
    rows.relationships = await insertNew(tx, relationships, plan.relationships);
    rows.notes = await insertNew(tx, notes, plan.notes);

    let total = Object.values(rows).reduce((a, b) => a + b, 0);
    if (total > 0) {
      await tx.insert(auditEvents).values(seedAuditEvent({ ...rows }));
      rows.audit_events = 1;
      total += 1;
    }
    return {
      seeded: total > 0,
      reason:
        total > 0
          ? `${total} rows written; sign in as alice@example.com (admin) with password ${DEV_PASSWORD}`
          : 'development data already present',
      rows,
      total,
    };
  });
}

/**
 * Seeds only when the `users` table is empty, so `npm start` (which calls this on every start) never touches
 * a database a developer has been working in, and never writes into one that has real users.
 */
export async function seedIfEmpty(url: string): Promise<SeedResult> {
  const client = createDbClient(url, { max: 1, applicationName: 'seed' });
  try {
    const [existing] = await client.db.select({ id: users.id }).from(users).limit(1);
    if (existing) {
      return { seeded: false, reason: 'users table is not empty; nothing seeded', rows: {}, total: 0 };
    }
    return await seedDevelopment(client.db);
  } finally {
    await client.close();
  }
}

/** One line for people: "wrote 1234 rows (users 4, selectors 301, ...)". */
export function describeSeedResult(result: SeedResult): string {
  if (!result.seeded) return `seed skipped: ${result.reason}`;
  const parts = Object.entries(result.rows)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${table} ${n}`);
  return `seed wrote ${result.total} rows (${parts.join(', ')})`;
}
