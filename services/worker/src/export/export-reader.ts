import type {
  ExtractionStatus,
  InvestigationStatus,
  NoteTargetKind,
  ObjectKind,
  RelationshipType,
  SelectorType,
  Tlp,
} from '@osint/contracts';
import type { EntityForStix } from '@osint/core';
import { type DbOrTx, isoMillis } from '@osint/db';
import { sql } from 'drizzle-orm';

/**
 * Keyset-paged readers over one investigation, each yielding batches of at most {@link BATCH} rows in a
 * stable order, so an export of any size holds one batch in memory at a time. Run them inside one
 * REPEATABLE READ transaction: every batch then sees the same snapshot, and the file is consistent. Each
 * query names its columns as the record's fields, so its rows are the records (which are therefore types,
 * not interfaces: a query's row type must be a plain record).
 */
export const BATCH = 1_000;

export type SelectorRecord = {
  id: string;
  type: SelectorType;
  value: string;
  displayValue: string;
  attributes: Record<string, unknown>;
  firstSeenAt: string;
  lastSeenAt: string;
  source: string;
  tags: string[];
  note: string | null;
  falsePositive: boolean;
  addedAt: string;
  updatedAt: string;
};

const ts = (column: string) => isoMillis(sql.raw(column));

/**
 * The investigation's selectors in global-id order (index: investigation_selectors (investigation,
 * selector)): the shared match key, and this investigation's own spelling, attributes and first/last seen
 * (ADR 0020), so an export never carries what another investigation observed.
 */
export async function* selectorBatches(
  tx: DbOrTx,
  investigationId: string,
): AsyncGenerator<SelectorRecord[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await tx.execute<SelectorRecord>(sql`
      select isel.selector_id as id, s.type, s.value, isel.display_value as "displayValue", isel.attributes,
             ${ts('isel.first_seen_at')} as "firstSeenAt", ${ts('isel.last_seen_at')} as "lastSeenAt",
             isel.source, isel.tags, isel.note, isel.false_positive as "falsePositive",
             ${ts('isel.created_at')} as "addedAt", ${ts('isel.updated_at')} as "updatedAt"
      from investigation_selectors isel join selectors s on s.id = isel.selector_id
      where isel.investigation_id = ${investigationId} and isel.selector_id > ${after}
      order by isel.selector_id
      limit ${BATCH}`);
    if (rows.length === 0) return;
    yield [...rows];
    if (rows.length < BATCH) return;
    after = (rows[rows.length - 1] as { id: string }).id;
  }
}

/** Titles of the documents each selector of the batch is mentioned in (bounded per selector). */
export async function documentTitlesFor(
  tx: DbOrTx,
  investigationId: string,
  selectorIds: string[],
): Promise<Map<string, string[]>> {
  if (selectorIds.length === 0) return new Map();
  const rows = await tx.execute<{ selector_id: string; titles: string[] }>(sql`
    select m.selector_id, (array_agg(distinct d.title order by d.title))[1:20] as titles
    from mentions m join documents d on d.id = m.document_id
    where d.investigation_id = ${investigationId}
      and m.selector_id in (select jsonb_array_elements_text(${JSON.stringify(selectorIds)}::jsonb)::uuid)
    group by m.selector_id`);
  return new Map([...rows].map((r) => [r.selector_id, r.titles]));
}

export type DocumentMeta = {
  id: string;
  title: string;
  sourceUrl: string | null;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  extractionStatus: ExtractionStatus;
  createdAt: string;
  updatedAt: string;
};

/** Document metadata (no bytes, no text) in creation order. */
export async function* documentBatches(tx: DbOrTx, investigationId: string): AsyncGenerator<DocumentMeta[]> {
  let after: [string, string] | null = null;
  for (;;) {
    const rows = await tx.execute<DocumentMeta & { k: string }>(sql`
      select id, title, source_url as "sourceUrl", media_type as "mediaType", size_bytes::float8 as "sizeBytes",
             sha256, extraction_status as "extractionStatus",
             ${ts('created_at')} as "createdAt", ${ts('updated_at')} as "updatedAt", created_at::text as k
      from documents
      where investigation_id = ${investigationId}
        ${after ? sql`and (created_at, id) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
      order by created_at, id
      limit ${BATCH}`);
    if (rows.length === 0) return;
    yield [...rows].map(({ k, ...document }) => document);
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1] as { k: string; id: string };
    after = [last.k, last.id];
  }
}

/** One document's bytes (base64) and extracted text: read one at a time, they can be megabytes. */
export async function documentBody(tx: DbOrTx, documentId: string) {
  const [row] = await tx.execute<{ content_base64: string | null; extracted_text: string | null }>(sql`
    select encode(content, 'base64') as content_base64, extracted_text from documents where id = ${documentId}`);
  return {
    contentBase64: row?.content_base64?.replace(/\n/g, '') ?? null,
    extractedText: row?.extracted_text ?? null,
  };
}

export type MentionRecord = {
  documentId: string;
  selectorId: string;
  start: number;
  end: number;
  raw: string;
  extractorVersion: string;
};

/** One document's mentions, by (selector, start) (index: mentions (document, selector, start)). */
export async function* mentionBatches(tx: DbOrTx, documentId: string): AsyncGenerator<MentionRecord[]> {
  let after: [string, number] | null = null;
  for (;;) {
    const rows = await tx.execute<MentionRecord>(sql`
      select document_id as "documentId", selector_id as "selectorId", start_offset as "start",
             end_offset as "end", raw_text as "raw", extractor_version as "extractorVersion"
      from mentions
      where document_id = ${documentId}
        ${after ? sql`and (selector_id, start_offset) > (${after[0]}::uuid, ${after[1]})` : sql``}
      order by selector_id, start_offset
      limit ${BATCH}`);
    if (rows.length === 0) return;
    yield [...rows];
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1] as MentionRecord;
    after = [last.selectorId, last.start];
  }
}

/**
 * Creation-ordered batches of a per-investigation table (entities, relationships, notes): `columns` select
 * the record's fields under its own names (`t` is the table).
 */
async function* pageByCreation<T extends { id: string }>(
  tx: DbOrTx,
  table: 'entities' | 'relationships' | 'notes',
  investigationId: string,
  columns: ReturnType<typeof sql>,
): AsyncGenerator<T[]> {
  let after: [string, string] | null = null;
  for (;;) {
    const rows = (await tx.execute(sql`
      select ${columns}, ${ts('t.created_at')} as "createdAt", ${ts('t.updated_at')} as "updatedAt",
             t.created_at::text as k
      from ${sql.raw(table)} t
      where t.investigation_id = ${investigationId}
        ${after ? sql`and (t.created_at, t.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
      order by t.created_at, t.id
      limit ${BATCH}`)) as unknown as Array<T & { k: string }>;
    if (rows.length === 0) return;
    yield [...rows].map(({ k, ...record }) => record as unknown as T);
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1] as T & { k: string };
    after = [last.k, last.id];
  }
}

/** An entity as exported: the shape the STIX writer takes. */
export type EntityRecord = EntityForStix;

export function entityBatches(tx: DbOrTx, investigationId: string) {
  return pageByCreation<EntityRecord>(
    tx,
    'entities',
    investigationId,
    sql`t.id, t.kind, t.label, t.properties`,
  );
}

export type RelationshipRecord = {
  id: string;
  source: { kind: ObjectKind; id: string };
  target: { kind: ObjectKind; id: string };
  type: RelationshipType;
  confidence: number;
  evidenceDocumentId: string | null;
  createdAt: string;
  updatedAt: string;
  /** For STIX: the selector behind a selector end (its SCO id derives from type + value). */
  sourceSelector: { type: SelectorType; value: string } | null;
  targetSelector: { type: SelectorType; value: string } | null;
  /** For STIX: the document behind a document end (its SCO id derives from its SHA-256). */
  sourceDocument: { sha256: string } | null;
  targetDocument: { sha256: string } | null;
};

export function relationshipBatches(tx: DbOrTx, investigationId: string) {
  // json (not jsonb) objects keep their keys in the order written, which is the order the file shows.
  return pageByCreation<RelationshipRecord>(
    tx,
    'relationships',
    investigationId,
    sql`t.id, json_build_object('kind', t.source_kind, 'id', t.source_id) as source,
        json_build_object('kind', t.target_kind, 'id', t.target_id) as target, t.type, t.confidence,
        t.evidence_document_id as "evidenceDocumentId",
        (select jsonb_build_object('type', s.type, 'value', s.value) from selectors s
           where t.source_kind = 'selector' and s.id = t.source_id) as "sourceSelector",
        (select jsonb_build_object('type', s.type, 'value', s.value) from selectors s
           where t.target_kind = 'selector' and s.id = t.target_id) as "targetSelector",
        (select jsonb_build_object('sha256', d.sha256) from documents d
           where t.source_kind = 'document' and d.id = t.source_id) as "sourceDocument",
        (select jsonb_build_object('sha256', d.sha256) from documents d
           where t.target_kind = 'document' and d.id = t.target_id) as "targetDocument"`,
  );
}

export type NoteRecord = {
  id: string;
  target: { kind: NoteTargetKind; id: string } | null;
  body: string;
  createdAt: string;
  updatedAt: string;
};

export function noteBatches(tx: DbOrTx, investigationId: string) {
  return pageByCreation<NoteRecord>(
    tx,
    'notes',
    investigationId,
    sql`t.id, case when t.target_kind is null then null
                   else json_build_object('kind', t.target_kind, 'id', t.target_id) end as target, t.body`,
  );
}

export type InvestigationRecord = {
  id: string;
  title: string;
  description: string;
  status: InvestigationStatus;
  tlp: Tlp;
  defaultRegion: string | null;
  allowList: string[];
  createdAt: string;
  updatedAt: string;
};

export async function readInvestigation(
  tx: DbOrTx,
  investigationId: string,
): Promise<InvestigationRecord | null> {
  const [investigation] = await tx.execute<InvestigationRecord>(sql`
    select id, title, description, status, tlp, default_region as "defaultRegion", allow_list as "allowList",
           ${ts('created_at')} as "createdAt", ${ts('updated_at')} as "updatedAt"
    from investigations where id = ${investigationId}`);
  return investigation ?? null;
}

/** Row counts, for progress (read in the same snapshot). */
export async function countRows(tx: DbOrTx, investigationId: string) {
  const [r] = await tx.execute<Record<string, string>>(sql`
    select (select count(*) from investigation_selectors where investigation_id = ${investigationId}) as selectors,
           (select count(*) from documents where investigation_id = ${investigationId}) as documents,
           (select count(*) from entities where investigation_id = ${investigationId}) as entities,
           (select count(*) from relationships where investigation_id = ${investigationId}) as relationships,
           (select count(*) from notes where investigation_id = ${investigationId}) as notes`);
  return {
    selectors: Number(r?.selectors ?? 0),
    documents: Number(r?.documents ?? 0),
    entities: Number(r?.entities ?? 0),
    relationships: Number(r?.relationships ?? 0),
    notes: Number(r?.notes ?? 0),
  };
}
