import type { SelectorType } from '@osint/core';
import { auditEvents, type DbOrTx, MAX_SELECTOR_VALUE_BYTES } from '@osint/db';
import { sql } from 'drizzle-orm';

/*
 * Set-based writes shared by the extract and enrich processors. Each statement takes its rows as one JSON
 * parameter (`jsonb_to_recordset`), so a batch of thousands is one round trip with one parameter, far below
 * PostgreSQL's 65 535-parameter limit. Every write is keyed by a natural key and safe to repeat:
 *   selectors (type, value) · investigation_selectors (investigation, selector) ·
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
  displayValue: string;
  attributes: Record<string, unknown>;
}

export const selectorKey = (type: string, value: string) => `${type}\u0000${value}`;

/** Whether the match key fits the unique index (`selectors_value_size`); longer ones are skipped, counted. */
export function fitsSelectorIndex(value: string): boolean {
  return Buffer.byteLength(value, 'utf8') <= MAX_SELECTOR_VALUE_BYTES;
}

/**
 * How fresh `selectors.last_seen_at` is kept: a selector seen again within this window is not rewritten.
 * Refreshing it on every sighting would take a row lock per sighting, and a hot indicator (a sinkhole, a
 * shared host) would then serialise every job that mentions it on that one row until each commits.
 */
export const LAST_SEEN_GRANULARITY_SECONDS = 60;

/**
 * Upserts selectors by (type, value) and returns every selector's id by key and how many were new. New
 * ones are inserted (`on conflict (type, value) do nothing`: a concurrent job inserting the same value
 * makes this one wait for its commit, then it reuses that row); existing ones get `last_seen_at = now()`
 * when it is older than {@link LAST_SEEN_GRANULARITY_SECONDS}. Inserts come before updates and both go in
 * (type, value) order, so two jobs never wait on each other in a cycle through these rows. Normalisation
 * facts are deterministic per value, so an existing row's attributes are left as they are.
 */
export async function upsertSelectors(
  tx: DbOrTx,
  items: readonly SelectorInput[],
): Promise<{ ids: Map<string, string>; created: number }> {
  const unique = new Map<string, SelectorInput>();
  for (const item of items) {
    const key = selectorKey(item.type, item.value);
    if (!unique.has(key)) unique.set(key, item);
  }
  const ids = new Map<string, string>();
  let created = 0;
  const sorted = [...unique.values()].sort((a, b) =>
    selectorKey(a.type, a.value) < selectorKey(b.type, b.value) ? -1 : 1,
  );
  for (const batch of chunks(sorted)) {
    const json = JSON.stringify(
      batch.map((s) => ({
        type: s.type,
        value: s.value,
        display_value: s.displayValue,
        attributes: s.attributes,
      })),
    );
    const inserted = await tx.execute<{ id: string; type: string; value: string }>(sql`
      insert into selectors (type, value, display_value, attributes)
      select r.type, r.value, r.display_value, r.attributes
      from jsonb_to_recordset(${json}::jsonb)
        as r(type selector_type, value text, display_value text, attributes jsonb)
      order by r.type, r.value
      on conflict (type, value) do nothing
      returning id, type, value`);
    for (const row of inserted) ids.set(selectorKey(row.type, row.value), row.id);
    created += inserted.length;
    const rest = batch.filter((s) => !ids.has(selectorKey(s.type, s.value)));
    if (rest.length === 0) continue;
    const keys = JSON.stringify(rest.map((s) => ({ type: s.type, value: s.value })));
    const existing = await tx.execute<{ id: string; type: string; value: string; stale: boolean }>(sql`
      select s.id, s.type, s.value,
             s.last_seen_at < now() - make_interval(secs => ${LAST_SEEN_GRANULARITY_SECONDS}) as stale
      from selectors s
      join jsonb_to_recordset(${keys}::jsonb) as r(type selector_type, value text)
        on s.type = r.type and s.value = r.value`);
    for (const row of existing) ids.set(selectorKey(row.type, row.value), row.id);
    const stale = existing.filter((row) => row.stale).map((row) => row.id);
    if (stale.length > 0) {
      await tx.execute(sql`
        update selectors s set last_seen_at = greatest(s.last_seen_at, now())
        from (select id from selectors where id in ${stale} order by type, value for no key update) t
        where s.id = t.id`);
    }
  }
  return { ids, created };
}

/**
 * Links selectors into an investigation (`on conflict do nothing`: an existing link keeps its source and
 * adder, so an analyst's manual entry stays manual). Flagged selectors also get the `allow-listed` tag,
 * added only where it is missing, so the common case takes no row lock on existing links.
 */
export async function linkSelectors(
  tx: DbOrTx,
  link: {
    investigationId: string;
    source: 'extraction' | 'enrichment';
    jobId: string;
    addedBy: string | null;
    items: ReadonlyArray<{ selectorId: string; allowListed: boolean }>;
  },
): Promise<number> {
  let linked = 0;
  const unique = new Map<string, boolean>();
  for (const item of link.items) {
    unique.set(item.selectorId, (unique.get(item.selectorId) ?? false) || item.allowListed);
  }
  const sorted = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const batch of chunks(sorted)) {
    const json = JSON.stringify(batch.map(([selector_id, flagged]) => ({ selector_id, flagged })));
    const rows = await tx.execute<{ id: string }>(sql`
      insert into investigation_selectors (investigation_id, selector_id, source, added_by, added_by_job_id, tags)
      select ${link.investigationId}::uuid, r.selector_id, ${link.source}::selector_source,
             ${link.addedBy}::uuid, ${link.jobId}::uuid,
             case when r.flagged then array['allow-listed']::text[] else '{}'::text[] end
      from jsonb_to_recordset(${json}::jsonb) as r(selector_id uuid, flagged boolean)
      order by r.selector_id
      on conflict (investigation_id, selector_id) do nothing
      returning id`);
    linked += rows.length;
    const flagged = batch.filter(([, f]) => f).map(([id]) => id);
    if (flagged.length > 0) {
      await tx.execute(sql`
        update investigation_selectors
        set tags = tags || array['allow-listed']::text[], updated_at = now()
        where investigation_id = ${link.investigationId}::uuid
          and selector_id in ${flagged}
          and not ('allow-listed' = any(tags))
          and cardinality(tags) < 50`);
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
  sourceKind: 'selector' | 'document' | 'entity';
  sourceId: string;
  targetKind: 'selector' | 'document' | 'entity';
  targetId: string;
  type: 'related-to' | 'resolves-to' | 'belongs-to' | 'communicates-with' | 'mentions' | 'same-as' | 'owns';
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
