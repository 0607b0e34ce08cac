import { type DbOrTx, mentions } from '@osint/db';
import { eq, sql } from 'drizzle-orm';
import { chunks } from './sql-state.js';

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
    // Only the count comes back: a row per mention would cost this thread more than the insert saves.
    const [row] = await tx.execute<{ n: number }>(sql`
      with ins as (
        insert into mentions (document_id, selector_id, start_offset, end_offset, raw_text, extractor_version)
        select ${documentId}::uuid, r.s, r.a, r.b, r.raw, ${extractorVersion}
        from jsonb_to_recordset(${json}::jsonb) as r(s uuid, a integer, b integer, raw text)
        order by r.s, r.a
        on conflict (document_id, selector_id, start_offset) do nothing
        returning 1
      )
      select count(*)::int as n from ins`);
    inserted += row?.n ?? 0;
  }
  return inserted;
}

/**
 * Re-extraction (a re-run, a document whose text changed, a newer extractor) must leave exactly the
 * mentions the current text has. Mentions are keyed `(document, selector, start)` and inserted with
 * `do nothing`, so insertion alone never removes one that no longer occurs. This deletes, inside the
 * extraction's own transaction and before its inserts, every mention of the document that the current
 * extraction does not reproduce exactly (same selector, offsets and raw text, same extractor version).
 * Idempotent: a second run with the same text deletes nothing and inserts nothing; a crash (SIGKILL
 * included) rolls the delete back with everything else.
 *
 * A first extraction (no mentions yet, the usual case) costs one indexed `exists`.
 */
export async function deleteStaleMentions(
  tx: DbOrTx,
  documentId: string,
  extractorVersion: string,
  current: readonly MentionInput[],
): Promise<number> {
  const [any] = await tx
    .select({ one: sql<number>`1` })
    .from(mentions)
    .where(eq(mentions.documentId, documentId))
    .limit(1);
  if (!any) return 0;
  const json = JSON.stringify(current.map((m) => ({ s: m.selectorId, a: m.start, b: m.end, raw: m.raw })));
  const rows = await tx.execute<{ id: string }>(sql`
    with cur as materialized (
      select * from jsonb_to_recordset(${json}::jsonb) as r(s uuid, a integer, b integer, raw text)
    )
    delete from mentions m
    where m.document_id = ${documentId}::uuid
      and (
        m.extractor_version <> ${extractorVersion}
        or not exists (
          select 1 from cur
          where cur.s = m.selector_id and cur.a = m.start_offset and cur.b = m.end_offset and cur.raw = m.raw_text
        )
      )
    returning m.id`);
  return rows.length;
}

/**
 * After the mentions are written: removes the `document mentions selector` edges that an extraction job
 * created for this document when the document no longer mentions that selector. Edges a person drew
 * (no creating job) and edges carrying a note (deleting the edge would delete the analyst's note with it,
 * migration 0004) stay. The investigation's link to the selector stays too: it may be tagged, noted or
 * mentioned elsewhere, and removing selectors from an investigation is an analyst's decision.
 */
export async function deleteStaleMentionEdges(
  tx: DbOrTx,
  investigationId: string,
  documentId: string,
): Promise<number> {
  const rows = await tx.execute<{ id: string }>(sql`
    delete from relationships r
    where r.investigation_id = ${investigationId}::uuid
      and r.source_kind = 'document' and r.source_id = ${documentId}::uuid
      and r.target_kind = 'selector' and r.type = 'mentions'
      and r.created_by_job is not null
      and not exists (
        select 1 from mentions m where m.document_id = ${documentId}::uuid and m.selector_id = r.target_id
      )
      and not exists (
        select 1 from notes n
        where n.investigation_id = r.investigation_id and n.target_kind = 'relationship' and n.target_id = r.id
      )
    returning r.id`);
  return rows.length;
}
