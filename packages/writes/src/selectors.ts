import type { SelectorType } from '@osint/contracts';
import { type DbOrTx, investigationSelectors, MAX_SELECTOR_VALUE_BYTES } from '@osint/db';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { chunks } from './sql-state.js';

/*
 * Selectors and their investigation links, set-based: each statement takes its rows as one JSON parameter
 * (`jsonb_to_recordset`), so a batch of thousands is one round trip. Every write is keyed by a natural key
 * and safe to repeat: selectors (type, value) · investigation_selectors (investigation, selector), which
 * holds everything the investigation observed (ADR 0020). Rows are sorted by their key so concurrent
 * writers lock shared rows in the same order (no deadlock cycles).
 *
 * The hot-row rule (ADR 0010): the global (type, value) row is never updated, only inserted with
 * `on conflict do nothing` and read `for key share`, so a value every document mentions serialises
 * nobody; a link's `last_seen_at` is refreshed at most once per LAST_SEEN_GRANULARITY_SECONDS.
 */

export interface SelectorInput {
  type: SelectorType;
  value: string;
}

/** What one investigation observed of a selector: its spelling and the normalisation facts. */
export interface ObservedSelector {
  selectorId: string;
  displayValue: string;
  attributes: Record<string, unknown>;
  /** Extraction matched the investigation's allow-list: the link gets the `allow-listed` tag. */
  allowListed: boolean;
  /** What an import carries over onto a new link (an existing link keeps its own). */
  tags?: readonly string[];
  note?: string | null;
  falsePositive?: boolean;
}

export const selectorKey = (type: string, value: string) => `${type}\u0000${value}`;

/** Whether the match key fits the unique index (`selectors_value_size`); longer ones are skipped, counted. */
export function fitsSelectorIndex(value: string): boolean {
  return Buffer.byteLength(value, 'utf8') <= MAX_SELECTOR_VALUE_BYTES;
}

/**
 * How fresh a link's `last_seen_at` is kept: a selector seen again within this window is not rewritten.
 * Refreshing it on every sighting would take a row lock per sighting, and a hot indicator (a sinkhole, a
 * shared host) would then serialise every job of the investigation that mentions it on that one row.
 */
export const LAST_SEEN_GRANULARITY_SECONDS = 60;

/** (type, value) order, the order of the unique index: writers lock shared rows in one order. */
const byTypeValue = (a: SelectorInput, b: SelectorInput) =>
  a.type < b.type ? -1 : a.type > b.type ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0;

/**
 * Upserts the global (type, value) rows and returns every selector's id by key. One statement per batch:
 * the rows that exist are read `for key share`, so the clean-up of a deleted investigation cannot remove a
 * row this transaction is about to link; the others are inserted with `on conflict (type, value) do
 * nothing` (a concurrent job inserting the same value makes this one wait for its commit, and the next
 * round reads that row). Both go in (type, value) order, so two jobs never wait on each other in a cycle
 * through these rows. Reading first means a value already known costs one index probe and no insert
 * attempt, the common case once a platform has seen a few reports. The global row holds nothing else
 * (ADR 0020): what the investigation saw goes on its link ({@link linkSelectors}).
 */
export async function upsertSelectors(
  tx: DbOrTx,
  items: readonly SelectorInput[],
): Promise<Map<string, string>> {
  const unique = new Map<string, SelectorInput>();
  for (const item of items) {
    const key = selectorKey(item.type, item.value);
    if (!unique.has(key)) unique.set(key, { type: item.type, value: item.value });
  }
  const ids = new Map<string, string>();
  const sorted = [...unique.values()].sort(byTypeValue);
  for (const batch of chunks(sorted)) {
    let missing = batch;
    // A row read as existing can vanish before it is locked when the last investigation referencing it
    // is deleted at that moment (the clean-up skips locked rows only), and a row a concurrent job inserts
    // is invisible to this statement's snapshot: the next round, with a new snapshot, settles both.
    for (let round = 0; missing.length > 0 && round < 3; round++) {
      const rows = await tx.execute<{ id: string; type: string; value: string }>(sql`
        with r as materialized (
          select r.type, r.value
          from jsonb_to_recordset(${JSON.stringify(missing)}::jsonb) as r(type selector_type, value text)
        ),
        existing as (
          select s.id, s.type, s.value
          from r join selectors s on s.type = r.type and s.value = r.value
          order by s.type, s.value
          for key share of s
        ),
        inserted as (
          insert into selectors (type, value)
          select r.type, r.value from r
          where not exists (select 1 from existing e where e.type = r.type and e.value = r.value)
          order by r.type, r.value
          on conflict (type, value) do nothing
          returning id, type, value
        )
        select id, type, value from existing
        union all
        select id, type, value from inserted`);
      for (const row of rows) ids.set(selectorKey(row.type, row.value), row.id);
      if (rows.length === missing.length) break;
      missing = missing.filter((s) => !ids.has(selectorKey(s.type, s.value)));
    }
    const lost = missing.filter((s) => !ids.has(selectorKey(s.type, s.value))).length;
    if (lost > 0) throw new Error(`could not upsert ${lost} selectors`);
  }
  return ids;
}

/**
 * Links selectors into an investigation with what it observed: its spelling, the normalisation facts,
 * first/last seen = now. An existing link keeps its source, adder and spelling (an analyst's manual entry
 * stays manual); its `last_seen_at` moves to now when older than {@link LAST_SEEN_GRANULARITY_SECONDS}.
 * Flagged selectors also get the `allow-listed` tag, added only where it is missing, so the common case
 * takes no row lock on existing links. Returns how many links are new.
 */
export async function linkSelectors(
  tx: DbOrTx,
  link: {
    investigationId: string;
    source: 'extraction' | 'enrichment' | 'import';
    jobId: string | null;
    addedBy: string | null;
    items: readonly ObservedSelector[];
  },
): Promise<number> {
  let linked = 0;
  const unique = new Map<string, ObservedSelector>();
  for (const item of link.items) {
    const seen = unique.get(item.selectorId);
    unique.set(item.selectorId, seen ? { ...seen, allowListed: seen.allowListed || item.allowListed } : item);
  }
  const sorted = [...unique.values()].sort((a, b) => (a.selectorId < b.selectorId ? -1 : 1));
  for (const batch of chunks(sorted)) {
    const json = JSON.stringify(
      batch.map((o) => ({
        selector_id: o.selectorId,
        flagged: o.allowListed,
        display_value: o.displayValue.slice(0, 8192),
        attributes: o.attributes,
        tags: o.tags ? [...new Set(o.tags)] : undefined,
        note: o.note ?? undefined,
        false_positive: o.falsePositive,
      })),
    );
    const rows = await tx.execute<{ selector_id: string }>(sql`
      insert into investigation_selectors
        (investigation_id, selector_id, source, added_by, added_by_job_id, tags, display_value, attributes,
         note, false_positive)
      select ${link.investigationId}::uuid, r.selector_id, ${link.source}::selector_source,
             ${link.addedBy}::uuid, ${link.jobId}::uuid,
             case when r.tags is not null then array(select jsonb_array_elements_text(r.tags))
                  when r.flagged then array['allow-listed']::text[] else '{}'::text[] end,
             r.display_value, r.attributes, r.note, coalesce(r.false_positive, false)
      from jsonb_to_recordset(${json}::jsonb)
        as r(selector_id uuid, flagged boolean, display_value text, attributes jsonb, tags jsonb, note text,
             false_positive boolean)
      order by r.selector_id
      on conflict (investigation_id, selector_id) do nothing
      returning selector_id`);
    linked += rows.length;
    const fresh = new Set(rows.map((r) => r.selector_id));
    const existing = batch.filter((o) => !fresh.has(o.selectorId));
    if (existing.length === 0) continue;
    await tx.execute(sql`
      update investigation_selectors l set last_seen_at = greatest(l.last_seen_at, now())
      from (select id from investigation_selectors
            where investigation_id = ${link.investigationId}::uuid
              and selector_id in ${existing.map((o) => o.selectorId)}
              and last_seen_at < now() - make_interval(secs => ${LAST_SEEN_GRANULARITY_SECONDS})
            order by selector_id for no key update) t
      where l.id = t.id`);
    const flagged = existing.filter((o) => o.allowListed).map((o) => o.selectorId);
    if (flagged.length > 0) {
      await tx.execute(sql`
        update investigation_selectors l
        set tags = l.tags || array['allow-listed']::text[], updated_at = now()
        from (select id from investigation_selectors
              where investigation_id = ${link.investigationId}::uuid
                and selector_id in ${flagged}
                and not ('allow-listed' = any(tags))
                and cardinality(tags) < 50
              order by selector_id for no key update) t
        where l.id = t.id`);
    }
  }
  return linked;
}

type LinkRow = typeof investigationSelectors.$inferSelect;

/**
 * A person adds a selector to an investigation (`POST …/selectors`): the global row as every writer does
 * it ({@link upsertSelectors}: never updated, so a hot value holds up nobody), then the link. A new link
 * carries the person's spelling, tags and note (source `manual`); an existing one is a re-add, an edit of
 * this investigation's own row: tags merged, the note replaced only when one is given, `last_seen_at` now.
 * Returns the link and whether it is new.
 */
export async function addSelectorLink(
  tx: DbOrTx,
  add: {
    investigationId: string;
    userId: string;
    selector: SelectorInput & { displayValue: string; attributes: Record<string, unknown> };
    tags: readonly string[];
    note: string | null;
  },
  attempt = 1,
): Promise<{ selectorId: string; link: LinkRow; inserted: boolean }> {
  const ids = await upsertSelectors(tx, [add.selector]);
  const selectorId = ids.get(selectorKey(add.selector.type, add.selector.value));
  if (!selectorId) throw new Error('upsert returned no row');
  const [created] = await tx
    .insert(investigationSelectors)
    .values({
      investigationId: add.investigationId,
      selectorId,
      source: 'manual',
      displayValue: add.selector.displayValue,
      attributes: add.selector.attributes,
      tags: [...add.tags],
      note: add.note,
      addedBy: add.userId,
    })
    .onConflictDoNothing({
      target: [investigationSelectors.investigationId, investigationSelectors.selectorId],
    })
    .returning();
  if (created) return { selectorId, link: created, inserted: true };
  const l = investigationSelectors;
  const [updated] = await tx
    .update(l)
    .set({
      lastSeenAt: sql`greatest(${l.lastSeenAt}, now())`,
      tags: sql`array(select distinct t from unnest(${l.tags} || array(select jsonb_array_elements_text(${JSON.stringify(add.tags)}::jsonb))) as t order by t)`,
      note: sql`coalesce(${add.note}::text, ${l.note})`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(l.investigationId, add.investigationId), eq(l.selectorId, selectorId)))
    .returning(getTableColumns(l));
  // The link vanished between the two statements (the selector was just removed): add it again, a
  // bounded number of times, as upsertSelectors does for the same race.
  if (!updated) {
    if (attempt >= 3) throw new Error('could not add the selector link: it was removed on every attempt');
    return addSelectorLink(tx, add, attempt + 1);
  }
  return { selectorId, link: updated, inserted: false };
}

/** An analyst's edit of one link (tags, note, false positive). */
export async function updateSelectorLink(
  tx: DbOrTx,
  linkId: string,
  changes: Partial<Pick<LinkRow, 'tags' | 'note' | 'falsePositive'>>,
): Promise<LinkRow | undefined> {
  const [link] = await tx
    .update(investigationSelectors)
    .set(changes)
    .where(eq(investigationSelectors.id, linkId))
    .returning();
  return link;
}

/** Removes one link: the global selector and other investigations' links stay. */
export async function removeSelectorLink(tx: DbOrTx, linkId: string): Promise<void> {
  await tx.delete(investigationSelectors).where(eq(investigationSelectors.id, linkId));
}

/**
 * Merges what enrichment learned into this investigation's links (`attributes.enrichment`, ADR 0020),
 * locked in selector-id order like every other link write, so two jobs of one investigation never wait on
 * each other in a cycle; links whose facts did not change are not rewritten (and so not locked): offline
 * providers give the same answer every time. Returns how many links changed.
 */
export async function mergeLinkEnrichment(
  tx: DbOrTx,
  investigationId: string,
  patches: ReadonlyArray<{ id: string; patch: Record<string, unknown> }>,
): Promise<number> {
  if (patches.length === 0) return 0;
  const sorted = [...patches].sort((a, b) => (a.id < b.id ? -1 : 1));
  const updated = await tx.execute<{ id: string }>(sql`
    update investigation_selectors l
    set attributes = l.attributes || jsonb_build_object(
          'enrichment', coalesce(l.attributes -> 'enrichment', '{}'::jsonb) || t.patch)
    from (
      select c.id, r.patch
      from investigation_selectors c
      join jsonb_to_recordset(${JSON.stringify(sorted)}::jsonb) as r(id uuid, patch jsonb)
        on c.selector_id = r.id
      where c.investigation_id = ${investigationId}::uuid
        and exists (
          select 1 from jsonb_each(r.patch) p
          where (c.attributes -> 'enrichment' -> p.key) is distinct from p.value)
      order by c.selector_id
      for no key update of c) t
    where l.id = t.id
    returning l.selector_id as id`);
  return updated.length;
}
