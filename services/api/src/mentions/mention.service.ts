import { documents, isoMicros } from '@osint/db';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { requireRole } from '../investigations/access.js';
import { requireSelectorLink } from '../selectors/selector.service.js';
import { NotFoundError } from '../shared/errors.js';
import { type Page, toPage } from '../shared/pagination.js';
import type { documentMentionsQuery, selectorMentionsQuery } from './mention.schema.js';
import { cutSnippet } from './snippet.js';

/**
 * Characters outside the Basic Multilingual Plane: one code point for PostgreSQL, two UTF-16 code units
 * for JavaScript (and so for the stored offsets). Only text holding some before a mention needs the
 * slower, exact path below.
 */
const ASTRAL = String.raw`[\U00010000-\U0010FFFF]`;

/** Sort key of a selector's mentions: document (newest first: time, id), then position in it (start, id). */
const selectorCursor = z.tuple([
  z.string().regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
  z.uuid(),
  z.number().int().min(0),
  z.uuid(),
]);

/** Sort key of a document's mentions: position in the text, then id. */
const documentCursor = z.tuple([z.number().int().min(0), z.uuid()]);

/**
 * Every mention of one selector in this investigation's documents, newest document first and in text order
 * inside a document, each with the document's title and a context snippet.
 *
 * The snippet is cut by PostgreSQL from the stored offsets, and only for the rows of the page (the inner
 * query pages, the outer one reads text). Offsets are UTF-16 code units and PostgreSQL counts code points:
 * they agree until the first character outside the BMP (an emoji, say). The fast path checks that the text
 * at the offsets is the raw text and then slices by offset; otherwise the window start is corrected by
 * counting those characters in the prefix (`regexp_count`), which is exact but reads the prefix.
 */
export async function listSelectorMentions(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  selectorId: string,
  query: z.output<typeof selectorMentionsQuery>,
) {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  await requireSelectorLink(deps.db, investigationId, selectorId);
  const scope = `mentions:selector:${investigationId}:${selectorId}`;
  const key = query.cursor ? deps.cursors.decode(scope, query.cursor, selectorCursor) : null;
  const after = key
    ? sql`and ((d.created_at, d.id) < (${key[0]}::timestamptz, ${key[1]}::uuid)
           or ((d.created_at, d.id) = (${key[0]}::timestamptz, ${key[1]}::uuid)
               and (m.start_offset, m.id) > (${key[2]}::int, ${key[3]}::uuid)))`
    : sql``;
  // One character more than the context after the mention, so the cut knows whether the text goes on.
  const reach = query.context + 1;
  const [rows, totals] = await Promise.all([
    deps.db.execute<{
      id: string;
      document_id: string;
      selector_id: string;
      start_offset: number;
      end_offset: number;
      raw_text: string;
      extractor_version: string;
      t: string;
      title: string;
      snippet: string | null;
      snippet_start: number;
    }>(sql`
      with page as (
        select m.id, m.document_id, m.selector_id, m.start_offset, m.end_offset, m.raw_text,
               m.extractor_version, d.created_at,
               ${isoMicros(sql`d.created_at`)} as t
        from mentions m
        join documents d on d.id = m.document_id
        where m.selector_id = ${selectorId} and d.investigation_id = ${investigationId} ${after}
        order by d.created_at desc, d.id desc, m.start_offset, m.id
        limit ${query.limit + 1}
      )
      select p.id, p.document_id, p.selector_id, p.start_offset, p.end_offset, p.raw_text,
             p.extractor_version, p.t, d.title, w.snippet, w.snippet_start
      from page p
      join documents d on d.id = p.document_id
      -- Each step is fenced with "offset 0" so PostgreSQL evaluates it once per row: a plain lateral
      -- select would be pulled up and its expression (a detoast, a regexp_count) copied to every use.
      -- Fast path: one window around the offsets, read as code points, and a check that the raw text is
      -- where the offsets say inside it (so no character outside the BMP precedes the mention).
      cross join lateral (
        select greatest(p.start_offset - ${query.context}, 0) as w0,
               substr(d.extracted_text, greatest(p.start_offset - ${query.context}, 0) + 1,
                      p.end_offset + ${reach} - greatest(p.start_offset - ${query.context}, 0)) as win
        offset 0
      ) f
      cross join lateral (
        select substr(f.win, p.start_offset - f.w0 + 1, p.end_offset - p.start_offset) = p.raw_text
          as aligned
        offset 0
      ) a
      -- Exact path: start far enough back (one code point less per such character before the offset),
      -- and convert the window's start back to UTF-16 by counting them before it.
      left join lateral (
        select greatest(p.start_offset
                 - regexp_count(left(d.extracted_text, p.start_offset), ${ASTRAL})
                 - ${query.context}, 0) as w
        where not a.aligned
        offset 0
      ) x on true
      cross join lateral (
        select case when a.aligned then f.win
                    else substr(d.extracted_text, x.w + 1, p.end_offset + ${reach} - x.w) end as snippet,
               case when a.aligned then f.w0
                    else x.w + regexp_count(left(d.extracted_text, x.w), ${ASTRAL}) end as snippet_start
        offset 0
      ) w
      order by p.created_at desc, p.document_id desc, p.start_offset, p.id`),
    deps.db.execute<{ total: number; documents: number }>(sql`
      select count(*)::int as total, count(distinct m.document_id)::int as documents
      from mentions m
      join documents d on d.id = m.document_id
      where m.selector_id = ${selectorId} and d.investigation_id = ${investigationId}`),
  ]);
  const page = toPage(
    [...rows],
    query.limit,
    (r) => ({
      id: r.id,
      documentId: r.document_id,
      documentTitle: r.title,
      selectorId: r.selector_id,
      start: r.start_offset,
      end: r.end_offset,
      raw: r.raw_text,
      extractorVersion: r.extractor_version,
      snippet: cutSnippet(
        r.snippet ?? '',
        Number(r.snippet_start),
        { start: r.start_offset, end: r.end_offset, raw: r.raw_text },
        query.context,
      ),
    }),
    (r) => deps.cursors.encode(scope, [r.t, r.document_id, r.start_offset, r.id]),
  );
  const counts = [...totals][0];
  return { ...page, total: counts?.total ?? 0, documents: counts?.documents ?? 0 };
}

export interface DocumentMention {
  id: string;
  documentId: string;
  selectorId: string;
  selectorType: string;
  selectorValue: string;
  falsePositive: boolean;
  start: number;
  end: number;
  raw: string;
}

/**
 * The mentions inside one document, in text order, for the reader's highlights. Only selectors that are
 * still in the investigation are listed (a removed one has no panel to open); the link row also says
 * whether the team marked it a false positive.
 */
export async function listDocumentMentions(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  documentId: string,
  query: z.output<typeof documentMentionsQuery>,
): Promise<Page<DocumentMention>> {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  const [doc] = await deps.db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.investigationId, investigationId)))
    .limit(1);
  if (!doc) throw new NotFoundError('document');
  const scope = `mentions:document:${investigationId}:${documentId}`;
  const key = query.cursor ? deps.cursors.decode(scope, query.cursor, documentCursor) : null;
  const rows = await deps.db.execute<{
    id: string;
    selector_id: string;
    type: string;
    value: string;
    false_positive: boolean;
    start_offset: number;
    end_offset: number;
    raw_text: string;
  }>(sql`
    select m.id, m.selector_id, s.type, s.value, isel.false_positive, m.start_offset, m.end_offset,
           m.raw_text
    from mentions m
    join investigation_selectors isel
      on isel.selector_id = m.selector_id and isel.investigation_id = ${investigationId}
    join selectors s on s.id = m.selector_id
    where m.document_id = ${documentId}
      ${key ? sql`and (m.start_offset, m.id) > (${key[0]}::int, ${key[1]}::uuid)` : sql``}
    order by m.start_offset, m.id
    limit ${query.limit + 1}`);
  return toPage(
    [...rows],
    query.limit,
    (r) => ({
      id: r.id,
      documentId,
      selectorId: r.selector_id,
      selectorType: r.type,
      selectorValue: r.value,
      falsePositive: r.false_positive,
      start: r.start_offset,
      end: r.end_offset,
      raw: r.raw_text,
    }),
    (r) => deps.cursors.encode(scope, [r.start_offset, r.id]),
  );
}
