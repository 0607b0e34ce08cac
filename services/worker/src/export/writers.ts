import { randomUUID } from 'node:crypto';
import {
  JSON_EXPORT_FORMAT,
  JSON_EXPORT_VERSION,
  type JsonExportDocument,
  type JsonExportEntity,
  type JsonExportInvestigation,
  type JsonExportMention,
  type JsonExportNote,
  type JsonExportRelationship,
  type JsonExportSelector,
} from '@osint/contracts';
import {
  documentStixId,
  documentToStix,
  entityToStix,
  PLATFORM_IDENTITY_ID,
  platformIdentity,
  relationshipToStix,
  type SelectorForStix,
  selectorStixId,
  selectorToStix,
  TLP2_MARKING_IDS,
  tlp2MarkingDefinition,
} from '@osint/core';
import type { DbOrTx } from '@osint/db';
import { csvRow } from './csv.js';
import {
  documentBatches,
  documentBody,
  documentTitlesFor,
  entityBatches,
  type InvestigationRecord,
  mentionBatches,
  noteBatches,
  type RelationshipRecord,
  relationshipBatches,
  selectorBatches,
} from './export-reader.js';
import type { FileSink } from './file-sink.js';

export interface ExportCounts {
  selectors: number;
  documents: number;
  mentions: number;
  entities: number;
  relationships: number;
  notes: number;
}

/** Called after every batch with the rows written so far; may throw to stop (a cancelled job). */
export type OnProgress = (rowsWritten: number) => Promise<void>;

interface WriteContext {
  tx: DbOrTx;
  sink: FileSink;
  investigation: InvestigationRecord;
  exportedAt: string;
  onProgress: OnProgress;
}

const emptyCounts = (): ExportCounts => ({
  selectors: 0,
  documents: 0,
  mentions: 0,
  entities: 0,
  relationships: 0,
  notes: 0,
});
const total = (c: ExportCounts) =>
  c.selectors + c.documents + c.mentions + c.entities + c.relationships + c.notes;

/**
 * Writes `items` as the elements of a JSON array that is already open: `,\n` between elements, so the
 * file stays one element per line (diffable, and easy to split) while being one JSON document.
 */
class ArrayWriter<T = unknown> {
  private first = true;
  constructor(private readonly sink: FileSink) {}
  async item(value: T): Promise<void> {
    await this.sink.write(`${this.first ? '\n' : ',\n'}${JSON.stringify(value)}`);
    this.first = false;
  }
}

/**
 * JSON, full fidelity and re-importable (`POST /investigations/import`): one JSON object whose arrays hold
 * one record per line, written section by section from the snapshot, never held whole in memory. Each
 * section's records are typed with the format's schema (`@osint/contracts`), the one the importer parses.
 */
export async function writeJson(ctx: WriteContext): Promise<ExportCounts> {
  const { tx, sink, investigation } = ctx;
  const counts = emptyCounts();
  const progress = () => ctx.onProgress(total(counts));
  await sink.write(
    `{"format":${JSON.stringify(JSON_EXPORT_FORMAT)},"version":${JSON_EXPORT_VERSION},` +
      `"exportedAt":${JSON.stringify(ctx.exportedAt)},\n"investigation":${JSON.stringify(investigation satisfies JsonExportInvestigation)},\n"selectors":[`,
  );
  const selectorsOut = new ArrayWriter<JsonExportSelector>(sink);
  for await (const batch of selectorBatches(tx, investigation.id)) {
    for (const s of batch) await selectorsOut.item(s);
    counts.selectors += batch.length;
    await progress();
  }
  await sink.write('],\n"documents":[');
  const documentsOut = new ArrayWriter<JsonExportDocument>(sink);
  const documentIds: string[] = [];
  for await (const batch of documentBatches(tx, investigation.id)) {
    for (const d of batch) {
      const body = await documentBody(tx, d.id);
      await documentsOut.item({ ...d, extractedText: body.extractedText, contentBase64: body.contentBase64 });
      documentIds.push(d.id);
      counts.documents += 1;
    }
    await progress();
  }
  await sink.write('],\n"mentions":[');
  const mentionsOut = new ArrayWriter<JsonExportMention>(sink);
  for (const documentId of documentIds) {
    for await (const batch of mentionBatches(tx, documentId)) {
      for (const m of batch) await mentionsOut.item(m);
      counts.mentions += batch.length;
      await progress();
    }
  }
  await sink.write('],\n"entities":[');
  const entitiesOut = new ArrayWriter<JsonExportEntity>(sink);
  for await (const batch of entityBatches(tx, investigation.id)) {
    for (const e of batch) await entitiesOut.item(e);
    counts.entities += batch.length;
    await progress();
  }
  await sink.write('],\n"relationships":[');
  const relationshipsOut = new ArrayWriter<JsonExportRelationship>(sink);
  for await (const batch of relationshipBatches(tx, investigation.id)) {
    for (const {
      sourceSelector: _s,
      targetSelector: _t,
      sourceDocument: _sd,
      targetDocument: _td,
      ...r
    } of batch) {
      await relationshipsOut.item(r);
    }
    counts.relationships += batch.length;
    await progress();
  }
  await sink.write('],\n"notes":[');
  const notesOut = new ArrayWriter<JsonExportNote>(sink);
  for await (const batch of noteBatches(tx, investigation.id)) {
    for (const n of batch) await notesOut.item(n);
    counts.notes += batch.length;
    await progress();
  }
  await sink.write(`],\n"counts":${JSON.stringify(counts)}}\n`);
  return counts;
}

export const CSV_HEADER = [
  'type',
  'value',
  'display_value',
  'source',
  'tags',
  'false_positive',
  'note',
  'documents',
  'first_seen_at',
  'last_seen_at',
  'added_at',
] as const;

/**
 * CSV: one row per selector of the investigation with its tags, how it came in (`source`) and the titles
 * of the documents that mention it (`documents`); multi-valued cells are joined with `; `.
 */
export async function writeCsv(ctx: WriteContext): Promise<ExportCounts> {
  const { tx, sink, investigation } = ctx;
  const counts = emptyCounts();
  await sink.write(csvRow(CSV_HEADER));
  for await (const batch of selectorBatches(tx, investigation.id)) {
    const titles = await documentTitlesFor(
      tx,
      investigation.id,
      batch.map((s) => s.id),
    );
    for (const s of batch) {
      await sink.write(
        csvRow([
          s.type,
          s.value,
          s.displayValue,
          s.source,
          s.tags.join('; '),
          s.falsePositive,
          s.note,
          (titles.get(s.id) ?? []).join('; '),
          s.firstSeenAt,
          s.lastSeenAt,
          s.addedAt,
        ]),
      );
    }
    counts.selectors += batch.length;
    await ctx.onProgress(counts.selectors);
  }
  return counts;
}

function endRef(
  end: RelationshipRecord['source'],
  selector: RelationshipRecord['sourceSelector'],
  document: RelationshipRecord['sourceDocument'],
): string | null {
  switch (end.kind) {
    case 'entity':
      return `identity--${end.id}`;
    case 'document':
      return document ? documentStixId(document) : null;
    case 'selector':
      return selector ? selectorStixId({ id: end.id, type: selector.type, value: selector.value }) : null;
  }
}

/**
 * STIX 2.1 bundle: the platform's identity, the investigation's TLP 2.0
 * marking definition, one object per selector (SCOs with deterministic ids), entities as identities,
 * documents as x-osint-document SCOs (the platform's extension), relationships as SROs, and a report grouping everything under the
 * investigation's TLP marking. The report's `object_refs` is written last, from a second pass over the
 * snapshot, so no list of ids is ever held in memory.
 */
export async function writeStix(ctx: WriteContext): Promise<ExportCounts> {
  const { tx, sink, investigation, exportedAt } = ctx;
  const counts = emptyCounts();
  const progress = () => ctx.onProgress(total(counts));
  const markingRefs = [TLP2_MARKING_IDS[investigation.tlp]];
  await sink.write(`{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
  const arr = new ArrayWriter(sink);
  await arr.item(platformIdentity());
  await arr.item(tlp2MarkingDefinition(investigation.tlp));

  const toSelector = (s: { id: string; type: SelectorForStix['type']; value: string }): SelectorForStix => ({
    id: s.id,
    type: s.type,
    value: s.value,
  });
  for await (const batch of selectorBatches(tx, investigation.id)) {
    for (const s of batch) await arr.item(selectorToStix(toSelector(s), { markingRefs, created: s.addedAt }));
    counts.selectors += batch.length;
    await progress();
  }
  for await (const batch of entityBatches(tx, investigation.id)) {
    for (const e of batch) await arr.item(entityToStix(e, markingRefs));
    counts.entities += batch.length;
    await progress();
  }
  for await (const batch of documentBatches(tx, investigation.id)) {
    for (const d of batch) await arr.item(documentToStix(d, markingRefs));
    counts.documents += batch.length;
    await progress();
  }
  for await (const batch of relationshipBatches(tx, investigation.id)) {
    for (const r of batch) {
      const source = endRef(r.source, r.sourceSelector, r.sourceDocument);
      const target = endRef(r.target, r.targetSelector, r.targetDocument);
      if (source && target) await arr.item(relationshipToStix(r, source, target, markingRefs));
    }
    counts.relationships += batch.length;
    await progress();
  }

  // The report, its object_refs streamed from a second pass over the same snapshot.
  const report = {
    type: 'report',
    spec_version: '2.1',
    id: `report--${randomUUID()}`,
    created_by_ref: PLATFORM_IDENTITY_ID,
    created: exportedAt,
    modified: exportedAt,
    name: investigation.title,
    ...(investigation.description ? { description: investigation.description } : {}),
    report_types: ['threat-report'],
    published: exportedAt,
    object_marking_refs: markingRefs,
    labels: [`investigation-status:${investigation.status}`],
  };
  const head = JSON.stringify(report);
  await sink.write(`,\n${head.slice(0, -1)},"object_refs":[`);
  let firstRef = true;
  const ref = async (id: string) => {
    await sink.write(`${firstRef ? '' : ','}${JSON.stringify(id)}`);
    firstRef = false;
  };
  await ref(PLATFORM_IDENTITY_ID);
  for await (const batch of selectorBatches(tx, investigation.id)) {
    for (const s of batch) await ref(selectorStixId(toSelector(s)));
  }
  for await (const batch of entityBatches(tx, investigation.id))
    for (const e of batch) await ref(`identity--${e.id}`);
  for await (const batch of documentBatches(tx, investigation.id)) {
    for (const d of batch) await ref(documentStixId(d));
  }
  for await (const batch of relationshipBatches(tx, investigation.id)) {
    for (const r of batch) {
      if (
        endRef(r.source, r.sourceSelector, r.sourceDocument) &&
        endRef(r.target, r.targetSelector, r.targetDocument)
      )
        await ref(`relationship--${r.id}`);
    }
  }
  await sink.write(']}\n]}\n');
  return counts;
}
