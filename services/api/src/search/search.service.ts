import { SELECTOR_TYPES, type SelectorType } from '@osint/contracts';
import {
  detectSelectorType,
  ExtractionBudgetError,
  type TaskOptions,
  tryNormaliseSelector,
} from '@osint/core';
import { investigations, memberships } from '@osint/db';
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { requireRole } from '../investigations/access.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { MAX_LOOKUP_ITEMS, MAX_SEARCH_WINDOW, type SearchQuery } from './search.schema.js';
import { type CachedAnswer, type CacheVersion, cachedSearch, combinedVersion } from './search-cache.js';

/** Characters of a document's text ts_headline reads: snippets come from the start of very long texts. */
const HEADLINE_MAX_CHARS = 100_000;
/** Markers ts_headline puts around matches; stripped from the text first so they cannot be forged. */
const START = '\u0002';
const STOP = '\u0003';

const offsetsKey = z.tuple([z.number().int().min(0), z.number().int().min(0)]);

interface Scope {
  /** One investigation, or every investigation the user is a member of. */
  investigationId?: string;
  userId: string;
}

/** `%`, `_` and `\` are LIKE wildcards; a search for them means the characters. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Exact-match candidates: the text as typed and, when it reads as a selector, its normalised form
 * (`example[.]com` → `example.com`), which the substring pattern cannot match. Searched on the unique
 * `(type, value)` B-tree with `type = any(…)` (the requested type, else every type: one descent each), so an
 * exact match is ranked first even when more than {@link SEARCH_CANDIDATES} substrings match. Never as
 * `value = any(…)` alone: the planner answers that with the trigram index, whose padded edge trigrams have
 * posting lists as long as the table (docs/decisions/0004-indexing-strategy.md, update 2026-11-25).
 */
export function exactCandidates(q: string, type?: SelectorType): { types: SelectorType[]; values: string[] } {
  const values = new Set([q]);
  const detected = type ?? detectSelectorType(q);
  if (detected) {
    const normalised = tryNormaliseSelector(detected, q);
    if (normalised.ok && (!type || normalised.selector.type === type)) values.add(normalised.selector.value);
  }
  return { types: type ? [type] : [...SELECTOR_TYPES], values: [...values] };
}

/**
 * Most substring matches ranked per query: one more than the deepest row a cursor can reach, so paging
 * within MAX_SEARCH_WINDOW sees one stable candidate set, and a term that matches a large share of an
 * investigation (`exam` in 1M `*.example.com` selectors) costs 1,001 rows, not a sort of all of them.
 * Beyond it the order is "best of the first 1,001 matches found" (exact matches are always included);
 * docs/performance.md#search-at-1m-selectors measures both shapes.
 */
export const SEARCH_CANDIDATES = MAX_SEARCH_WINDOW + 1;

const SELECTOR_COLUMNS = `s.id, s.type, s.value, isel.display_value, isel.investigation_id, isel.source, isel.tags,
           isel.false_positive`;

/**
 * The selector search's statement for a scope (one investigation, or every investigation of a user: `$1`) and
 * with or without a type filter (`$9`): four texts, sent as named prepared statements. Parsed once per
 * connection, they are planned with each request's values (PostgreSQL keeps choosing custom plans here, the
 * term deciding whether the trigram index pays); an unnamed statement would be parsed and analysed on every
 * request too (docs/performance.md#search).
 * `$2` substring pattern, `$3` types and `$4` values of the exact branch, `$5` prefix pattern, `$6` the term,
 * `$7` limit, `$8` offset.
 */
function selectorSearchStatement(allOfUser: boolean, typed: boolean): string {
  const scope = allOfUser
    ? 'isel.investigation_id in (select investigation_id from memberships where user_id = $1::uuid)'
    : 'isel.investigation_id = $1::uuid';
  const typeFilter = typed ? 'and s.type = $9::text::selector_type' : '';
  return `
    with hits as (
      (select ${SELECTOR_COLUMNS}
       from selectors s join investigation_selectors isel on isel.selector_id = s.id
       where ${scope} and s.value ilike $2::text ${typeFilter}
       limit ${SEARCH_CANDIDATES})
      union
      select ${SELECTOR_COLUMNS}
      from selectors s join investigation_selectors isel on isel.selector_id = s.id
      where ${scope} and s.type = any($3::text[]::selector_type[]) and s.value = any($4::text[])
    )
    select h.id, h.type, h.value, h.display_value, h.investigation_id, i.title as investigation_title,
           h.source, h.tags, h.false_positive,
           h.value = any($4::text[]) as is_exact, h.value ilike $5::text as is_prefix
    from hits h join investigations i on i.id = h.investigation_id
    order by is_exact desc, is_prefix desc, similarity(h.value, $6::text) desc, h.value, i.id
    limit $7::int offset $8::int`;
}

async function searchSelectors(
  deps: ApiDeps,
  scope: Scope,
  query: SearchQuery,
  offset: number,
  limit: number,
) {
  const q = query.q;
  const exact = exactCandidates(q, query.type);
  const params: Array<string | number | string[]> = [
    scope.investigationId ?? scope.userId,
    q.length >= 3 ? `%${likeEscape(q)}%` : `${likeEscape(q)}%`,
    exact.types,
    exact.values,
    `${likeEscape(q)}%`,
    q,
    limit + 1,
    offset,
  ];
  if (query.type) params.push(query.type);
  const rows = await deps.sql.unsafe<
    Array<{
      id: string;
      type: SelectorType;
      value: string;
      display_value: string;
      investigation_id: string;
      investigation_title: string;
      source: string;
      tags: string[];
      false_positive: boolean;
      is_exact: boolean;
      is_prefix: boolean;
    }>
  >(selectorSearchStatement(scope.investigationId === undefined, query.type !== undefined), params, {
    prepare: true,
  });
  const items = [...rows].slice(0, limit).map((r) => ({
    id: r.id,
    type: r.type,
    value: r.value,
    displayValue: r.display_value,
    investigationId: r.investigation_id,
    investigationTitle: r.investigation_title,
    source: r.source,
    tags: r.tags,
    falsePositive: r.false_positive,
    match: r.is_exact ? ('exact' as const) : r.is_prefix ? ('prefix' as const) : ('substring' as const),
  }));
  return { items, more: rows.length > limit };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Splits ts_headline output on its markers into plain text, match offsets and an escaped HTML rendering. */
export function parseHeadline(marked: string) {
  let snippet = '';
  let html = '';
  const highlights: Array<{ start: number; end: number }> = [];
  let open: number | null = null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the markers are control characters on purpose.
  for (const part of marked.split(/([\u0002\u0003])/)) {
    if (part === START) {
      open = snippet.length;
      html += '<mark>';
    } else if (part === STOP) {
      if (open !== null && snippet.length > open) highlights.push({ start: open, end: snippet.length });
      open = null;
      html += '</mark>';
    } else {
      snippet += part;
      html += escapeHtml(part);
    }
  }
  return { snippet, highlights, snippetHtml: html };
}

async function searchDocuments(
  deps: ApiDeps,
  scope: Scope,
  query: SearchQuery,
  offset: number,
  limit: number,
) {
  const where = scope.investigationId
    ? sql`d.investigation_id = ${scope.investigationId}`
    : sql`d.investigation_id in (select investigation_id from memberships where user_id = ${scope.userId})`;
  const rows = await deps.db.execute<{
    id: string;
    investigation_id: string;
    investigation_title: string;
    title: string;
    media_type: string;
    rank: number;
    headline: string;
  }>(sql`
    with q as (select websearch_to_tsquery('simple', ${query.q}) as query),
    hits as (
      select d.id, d.investigation_id, d.title, d.media_type, ts_rank(d.search_vector, q.query) as rank,
             d.created_at
      from documents d, q
      where ${where} and d.search_vector @@ q.query
      order by rank desc, d.created_at desc, d.id
      limit ${limit + 1} offset ${offset}
    )
    select h.id, h.investigation_id, i.title as investigation_title, h.title, h.media_type, h.rank,
           ts_headline('simple',
             translate(left(coalesce(d.extracted_text, ''), ${HEADLINE_MAX_CHARS}), ${START + STOP}, ''),
             q.query,
             ${`StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}
           ) as headline
    from hits h join documents d on d.id = h.id join investigations i on i.id = h.investigation_id, q
    order by h.rank desc, h.created_at desc, h.id`);
  const items = [...rows].slice(0, limit).map((r) => ({
    id: r.id,
    investigationId: r.investigation_id,
    investigationTitle: r.investigation_title,
    title: r.title,
    mediaType: r.media_type,
    rank: Number(r.rank),
    ...parseHeadline(r.headline ?? ''),
  }));
  return { items, more: rows.length > limit };
}

export interface SearchAnswer {
  query: string;
  kind: SearchQuery['kind'];
  selectors: { items: unknown[]; nextCursor: string | null } | null;
  documents: { items: unknown[]; nextCursor: string | null } | null;
}

async function runSearch(deps: ApiDeps, scope: Scope, query: SearchQuery, version: CacheVersion) {
  const cursorScope = `search:${scope.investigationId ?? `user:${scope.userId}`}:${query.kind}:${query.type ?? ''}:${query.q}`;
  const [selOffset, docOffset] = query.cursor
    ? deps.cursors.decode(cursorScope, query.cursor, offsetsKey)
    : [0, 0];
  const wantSelectors = query.kind !== 'documents';
  const wantDocuments = query.kind !== 'selectors';
  const request = {
    scope: scope.investigationId ?? `user:${scope.userId}`,
    q: query.q,
    kind: query.kind,
    type: query.type ?? null,
    limit: query.limit,
    offsets: [selOffset, docOffset],
  };
  return cachedSearch<SearchAnswer>(deps, version, request, async () => {
    const limitAt = (offset: number) => Math.max(0, Math.min(query.limit, MAX_SEARCH_WINDOW - offset));
    const sel = wantSelectors
      ? await searchSelectors(deps, scope, query, selOffset, limitAt(selOffset))
      : null;
    const doc = wantDocuments
      ? await searchDocuments(deps, scope, query, docOffset, limitAt(docOffset))
      : null;
    const nextSel = sel?.more ? selOffset + sel.items.length : null;
    const nextDoc = doc?.more ? docOffset + doc.items.length : null;
    const cursorFor = (s: number | null, d: number | null) =>
      (s === null && d === null) || (s ?? 0) >= MAX_SEARCH_WINDOW || (d ?? 0) >= MAX_SEARCH_WINDOW
        ? null
        : deps.cursors.encode(cursorScope, [
            s ?? selOffset + (sel?.items.length ?? 0),
            d ?? docOffset + (doc?.items.length ?? 0),
          ]);
    // One cursor continues both sections; a section that is exhausted stays empty on later pages.
    const next = cursorFor(nextSel, nextDoc);
    return {
      query: query.q,
      kind: query.kind,
      selectors: sel ? { items: sel.items, nextCursor: nextSel === null ? null : next } : null,
      documents: doc ? { items: doc.items, nextCursor: nextDoc === null ? null : next } : null,
    };
  });
}

/** Search inside one investigation (viewers and up). */
export async function searchInvestigation(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: SearchQuery,
): Promise<CachedAnswer> {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  return runSearch(deps, { investigationId, userId }, query, { investigationId });
}

/** Search across every investigation the user is a member of (admins included: membership only). */
export async function searchEverywhere(
  deps: ApiDeps,
  userId: string,
  query: SearchQuery,
): Promise<CachedAnswer> {
  const members = await deps.db
    .select({ investigationId: memberships.investigationId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.investigationId));
  if (members.length === 0) {
    const empty = { items: [], nextCursor: null };
    const answer: SearchAnswer = {
      query: query.q,
      kind: query.kind,
      selectors: query.kind === 'documents' ? null : empty,
      documents: query.kind === 'selectors' ? null : empty,
    };
    return { json: JSON.stringify(answer), cache: 'miss' };
  }
  const version = await combinedVersion(deps, members);
  return runSearch(deps, { userId }, query, version);
}

/** 422 problem+json for an extraction that hit a budget; the limit and its setting are named. */
export class ExtractionBudgetExceededError extends AppError {
  constructor(error: ExtractionBudgetError) {
    super(422, 'extraction_budget_exceeded', `Extraction stopped: ${error.message}.`, {
      limit: error.limit,
      setting: error.setting,
      value: error.value,
    });
  }
}

/** Extraction on the pool's threads, never on the event loop (ADR 0017). */
async function extractOffThread(deps: ApiDeps, text: string, options: TaskOptions) {
  try {
    return await deps.extraction.extractText(text, options);
  } catch (error) {
    if (error instanceof ExtractionBudgetError) throw new ExtractionBudgetExceededError(error);
    throw error;
  }
}

/**
 * "Paste a list": runs core's extractor over the text (refanging, every selector type, the
 * investigation's region for phone numbers), then looks every distinct selector up exactly in the
 * investigation. Cached like searches (the answer depends only on the text and the investigation).
 */
export async function lookupPasted(deps: ApiDeps, userId: string, investigationId: string, text: string) {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  const [inv] = await deps.db
    .select({ defaultRegion: investigations.defaultRegion })
    .from(investigations)
    .where(eq(investigations.id, investigationId))
    .limit(1);
  if (!inv) throw new NotFoundError('investigation');
  return cachedSearch(deps, { investigationId }, { lookup: investigationId, text }, async () => {
    const found = await extractOffThread(deps, text, {
      defaultRegion: inv.defaultRegion,
      maxMatches: MAX_LOOKUP_ITEMS * 4,
    });
    const distinct = new Map<
      string,
      { type: SelectorType; value: string; raw: string; occurrences: number }
    >();
    let truncated = found.length >= MAX_LOOKUP_ITEMS * 4;
    for (const match of found) {
      const key = `${match.type}\u0000${match.value}`;
      const seen = distinct.get(key);
      if (seen) seen.occurrences += 1;
      else if (distinct.size < MAX_LOOKUP_ITEMS) {
        distinct.set(key, { type: match.type, value: match.value, raw: match.raw, occurrences: 1 });
      } else truncated = true;
    }
    const wanted = [...distinct.values()];
    const rows =
      wanted.length === 0
        ? []
        : await deps.db.execute<{
            id: string;
            type: SelectorType;
            value: string;
            display_value: string;
            investigation_title: string;
            source: string;
            tags: string[];
            false_positive: boolean;
          }>(sql`
            select s.id, s.type, s.value, isel.display_value, i.title as investigation_title, isel.source,
                   isel.tags, isel.false_positive
            from jsonb_to_recordset(${JSON.stringify(wanted.map(({ type, value }) => ({ type, value })))}::jsonb)
              as w(type selector_type, value text)
            join selectors s on s.type = w.type and s.value = w.value
            join investigation_selectors isel on isel.selector_id = s.id and isel.investigation_id = ${investigationId}
            join investigations i on i.id = isel.investigation_id`);
    const byKey = new Map([...rows].map((r) => [`${r.type}\u0000${r.value}`, r]));
    const items = wanted.map((w) => {
      const row = byKey.get(`${w.type}\u0000${w.value}`);
      return {
        ...w,
        found: row !== undefined,
        selector: row
          ? {
              id: row.id,
              type: row.type,
              value: row.value,
              displayValue: row.display_value,
              investigationId,
              investigationTitle: row.investigation_title,
              source: row.source,
              tags: row.tags,
              falsePositive: row.false_positive,
            }
          : null,
      };
    });
    const covered = new Set<number>();
    const lineStarts: number[] = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
    const lineOf = (offset: number) => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((lineStarts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    for (const match of found) covered.add(lineOf(match.start));
    const unrecognisedLines: string[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length && unrecognisedLines.length < 100; i++) {
      const line = (lines[i] as string).trim();
      if (line !== '' && !covered.has(i)) unrecognisedLines.push(line.slice(0, 200));
    }
    const foundCount = items.filter((i) => i.found).length;
    return { items, found: foundCount, notFound: items.length - foundCount, truncated, unrecognisedLines };
  });
}
