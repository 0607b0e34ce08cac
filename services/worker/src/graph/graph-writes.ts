import type { ObjectKind, RelationshipType, SelectorType } from '@osint/contracts';
import { auditEvents, type DbOrTx, MAX_SELECTOR_VALUE_BYTES } from '@osint/db';
import { sql } from 'drizzle-orm';

/*
 * Set-based writes shared by the extract and enrich processors. Each statement takes its rows as one JSON
 * parameter (`jsonb_to_recordset`), so a batch of thousands is one round trip with one parameter, far below
 * PostgreSQL's 65 535-parameter limit. Every write is keyed by a natural key and safe to repeat:
 *   selectors (type, value) · investigation_selectors (investigation, selector), which holds everything
 *   the investigation observed (ADR 0020) ·
 *   mentions (document, selector, start) · relationships (investigation, source, target, type).
 * Rows are sorted by their key so concurrent jobs lock shared rows in the same order (no deadlock cycles).
 */

/** Rows per statement: bounds the JSON parameter (a few MB at most) and each statement's memory. */
const CHUNK = 5_000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

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

/**
 * Upserts the global (type, value) rows and returns every selector's id by key. New ones are inserted
 * (`on conflict (type, value) do nothing`: a concurrent job inserting the same value makes this one wait
 * for its commit, then it reuses that row); existing ones are read `for key share`, so the clean-up of a
 * deleted investigation cannot remove a row this transaction is about to link. Both go in (type, value)
 * order, so two jobs never wait on each other in a cycle through these rows. The global row holds nothing
 * else (ADR 0020): what the investigation saw goes on its link ({@link linkSelectors}).
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
  const sorted = [...unique.values()].sort((a, b) =>
    selectorKey(a.type, a.value) < selectorKey(b.type, b.value) ? -1 : 1,
  );
  for (const batch of chunks(sorted)) {
    let missing = batch;
    // A row read as existing can vanish before it is locked when the last investigation referencing it
    // is deleted at that moment (the clean-up skips locked rows only); inserting again settles it.
    for (let round = 0; missing.length > 0 && round < 3; round++) {
      const inserted = await tx.execute<{ id: string; type: string; value: string }>(sql`
        insert into selectors (type, value)
        select r.type, r.value
        from jsonb_to_recordset(${JSON.stringify(missing)}::jsonb) as r(type selector_type, value text)
        order by r.type, r.value
        on conflict (type, value) do nothing
        returning id, type, value`);
      for (const row of inserted) ids.set(selectorKey(row.type, row.value), row.id);
      const rest = missing.filter((s) => !ids.has(selectorKey(s.type, s.value)));
      missing = rest;
      if (rest.length === 0) break;
      const existing = await tx.execute<{ id: string; type: string; value: string }>(sql`
        select s.id, s.type, s.value
        from selectors s
        join jsonb_to_recordset(${JSON.stringify(rest)}::jsonb) as r(type selector_type, value text)
          on s.type = r.type and s.value = r.value
        order by s.type, s.value
        for key share of s`);
      for (const row of existing) ids.set(selectorKey(row.type, row.value), row.id);
      missing = rest.filter((s) => !ids.has(selectorKey(s.type, s.value)));
    }
    if (missing.length > 0) throw new Error(`could not upsert ${missing.length} selectors`);
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
    source: 'extraction' | 'enrichment';
    jobId: string;
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
      })),
    );
    const rows = await tx.execute<{ selector_id: string }>(sql`
      insert into investigation_selectors
        (investigation_id, selector_id, source, added_by, added_by_job_id, tags, display_value, attributes)
      select ${link.investigationId}::uuid, r.selector_id, ${link.source}::selector_source,
             ${link.addedBy}::uuid, ${link.jobId}::uuid,
             case when r.flagged then array['allow-listed']::text[] else '{}'::text[] end,
             r.display_value, r.attributes
      from jsonb_to_recordset(${json}::jsonb)
        as r(selector_id uuid, flagged boolean, display_value text, attributes jsonb)
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

export interface MentionInput {
  selectorId: string;
  start: number;
  end: number;
  raw: string;
}

/** Records where each selector occurs; a mention already recorded (same document, selector, start) stays. */
export async function insertMentions(
  tx: DbOrTx,
  documentId: string,
  extractorVersion: string,
  items: readonly MentionInput[],
): Promise<number> {
  let inserted = 0;
  for (const batch of chunks(items)) {
    const json = JSON.stringify(batch.map((m) => ({ s: m.selectorId, a: m.start, b: m.end, raw: m.raw })));
    const rows = await tx.execute<{ id: string }>(sql`
      insert into mentions (document_id, selector_id, start_offset, end_offset, raw_text, extractor_version)
      select ${documentId}::uuid, r.s, r.a, r.b, r.raw, ${extractorVersion}
      from jsonb_to_recordset(${json}::jsonb) as r(s uuid, a integer, b integer, raw text)
      order by r.s, r.a
      on conflict (document_id, selector_id, start_offset) do nothing
      returning id`);
    inserted += rows.length;
  }
  return inserted;
}

export interface EdgeInput {
  sourceKind: ObjectKind;
  sourceId: string;
  targetKind: ObjectKind;
  targetId: string;
  type: RelationshipType;
  confidence: number;
  evidenceDocumentId: string | null;
}

/** Inserts edges that do not exist yet (the edge key ignores confidence and evidence: the first stays). */
export async function insertRelationships(
  tx: DbOrTx,
  edge: { investigationId: string; jobId: string; userId: string | null; items: readonly EdgeInput[] },
): Promise<number> {
  const unique = new Map<string, EdgeInput>();
  for (const e of edge.items) {
    if (e.sourceKind === e.targetKind && e.sourceId === e.targetId) continue;
    const key = `${e.sourceKind}:${e.sourceId}>${e.targetKind}:${e.targetId}:${e.type}`;
    if (!unique.has(key)) unique.set(key, e);
  }
  const sorted = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
  let inserted = 0;
  for (const batch of chunks(sorted)) {
    const json = JSON.stringify(
      batch.map((e) => ({
        sk: e.sourceKind,
        si: e.sourceId,
        tk: e.targetKind,
        ti: e.targetId,
        t: e.type,
        c: e.confidence,
        ev: e.evidenceDocumentId,
      })),
    );
    const rows = await tx.execute<{ id: string }>(sql`
      insert into relationships (investigation_id, source_kind, source_id, target_kind, target_id, type,
                                 confidence, evidence_document_id, created_by_user, created_by_job)
      select ${edge.investigationId}::uuid, r.sk, r.si, r.tk, r.ti, r.t, r.c, r.ev,
             ${edge.userId}::uuid, ${edge.jobId}::uuid
      from jsonb_to_recordset(${json}::jsonb)
        as r(sk object_kind, si uuid, tk object_kind, ti uuid, t relationship_type, c smallint, ev uuid)
      on conflict on constraint relationships_edge_key do nothing
      returning id`);
    inserted += rows.length;
  }
  return inserted;
}

/** One audit row for one job-made batch of mutations (actor_type `job`, actor id = the job row). */
export async function recordJobAudit(
  tx: DbOrTx,
  event: {
    jobId: string;
    action: string;
    objectType: string;
    objectId: string | null;
    investigationId: string | null;
    after: Record<string, unknown>;
    requestId: string | null;
  },
): Promise<void> {
  await tx.insert(auditEvents).values({
    actorType: 'job',
    actorId: event.jobId,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    investigationId: event.investigationId,
    after: event.after,
    requestId: event.requestId,
  });
}
