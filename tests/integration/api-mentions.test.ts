import { EXTRACTOR_VERSION, extractSelectors } from '@osint/core';
import { documents, investigationSelectors, mentions, selectors } from '@osint/db';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, createTestUser } from '../support/api-fixtures.js';
import { addMembers, createInvestigationAs } from '../support/api-world.js';

/**
 * The mentions routes against real PostgreSQL: a document is stored through the API, then "extracted" here
 * with core's real extractor (what the worker runs), writing the same rows the worker writes (document
 * text, selectors, links, mentions), so the offsets are the extractor's own.
 */
const api = await createTestApi();
const { app, deps } = api;
const owner = await createTestUser(deps.db);
const viewer = await createTestUser(deps.db);
const outsider = await createTestUser(deps.db);
const inv = await createInvestigationAs(app, owner, 'Mentions');
await addMembers(api, inv, [{ user: viewer, role: 'viewer' }]);
const base = `/api/v1/investigations/${inv}`;
const o = as(app, owner);
const v = as(app, viewer);

/** Stores `text` as a document and records what the extractor finds in it; returns the document id. */
async function extracted(investigationId: string, title: string, text: string): Promise<string> {
  const res = await as(app, owner)
    .post(`/api/v1/investigations/${investigationId}/documents`)
    .send({ title, text })
    .expect(202);
  const documentId: string = res.body.document.id;
  const jobId: string = res.body.job.id;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(documents)
      .set({ extractedText: text, extractionStatus: 'succeeded' })
      .where(eq(documents.id, documentId));
    for (const found of extractSelectors(text)) {
      const [s] = await tx
        .insert(selectors)
        .values({ type: found.type, value: found.value })
        .onConflictDoUpdate({ target: [selectors.type, selectors.value], set: { type: sql`excluded.type` } })
        .returning();
      await tx
        .insert(investigationSelectors)
        .values({
          investigationId,
          selectorId: s!.id,
          source: 'extraction',
          addedByJobId: jobId,
          displayValue: found.displayValue,
          attributes: found.attributes,
        })
        .onConflictDoNothing();
      await tx.insert(mentions).values({
        documentId,
        selectorId: s!.id,
        startOffset: found.start,
        endOffset: found.end,
        rawText: found.raw,
        extractorVersion: EXTRACTOR_VERSION,
      });
    }
  });
  return documentId;
}

async function selectorId(value: string): Promise<string> {
  const [row] = await deps.db.select().from(selectors).where(eq(selectors.value, value));
  if (!row) throw new Error(`no selector ${value}`);
  return row.id;
}

const reportText =
  'Initial access came from hxxps://evil[.]example[.]com/x (see EVIL.example.com). ' +
  'The actor mailed bob[@]evil[.]example[.]com and used 198.51.100[.]7 for C2; evil[.]example[.]com again.';
const reportId = await extracted(inv, 'Report one', reportText);
// Characters outside the BMP before the mention: PostgreSQL counts code points, the offsets UTF-16 units.
const emojiText = `🦊🦊 Threat brief 🙂 ${'x'.repeat(300)} the panel at evil.example.com 🔥 then more text.`;
const emojiId = await extracted(inv, 'Emoji brief', emojiText);
const evil = await selectorId('evil.example.com');

interface SelectorMention {
  id: string;
  documentId: string;
  documentTitle: string;
  selectorId: string;
  start: number;
  end: number;
  raw: string;
  extractorVersion: string;
  snippet: { text: string; start: number; end: number; truncatedBefore: boolean; truncatedAfter: boolean };
}

describe('GET …/selectors/{selectorId}/mentions', () => {
  it('lists every mention with its document title, raw text at the stored offsets and a snippet', async () => {
    const res = await v.get(`${base}/selectors/${evil}/mentions`).expect(200);
    const items: SelectorMention[] = res.body.items;
    expect(res.body).toMatchObject({ total: 3, documents: 2, nextCursor: null });
    // Newest document first, then text order.
    expect(items.map((m) => [m.documentTitle, m.raw])).toEqual([
      ['Emoji brief', 'evil.example.com'],
      ['Report one', 'EVIL.example.com'],
      ['Report one', 'evil[.]example[.]com'],
    ]);
    for (const m of items) {
      const text = m.documentId === reportId ? reportText : emojiText;
      expect(text.slice(m.start, m.end)).toBe(m.raw);
      expect(m.snippet.text.slice(m.snippet.start, m.snippet.end)).toBe(m.raw);
      expect(text).toContain(m.snippet.text);
      expect(m.selectorId).toBe(evil);
      expect(m.extractorVersion).toBe(EXTRACTOR_VERSION);
    }
    const [, first] = items;
    // 80 characters of context by default: from the start of the text (not truncated) to 80 past the end.
    expect(first!.snippet.text).toBe(reportText.slice(0, first!.end + 80));
    expect(first!.snippet).toMatchObject({ truncatedBefore: false, truncatedAfter: true });
  });

  it('cuts the snippet at the stored UTF-16 offsets even after characters outside the BMP', async () => {
    const res = await v.get(`${base}/selectors/${evil}/mentions?context=20`).expect(200);
    const m: SelectorMention = res.body.items[0];
    expect(m.documentId).toBe(emojiId);
    expect(m.start).toBe(emojiText.indexOf('evil.example.com'));
    const at = m.start;
    expect(m.snippet).toEqual({
      text: emojiText.slice(at - 20), // the text ends within 20 characters of the mention
      start: 20,
      end: 36,
      truncatedBefore: true,
      truncatedAfter: false,
    });
    // The context stops short of splitting the 🔥 surrogate pair after the mention.
    const tight = await v.get(`${base}/selectors/${evil}/mentions?context=2`).expect(200);
    expect(tight.body.items[0].snippet).toMatchObject({
      text: emojiText.slice(at - 2, m.end + 1),
      start: 2,
      end: 18,
      truncatedAfter: true,
    });
  });

  it('pages with a cursor, newest document first, and refuses a cursor from another list', async () => {
    const seen: SelectorMention[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: SelectorMention[]; nextCursor: string | null } } = await v
        .get(`${base}/selectors/${evil}/mentions`)
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.map((m) => m.id)).toEqual(
      (await v.get(`${base}/selectors/${evil}/mentions`).expect(200)).body.items.map(
        (m: SelectorMention) => m.id,
      ),
    );
    const first = await v.get(`${base}/selectors/${evil}/mentions?limit=1`).expect(200);
    const other = await selectorId('198.51.100.7');
    const wrong = await v
      .get(`${base}/selectors/${other}/mentions`)
      .query({ cursor: first.body.nextCursor })
      .expect(400);
    expect(wrong.body.code).toBe('invalid_cursor');
  });

  it('answers 404 for a selector that is not in the investigation, and to non-members', async () => {
    const elsewhere = await createInvestigationAs(app, owner, 'Elsewhere');
    await o.get(`/api/v1/investigations/${elsewhere}/selectors/${evil}/mentions`).expect(404);
    const res = await as(app, outsider).get(`${base}/selectors/${evil}/mentions`).expect(404);
    expect(res.body.code).toBe('not_found');
    await o.get(`${base}/selectors/${evil}/mentions?context=9999`).expect(400);
  });

  it('does not show mentions from documents of another investigation', async () => {
    const other = await createInvestigationAs(app, owner, 'Other');
    await extracted(other, 'Other report', 'Also evil.example.com here.');
    const res = await v.get(`${base}/selectors/${evil}/mentions`).expect(200);
    expect(res.body.total).toBe(3);
    const there = await o.get(`/api/v1/investigations/${other}/selectors/${evil}/mentions`).expect(200);
    expect(there.body.items.map((m: SelectorMention) => m.documentTitle)).toEqual(['Other report']);
  });
});

describe('GET …/documents/{documentId}/mentions', () => {
  it('lists the document’s mentions in text order with the selector’s value', async () => {
    const res = await v.get(`${base}/documents/${reportId}/mentions`).expect(200);
    const items = res.body.items as Array<{
      start: number;
      end: number;
      raw: string;
      selectorValue: string;
      selectorType: string;
      falsePositive: boolean;
    }>;
    expect(items.map((m) => m.raw)).toEqual(
      extractSelectors(reportText)
        .sort((a, b) => a.start - b.start)
        .map((m) => m.raw),
    );
    for (const m of items) expect(reportText.slice(m.start, m.end)).toBe(m.raw);
    expect(items.find((m) => m.raw === '198.51.100[.]7')).toMatchObject({
      selectorType: 'ipv4',
      selectorValue: '198.51.100.7',
      falsePositive: false,
    });
  });

  it('says which selectors are false positives, and leaves out selectors removed from the investigation', async () => {
    const ip = await selectorId('198.51.100.7');
    await o.patch(`${base}/selectors/${ip}`).send({ falsePositive: true }).expect(200);
    const flagged = await v.get(`${base}/documents/${reportId}/mentions`).expect(200);
    expect(flagged.body.items.find((m: { selectorId: string }) => m.selectorId === ip).falsePositive).toBe(
      true,
    );
    await o.delete(`${base}/selectors/${ip}`).expect(204);
    const after = await v.get(`${base}/documents/${reportId}/mentions`).expect(200);
    expect(after.body.items.map((m: { selectorId: string }) => m.selectorId)).not.toContain(ip);
    expect(after.body.items).toHaveLength(flagged.body.items.length - 1);
  });

  it('pages by position with a cursor', async () => {
    const all = (await v.get(`${base}/documents/${reportId}/mentions`).expect(200)).body.items;
    const first = await v.get(`${base}/documents/${reportId}/mentions?limit=2`).expect(200);
    const rest = await v
      .get(`${base}/documents/${reportId}/mentions`)
      .query({ limit: 1000, cursor: first.body.nextCursor })
      .expect(200);
    expect([...first.body.items, ...rest.body.items]).toEqual(all);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('answers 404 for a document of another investigation and to non-members', async () => {
    const elsewhere = await createInvestigationAs(app, owner, 'Elsewhere docs');
    await o.get(`/api/v1/investigations/${elsewhere}/documents/${reportId}/mentions`).expect(404);
    await as(app, outsider).get(`${base}/documents/${reportId}/mentions`).expect(404);
    await o.get(`${base}/documents/${emojiId}/mentions?limit=1001`).expect(400);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await o.get('/api/v1/openapi.json').expect(200)).body;
    expect(doc.paths['/api/v1/investigations/{id}/selectors/{selectorId}/mentions'].get.operationId).toBe(
      'listSelectorMentions',
    );
    expect(doc.paths['/api/v1/investigations/{id}/documents/{documentId}/mentions'].get.operationId).toBe(
      'listDocumentMentions',
    );
  });
});
