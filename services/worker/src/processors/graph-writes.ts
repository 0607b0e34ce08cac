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
 * Inserts new selectors and touches existing ones (`last_seen_at`, normalisation facts merged in), returning
 * every selector's id by key and how many were new.
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
    const rows = await tx.execute<{ id: string; type: string; value: string; inserted: boolean }>(sql`
      insert into selectors (type, value, display_value, attributes)
      select r.type, r.value, r.display_value, r.attributes
      from jsonb_to_recordset(${json}::jsonb)
        as r(type selector_type, value text, display_value text, attributes jsonb)
      order by r.type, r.value
      on conflict (type, value) do update
        set last_seen_at = greatest(selectors.last_seen_at, now()),
            attributes = selectors.attributes || excluded.attributes
      returning id, type, value, (xmax = 0) as inserted`);
    for (const row of rows) {
      ids.set(selectorKey(row.type, row.value), row.id);
      if (row.inserted) created++;
    }
  }
  return { ids, created };
}

/**
 * Links selectors into an investigation. An existing link keeps its source and adder (the first wins:
 * an analyst's manual entry stays manual); it only gains the `allow-listed` tag when flagged now.
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
  for (const item of link.items)
    unique.set(item.selectorId, (unique.get(item.selectorId) ?? false) || item.allowListed);
  const sorted = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const batch of chunks(sorted)) {
    const json = JSON.stringify(batch.map(([selector_id, flagged]) => ({ selector_id, flagged })));
    const rows = await tx.execute<{ inserted: boolean }>(sql`
      insert into investigation_selectors (investigation_id, selector_id, source, added_by, added_by_job_id, tags)
      select ${link.investigationId}::uuid, r.selector_id, ${link.source}::selector_source,
             ${link.addedBy}::uuid, ${link.jobId}::uuid,
             case when r.flagged then array['allow-listed']::text[] else '{}'::text[] end
      from jsonb_to_recordset(${json}::jsonb) as r(selector_id uuid, flagged boolean)
      order by r.selector_id
      on conflict (investigation_id, selector_id) do update
        set tags = investigation_selectors.tags || excluded.tags, updated_at = now()
        where excluded.tags <> '{}'::text[]
          and not investigation_selectors.tags @> excluded.tags
          and cardinality(investigation_selectors.tags) < 50
      returning (xmax = 0) as inserted`);
    for (const row of rows) if (row.inserted) linked++;
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
