import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../tests/support/test-env.js';
import {
  auditEvents,
  documents,
  enrichmentResults,
  entities,
  investigationSelectors,
  investigations,
  jobs,
  MAX_SELECTOR_VALUE_BYTES,
  memberships,
  mentions,
  notes,
  relationships,
  selectors,
  sessions,
  users,
} from './schema/index.js';

/**
 * The behaviour the schema promises beyond column types: uniqueness rules, what deleting cascades to and
 * what it refuses, and the (kind, id) reference triggers. docs/data-model.md describes the same rules.
 */

const { client } = await createTestDatabase();
const { db } = client;
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';

/** The PostgreSQL error behind a rejected statement (Drizzle wraps it in DrizzleQueryError.cause). */
async function pgError(
  run: () => Promise<unknown>,
): Promise<{ code?: string; constraint_name?: string; message: string }> {
  try {
    await run();
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return (cause && typeof cause === 'object' ? cause : error) as { code?: string; message: string };
  }
  throw new Error('expected the statement to be rejected');
}

async function user(email = `${randomUUID()}@example.org`) {
  const [row] = await db.insert(users).values({ email, displayName: 'Test', passwordHash: HASH }).returning();
  if (!row) throw new Error('no user');
  return row;
}

async function investigation(ownerId: string) {
  const [row] = await db.insert(investigations).values({ title: 'Case', createdBy: ownerId }).returning();
  if (!row) throw new Error('no investigation');
  await db.insert(memberships).values({ investigationId: row.id, userId: ownerId, role: 'owner' });
  return row;
}

async function selector(value = `${randomUUID()}.example`) {
  const [row] = await db.insert(selectors).values({ type: 'domain', value }).returning();
  if (!row) throw new Error('no selector');
  return row;
}

async function attach(investigationId: string, selectorId: string, addedBy: string) {
  const [row] = await db
    .insert(investigationSelectors)
    .values({ investigationId, selectorId, source: 'manual', addedBy, displayValue: 'As written' })
    .returning();
  if (!row) throw new Error('no investigation_selector');
  return row;
}

async function entity(investigationId: string, createdBy: string) {
  const [row] = await db
    .insert(entities)
    .values({ investigationId, kind: 'person', label: 'Someone', createdBy })
    .returning();
  if (!row) throw new Error('no entity');
  return row;
}

async function document(investigationId: string, createdBy: string, text = 'hello') {
  const content = Buffer.from(text);
  const sha256 = (await import('node:crypto')).createHash('sha256').update(content).digest('hex');
  const [row] = await db
    .insert(documents)
    .values({
      investigationId,
      title: 'Doc',
      mediaType: 'text/plain',
      sizeBytes: content.length,
      sha256,
      content,
      extractedText: text,
      createdBy,
    })
    .returning({ id: documents.id });
  if (!row) throw new Error('no document');
  return row;
}

describe('users', () => {
  it('treats e-mail addresses case-insensitively for uniqueness', async () => {
    await user('Mixed.Case@Example.org');
    const error = await pgError(() => user('mixed.case@EXAMPLE.ORG'));
    expect(error.code).toBe('23505');
    expect(error.message).toMatch(/users_email_lower_key/);
  });

  it('refuses a password hash that is not argon2id', async () => {
    const error = await pgError(() =>
      db.insert(users).values({ email: 'plain@example.org', displayName: 'P', passwordHash: 'hunter2' }),
    );
    expect(error.code).toBe('23514');
  });

  it('cannot be deleted while they authored something, and take their sessions when they can', async () => {
    const author = await user();
    await investigation(author.id);
    expect((await pgError(() => db.delete(users).where(eq(users.id, author.id)))).code).toBe('23503');

    const idle = await user();
    await db
      .insert(sessions)
      .values({ id: 'a'.repeat(64), userId: idle.id, expiresAt: new Date(Date.now() + 3600_000) });
    await db.delete(users).where(eq(users.id, idle.id));
    expect(await db.$count(sessions, eq(sessions.userId, idle.id))).toBe(0);
  });
});

describe('selectors', () => {
  it('are unique per (type, value)', async () => {
    await selector('dup.example');
    expect((await pgError(() => selector('dup.example'))).code).toBe('23505');
    // Same value, other type: a different selector.
    await db.insert(selectors).values({ type: 'username', value: 'dup.example' });
  });

  it('refuse a match key longer than the unique index can hold', async () => {
    const long = `https://example.com/${'a'.repeat(MAX_SELECTOR_VALUE_BYTES)}`;
    const error = await pgError(() => db.insert(selectors).values({ type: 'url', value: long }));
    expect(error.code).toBe('23514');
    expect(error.message).toMatch(/selectors_value_size/);
  });

  it('cannot be deleted while an investigation or a mention uses them', async () => {
    const owner = await user();
    const inv = await investigation(owner.id);
    const s = await selector();
    await attach(inv.id, s.id, owner.id);
    expect((await pgError(() => db.delete(selectors).where(eq(selectors.id, s.id)))).code).toBe('23503');
  });
});

describe('deleting an investigation', () => {
  it('deletes everything it owns and contributed, keeps selectors others hold and the audit trail', async () => {
    const owner = await user();
    const inv = await investigation(owner.id);
    const elsewhere = await investigation(owner.id);
    const s = await selector();
    await attach(inv.id, s.id, owner.id);
    const shared = await selector();
    await attach(inv.id, shared.id, owner.id);
    await attach(elsewhere.id, shared.id, owner.id);
    await db.insert(enrichmentResults).values({
      investigationId: inv.id,
      selectorId: shared.id,
      provider: 'dns',
      result: { attributes: {}, related: [] },
      expiresAt: new Date(Date.now() + 60_000),
    });
    const doc = await document(inv.id, owner.id, 'seen at x.example');
    await db.insert(mentions).values({
      documentId: doc.id,
      selectorId: s.id,
      startOffset: 8,
      endOffset: 17,
      rawText: 'x.example',
      extractorVersion: 't',
    });
    const e = await entity(inv.id, owner.id);
    const [job] = await db.insert(jobs).values({ kind: 'extract', investigationId: inv.id }).returning();
    await db.insert(relationships).values({
      investigationId: inv.id,
      sourceKind: 'entity',
      sourceId: e.id,
      targetKind: 'selector',
      targetId: s.id,
      type: 'owns',
      evidenceDocumentId: doc.id,
      createdByJob: job?.id,
    });
    await db.insert(notes).values({ investigationId: inv.id, body: 'note', authorId: owner.id });
    await db.insert(auditEvents).values({
      actorType: 'user',
      actorId: owner.id,
      action: 'investigation.create',
      objectType: 'investigation',
      objectId: inv.id,
      investigationId: inv.id,
    });

    await db.delete(investigations).where(eq(investigations.id, inv.id));

    for (const table of [
      memberships,
      investigationSelectors,
      documents,
      entities,
      relationships,
      notes,
      jobs,
    ]) {
      const [row] = await db.select({ n: count() }).from(table).where(eq(table.investigationId, inv.id));
      expect(row?.n).toBe(0);
    }
    expect(await db.$count(mentions, eq(mentions.documentId, doc.id))).toBe(0);
    expect(await db.$count(enrichmentResults, eq(enrichmentResults.investigationId, inv.id))).toBe(0);
    // Nobody else holds `s`: its (type, value) row goes too; `shared` stays for the other investigation.
    expect(await db.$count(selectors, eq(selectors.id, s.id))).toBe(0);
    expect(await db.$count(selectors, eq(selectors.id, shared.id))).toBe(1);
    expect(await db.$count(auditEvents, eq(auditEvents.investigationId, inv.id))).toBe(1);
  });
});

describe('relationship and note references', async () => {
  const owner = await user();
  const inv = await investigation(owner.id);
  const other = await investigation(owner.id);
  const s = await selector();
  await attach(inv.id, s.id, owner.id);
  const edge = (sourceKind: 'entity' | 'selector' | 'document', sourceId: string, targetId = s.id) =>
    db
      .insert(relationships)
      .values({
        investigationId: inv.id,
        sourceKind,
        sourceId,
        targetKind: 'selector',
        targetId,
        type: 'related-to',
        createdByUser: owner.id,
      })
      .returning();

  it('accept endpoints that exist in the same investigation', async () => {
    const e = await entity(inv.id, owner.id);
    const [row] = await edge('entity', e.id);
    expect(row?.targetId).toBe(s.id);
  });

  it('refuse an endpoint from another investigation, or one that does not exist, like a foreign key', async () => {
    const foreign = await entity(other.id, owner.id);
    const error = await pgError(() => edge('entity', foreign.id));
    expect(error.code).toBe('23503');
    expect(error.message).toMatch(/relationship source entity .* is not in investigation/);
    expect((await pgError(() => edge('document', randomUUID()))).code).toBe('23503');
    const unattached = await selector();
    const e = await entity(inv.id, owner.id);
    expect((await pgError(() => edge('entity', e.id, unattached.id))).code).toBe('23503');
  });

  it('refuse a note on an object of another investigation', async () => {
    const foreign = await entity(other.id, owner.id);
    const error = await pgError(() =>
      db.insert(notes).values({
        investigationId: inv.id,
        targetKind: 'entity',
        targetId: foreign.id,
        body: 'x',
        authorId: owner.id,
      }),
    );
    expect(error.code).toBe('23503');
  });

  it('disappear with the object: deleted entity, removed selector, deleted relationship', async () => {
    const e = await entity(inv.id, owner.id);
    const [r] = await edge('entity', e.id);
    await db.insert(notes).values([
      {
        investigationId: inv.id,
        targetKind: 'entity',
        targetId: e.id,
        body: 'on entity',
        authorId: owner.id,
      },
      {
        investigationId: inv.id,
        targetKind: 'relationship',
        targetId: r?.id,
        body: 'on edge',
        authorId: owner.id,
      },
    ]);
    await db.delete(entities).where(eq(entities.id, e.id));
    expect(await db.$count(relationships, eq(relationships.sourceId, e.id))).toBe(0);
    expect(await db.$count(notes, sql`${notes.targetId} in (${e.id}, ${r?.id ?? ''})`)).toBe(0);

    const kept = await entity(inv.id, owner.id);
    await edge('entity', kept.id);
    await db.insert(notes).values({
      investigationId: inv.id,
      targetKind: 'selector',
      targetId: s.id,
      body: 'on selector',
      authorId: owner.id,
    });
    await db.delete(investigationSelectors).where(eq(investigationSelectors.selectorId, s.id));
    expect(await db.$count(relationships, eq(relationships.targetId, s.id))).toBe(0);
    expect(await db.$count(notes, eq(notes.targetId, s.id))).toBe(0);
    expect(await db.$count(entities, eq(entities.id, kept.id))).toBe(1);
  });

  it('keep objects in their investigation', async () => {
    const e = await entity(inv.id, owner.id);
    const error = await pgError(() =>
      db.update(entities).set({ investigationId: other.id }).where(eq(entities.id, e.id)),
    );
    expect(error.message).toMatch(/entities.investigation_id cannot change/);
    // Other updates still work.
    await db.update(entities).set({ label: 'Renamed' }).where(eq(entities.id, e.id));
  });
});

describe('documents', async () => {
  const owner = await user();
  const inv = await investigation(owner.id);

  it('are unique per investigation by sha256, and their size must match their bytes', async () => {
    await document(inv.id, owner.id, 'same bytes');
    expect((await pgError(() => document(inv.id, owner.id, 'same bytes'))).code).toBe('23505');
    const other = await investigation(owner.id);
    await document(other.id, owner.id, 'same bytes');
    const error = await pgError(() =>
      db.insert(documents).values({
        investigationId: inv.id,
        title: 'Bad',
        mediaType: 'text/plain',
        sizeBytes: 99,
        sha256: 'f'.repeat(64),
        content: Buffer.from('abc'),
        createdBy: owner.id,
      }),
    );
    expect(error.message).toMatch(/documents_size_matches_content/);
  });

  it('keep a full-text vector of title and text, and still save text too large for a tsvector', async () => {
    await document(inv.id, owner.id, 'Quarterly invoice from the harbour office');
    const found = await db
      .select({ id: documents.id })
      .from(documents)
      .where(sql`${documents.searchVector} @@ websearch_to_tsquery('simple', 'harbour invoice')`);
    expect(found).toHaveLength(1);

    // ~2.4 MB of distinct words: a plain to_tsvector would fail with "string is too long for tsvector"
    // (and so would the whole INSERT); the document saves and its beginning stays searchable.
    const words = Array.from({ length: 200_000 }, (_, i) => `w${i.toString(36)}x${(i * 7919).toString(36)}`);
    const big = await document(inv.id, owner.id, words.join(' '));
    const search = (word: string) =>
      db
        .select({ id: documents.id })
        .from(documents)
        .where(sql`${documents.searchVector} @@ websearch_to_tsquery('simple', ${word})`);
    expect(await search(words[1] ?? '')).toEqual([{ id: big.id }]);
    expect(await search('w1x633')).toEqual([]);
  });
});
