import type { SelectorType } from '@osint/contracts';
import {
  type CountryCode,
  detectSelectorType,
  type NormalisedSelector,
  tryNormaliseSelector,
} from '@osint/core';
import {
  type Database,
  type DbOrTx,
  documents,
  investigationSelectors,
  investigations,
  isoMicros,
  isoMillis,
  MAX_SELECTOR_VALUE_BYTES,
  memberships,
  mentions,
  selectors,
} from '@osint/db';
import {
  type Actor,
  addSelectorLink,
  recordAudit,
  removeSelectorLink,
  updateSelectorLink,
} from '@osint/writes';
import { and, count, eq, fillPlaceholders, ne, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { requireRole, transactionAs } from '../investigations/access.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { newestFirst, type Page, type TimeIdKey, timeIdKey, toPage } from '../shared/pagination.js';
import type { addSelectorBody, listSelectorsQuery, updateSelectorBody } from './selector.schema.js';

type SelectorRow = typeof selectors.$inferSelect;
type LinkRow = typeof investigationSelectors.$inferSelect;

/**
 * A selector as one investigation knows it: the shared match key (type, value) and everything else from
 * that investigation's own link (ADR 0020) — its spelling, first/last seen, attributes and enrichment.
 */
export function presentSelector(selector: Pick<SelectorRow, 'id' | 'type' | 'value'>, link: LinkRow) {
  return {
    id: selector.id,
    type: selector.type,
    value: selector.value,
    displayValue: link.displayValue,
    attributes: (link.attributes ?? {}) as Record<string, unknown>,
    firstSeenAt: link.firstSeenAt.toISOString(),
    lastSeenAt: link.lastSeenAt.toISOString(),
    source: link.source,
    tags: link.tags,
    note: link.note,
    falsePositive: link.falsePositive,
    addedBy: link.addedBy,
    addedAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
  };
}

export type PresentedSelector = ReturnType<typeof presentSelector>;

function invalidSelector(raw: string, field = 'value', selectorError?: string): AppError {
  // Core's messages quote the input; bound them so a huge value is not echoed back whole.
  const message = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
  return new AppError(400, 'invalid_selector', `The selector was refused: ${message}`, {
    errors: [{ field, message }],
    ...(selectorError ? { selectorError } : {}),
  });
}

export type DerivedSelector =
  | { ok: true; selector: NormalisedSelector }
  | { ok: false; message: string; code?: string };

/**
 * The one derivation of a selector from what a person or a file wrote, used by `addSelector` and the
 * importer alike: core's normaliser with the investigation's default region (and a username's platform),
 * then the match-key size the unique index can hold. The spelling, value and attributes all come from it,
 * never from the caller.
 */
export function deriveSelector(
  type: SelectorType,
  raw: string,
  opts: { defaultRegion: string | null; platform?: string | undefined },
): DerivedSelector {
  const result = tryNormaliseSelector(type, raw, {
    ...(opts.defaultRegion ? { defaultRegion: opts.defaultRegion as CountryCode } : {}),
    ...(opts.platform ? { platform: opts.platform } : {}),
  });
  if (!result.ok) return { ok: false, message: result.error.message, code: result.error.code };
  if (Buffer.byteLength(result.selector.value) > MAX_SELECTOR_VALUE_BYTES) {
    return {
      ok: false,
      message: `the normalised value is longer than ${MAX_SELECTOR_VALUE_BYTES} bytes`,
    };
  }
  return { ok: true, selector: result.selector };
}

/**
 * Adds a selector to an investigation: normalise (core, with the investigation's default region), then the
 * write layer's `addSelectorLink`: the global (type, value) row is inserted or reused, never updated (the
 * hot-row rule, ADR 0010), and the investigation link carries this investigation's spelling, attributes
 * and first/last seen (a re-add merges tags, keeps the note unless one is given, bumps `last_seen_at`).
 * Any number of concurrent adds of the same value end with one selector and one link, and none fails;
 * nothing in the answer depends on another investigation having the value (ADR 0020). Returns whether the
 * link is new (201) or existed (200).
 */
export async function addSelector(
  db: Database,
  actor: Actor,
  investigationId: string,
  input: z.output<typeof addSelectorBody>,
): Promise<{ selector: PresentedSelector; created: boolean }> {
  return transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const [inv] = await tx
      .select({ defaultRegion: investigations.defaultRegion })
      .from(investigations)
      .where(eq(investigations.id, investigationId));
    if (!inv) throw new NotFoundError('investigation');
    const type = input.type ?? detectSelectorType(input.value);
    if (!type) throw invalidSelector('the type could not be detected; give `type`', 'type');
    const derived = deriveSelector(type, input.value, {
      defaultRegion: inv.defaultRegion,
      platform: input.platform,
    });
    if (!derived.ok) throw invalidSelector(derived.message, 'value', derived.code);
    const normalised = derived.selector;
    const { selectorId, link, inserted } = await addSelectorLink(tx, {
      investigationId,
      userId: actor.userId,
      selector: normalised,
      tags: input.tags ?? [],
      note: input.note ?? null,
    });
    const selector = { id: selectorId, type: normalised.type, value: normalised.value };
    const presented = presentSelector(selector, link);
    await recordAudit(tx, actor, {
      action: inserted ? 'selector.add' : 'selector.readd',
      objectType: 'selector',
      objectId: selector.id,
      investigationId,
      after: presented,
    });
    return { selector: presented, created: inserted };
  });
}

/** The selector's link to the investigation, or 404 (`selector`) when it is not in that investigation. */
export async function requireSelectorLink(
  db: DbOrTx,
  investigationId: string,
  selectorId: string,
): Promise<{ id: string }> {
  const [link] = await db
    .select({ id: investigationSelectors.id })
    .from(investigationSelectors)
    .where(
      and(
        eq(investigationSelectors.investigationId, investigationId),
        eq(investigationSelectors.selectorId, selectorId),
      ),
    )
    .limit(1);
  if (!link) throw new NotFoundError('selector');
  return link;
}

async function loadLink(db: DbOrTx, investigationId: string, selectorId: string, lock = false) {
  const query = db
    .select({ selector: selectors, link: investigationSelectors })
    .from(investigationSelectors)
    .innerJoin(selectors, eq(selectors.id, investigationSelectors.selectorId))
    .where(
      and(
        eq(investigationSelectors.investigationId, investigationId),
        eq(investigationSelectors.selectorId, selectorId),
      ),
    )
    .limit(1);
  const [row] = lock ? await query.for('update', { of: investigationSelectors }) : await query;
  if (!row) throw new NotFoundError('selector');
  return row;
}

export async function getSelector(db: Database, userId: string, investigationId: string, selectorId: string) {
  await requireRole(db, userId, investigationId, 'viewer');
  const row = await loadLink(db, investigationId, selectorId);
  return presentSelector(row.selector, row.link);
}

/** A word of a closed vocabulary (selector types, sources) as an SQL string literal. */
const literal = (word: string) => {
  if (!/^[a-z0-9_]+$/.test(word)) throw new TypeError(`not a vocabulary word: ${JSON.stringify(word)}`);
  return sql.raw(`'${word}'`);
};

/** Renders the list's statement to text and parameters for postgres.js. */
const listDialect = new PgDialect();

/** A listed row: the presented selector as PostgreSQL renders it, and the link's cursor key (`t`, `linkId`). */
type ListedSelectorRow = PresentedSelector & { linkId: string; t: string };

/**
 * The list's statement text and its parameters' order for one shape of query (tag or not, the filters, a
 * cursor or not, the limit), built once per shape: the values are placeholders filled per request, so a
 * request neither rebuilds the statement through Drizzle nor renders it to text (together ~3 % of an API
 * process's CPU per list request: docs/performance.md#per-request-cpu). Shapes come from closed
 * vocabularies and a bounded limit; the cache still stops at LIST_SHAPES_MAX and starts over.
 */
const listStatements = new Map<string, { sql: string; params: unknown[] }>();
const LIST_SHAPES_MAX = 512;

function listStatement(query: z.output<typeof listSelectorsQuery>, paged: boolean) {
  // One predicate decides both the shape and the statement, so a cached text never belongs to another
  // branch (the schema already refuses an empty tag).
  const tagged = query.tag !== undefined;
  const shape = `${tagged ? 't' : ''}:${query.type ?? ''}:${query.source ?? ''}:${query.falsePositive ?? ''}:${paged ? 'c' : ''}:${query.limit}`;
  const cached = listStatements.get(shape);
  if (cached) return cached;
  // With a tag, the page walks that tag's own order in investigation_selector_tags (one row per link and
  // tag, kept by triggers; its created_at and link_id are the link's), so a page reads about a page of
  // index entries whatever the tag's frequency; otherwise the links' page index. The investigation, the
  // tag, and a cursor's time and id are all compared through one-row subqueries so that the planner sees
  // none of them: a custom plan then costs what the generic one does plus its planning, so a prepared
  // statement settles on the generic plan (the index walk) after its fifth execution. With the
  // investigation or the cursor visible, a large investigation's custom plan looked cheaper than the
  // generic one and PostgreSQL replanned every execution of a tag page, a type filter or any cursor page,
  // which cost more than executing (docs/performance.md#tag-filter). The type, source and false-positive
  // filters stay visible (literals, below), so each generic plan is still that filter's own.
  const order = tagged
    ? { at: sql`g.created_at`, id: sql`g.link_id` }
    : { at: sql`l.created_at`, id: sql`l.id` };
  const inv = sql.placeholder('inv');
  // The type, source and false-positive filters and the limit are written into the text as literals (each
  // a closed vocabulary, a boolean or a bounded integer the schema has already checked), so that each
  // combination is a prepared statement of its own whose plan PostgreSQL can cache: a parameter there made
  // it replan every execution (a rare type wants another plan than a common one, and `limit $n` makes the
  // generic plan look dearer than any custom one), and planning cost as much as executing.
  const filters = [
    query.type ? sql`and s.type = ${literal(query.type)}` : sql``,
    query.source ? sql`and l.source = ${literal(query.source)}` : sql``,
    query.falsePositive === undefined
      ? sql``
      : sql`and l.false_positive = ${sql.raw(String(query.falsePositive))}`,
    paged
      ? sql`and (${order.at}, ${order.id}) < ((select ${sql.placeholder('at')}::timestamptz), (select ${sql.placeholder('id')}::uuid))`
      : sql``,
  ];
  const from = tagged
    ? sql`investigation_selector_tags g
        join investigation_selectors l on l.id = g.link_id
        join selectors s on s.id = l.selector_id
      where g.investigation_id = (select ${inv}::uuid) and g.tag = (select ${sql.placeholder('tag')}::text)`
    : sql`investigation_selectors l join selectors s on s.id = l.selector_id
      where l.investigation_id = (select ${inv}::uuid)`;
  const statement = sql`
      select s.id, s.type, s.value, l.display_value as "displayValue", l.attributes,
             ${isoMillis(sql`l.first_seen_at`)} as "firstSeenAt", ${isoMillis(sql`l.last_seen_at`)} as "lastSeenAt",
             l.source, l.tags, l.note, l.false_positive as "falsePositive", l.added_by as "addedBy",
             ${isoMillis(sql`l.created_at`)} as "addedAt", ${isoMillis(sql`l.updated_at`)} as "updatedAt",
             l.id as "linkId", ${isoMicros(sql`l.created_at`)} as t
      from ${from}
        and exists (select 1 from memberships m where m.investigation_id = ${inv} and m.user_id = ${sql.placeholder('user')})
        ${sql.join(filters, sql` `)}
      order by ${order.at} desc, ${order.id} desc
      limit ${sql.raw(String(Math.trunc(query.limit) + 1))}`;
  // Prepared (named, per connection): the list's planning cost as much as its execution (0.5–1 ms each at
  // 1M selectors), and Drizzle's `execute` sends unnamed statements that are planned on every call. The
  // text varies only with the shape, so each connection keeps a handful of statements.
  const built = listDialect.sqlToQuery(statement);
  if (listStatements.size >= LIST_SHAPES_MAX) listStatements.clear();
  listStatements.set(shape, built);
  return built;
}

/** A listed row without its cursor columns, built as one literal (an object rest per row cost more). */
const presentListed = (r: ListedSelectorRow): PresentedSelector => ({
  id: r.id,
  type: r.type,
  value: r.value,
  displayValue: r.displayValue,
  attributes: r.attributes,
  firstSeenAt: r.firstSeenAt,
  lastSeenAt: r.lastSeenAt,
  source: r.source,
  tags: r.tags,
  note: r.note,
  falsePositive: r.falsePositive,
  addedBy: r.addedBy,
  addedAt: r.addedAt,
  updatedAt: r.updatedAt,
});

/**
 * A page of the investigation's selectors, newest first, in one statement: the membership check rides
 * along as a one-time filter (`exists (… memberships …)`), and PostgreSQL renders the timestamps, so the
 * API neither waits for a second round trip nor maps rows through Drizzle and `Date` (both were most of
 * the list's cost at 1M selectors: docs/performance.md#api-at-1m-selectors). Only an empty page asks
 * `requireRole` why, so a non-member still gets the same 404 as before. Viewer is the lowest role, so any
 * membership may read.
 */
export async function listSelectors(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: z.output<typeof listSelectorsQuery>,
): Promise<Page<PresentedSelector>> {
  const scope = `selectors:${investigationId}:${query.type ?? ''}:${query.tag ?? ''}:${query.source ?? ''}:${query.falsePositive ?? ''}`;
  const key: TimeIdKey | null = query.cursor ? deps.cursors.decode(scope, query.cursor, timeIdKey) : null;
  const { sql: text, params } = listStatement(query, key !== null);
  const values = { inv: investigationId, user: userId, tag: query.tag, at: key?.[0], id: key?.[1] };
  const rows = await deps.sql.unsafe<ListedSelectorRow[]>(text, fillPlaceholders(params, values) as never[], {
    prepare: true,
  });
  if (rows.length === 0) await requireRole(deps.db, userId, investigationId, 'viewer');
  return toPage(rows, query.limit, presentListed, (r) => deps.cursors.encode(scope, [r.t, r.linkId]));
}

export async function updateSelector(
  db: Database,
  actor: Actor,
  investigationId: string,
  selectorId: string,
  input: z.output<typeof updateSelectorBody>,
) {
  return transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const before = await loadLink(tx, investigationId, selectorId, true);
    const changes: Partial<LinkRow> = {};
    if (input.tags !== undefined) changes.tags = [...new Set(input.tags)];
    if (input.note !== undefined) changes.note = input.note;
    if (input.falsePositive !== undefined) changes.falsePositive = input.falsePositive;
    const link = await updateSelectorLink(tx, before.link.id, changes);
    if (!link) throw new NotFoundError('selector');
    const presented = presentSelector(before.selector, link);
    await recordAudit(tx, actor, {
      action: 'selector.update',
      objectType: 'selector',
      objectId: selectorId,
      investigationId,
      before: presentSelector(before.selector, before.link),
      after: presented,
    });
    return presented;
  });
}

/** Removes the selector from this investigation only; the global selector and other links stay. */
export async function removeSelector(
  db: Database,
  actor: Actor,
  investigationId: string,
  selectorId: string,
) {
  await transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const before = await loadLink(tx, investigationId, selectorId, true);
    await removeSelectorLink(tx, before.link.id);
    await recordAudit(tx, actor, {
      action: 'selector.remove',
      objectType: 'selector',
      objectId: selectorId,
      investigationId,
      before: presentSelector(before.selector, before.link),
    });
  });
}

/**
 * Other investigations containing the same selector, restricted to those the caller is a member of: the
 * join runs through the caller's memberships, so investigations they cannot see are neither listed nor
 * counted.
 */
export async function listCorrelations(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  selectorId: string,
  query: { cursor?: string | undefined; limit: number },
) {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  await loadLink(deps.db, investigationId, selectorId);
  const l = investigationSelectors;
  const list = newestFirst(
    deps.cursors,
    `correlations:${investigationId}:${selectorId}:${userId}`,
    query,
    l.createdAt,
    l.id,
  );
  const visible = and(
    eq(l.selectorId, selectorId),
    ne(l.investigationId, investigationId),
    eq(memberships.userId, userId),
  );
  const mentionCount = deps.db
    .select({ n: count() })
    .from(mentions)
    .innerJoin(documents, eq(documents.id, mentions.documentId))
    .where(and(eq(mentions.selectorId, selectorId), eq(documents.investigationId, l.investigationId)));
  const [rows, totals] = await Promise.all([
    list.fetch(
      deps.db
        .select({
          link: l,
          inv: investigations,
          role: memberships.role,
          t: list.time,
          mentionCount: sql<number>`(${mentionCount})::int`,
        })
        .from(l)
        .innerJoin(memberships, eq(memberships.investigationId, l.investigationId))
        .innerJoin(investigations, eq(investigations.id, l.investigationId))
        .$dynamic(),
      visible,
    ),
    deps.db
      .select({ n: count() })
      .from(l)
      .innerJoin(memberships, eq(memberships.investigationId, l.investigationId))
      .where(visible),
  ]);
  const page = list.page(
    rows,
    (r) => ({
      investigationId: r.inv.id,
      title: r.inv.title,
      status: r.inv.status,
      tlp: r.inv.tlp,
      role: r.role,
      source: r.link.source,
      falsePositive: r.link.falsePositive,
      addedAt: r.link.createdAt.toISOString(),
      mentionCount: Number(r.mentionCount),
    }),
    (r) => r.link.id,
  );
  return { ...page, total: totals[0]?.n ?? 0 };
}
