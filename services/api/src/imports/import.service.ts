import { createHash, randomUUID } from 'node:crypto';
import * as contract from '@osint/contracts';
import type { NormalisedSelector } from '@osint/core';
import { type DbOrTx, investigations, memberships } from '@osint/db';
import {
  type Actor,
  chunks,
  type EdgeInput,
  edgeKey,
  insertEntities,
  insertMentions,
  insertRelationships,
  linkSelectors,
  type MentionInput,
  recordAudit,
  selectorKey,
  upsertSelectors,
} from '@osint/writes';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { sourceUrl } from '../documents/document.schema.js';
import { issuesToFieldErrors, safeLine, safeText } from '../http/validate.js';
import { allowList } from '../investigations/investigation.schema.js';
import { selectorNote, tags } from '../selectors/selector.schema.js';
import { deriveSelector } from '../selectors/selector.service.js';
import { type FieldError, ValidationError } from '../shared/errors.js';

/**
 * The JSON export format (`@osint/contracts`, the schema the worker's writer types its records with), with
 * everything a person could also enter through the API held to the API's own validators (title,
 * description, allow-list, tags, notes, a document's `sourceUrl`); selector values are derived again by
 * the API's `deriveSelector`, and a selector's `attributes` in the file are ignored (normalisation facts
 * are recomputed; enrichment is the new investigation's to run).
 */
export const jsonExportSchema = contract.jsonExportSchema.extend({
  investigation: contract.jsonExportInvestigation.extend({
    title: safeLine(500, 1),
    description: safeText(20_000),
    allowList,
  }),
  selectors: z.array(contract.jsonExportSelector.extend({ tags, note: selectorNote.nullable() })),
  documents: z.array(
    contract.jsonExportDocument.extend({
      title: safeLine(1000, 1),
      sourceUrl: sourceUrl.transform((u) => u ?? null),
    }),
  ),
});
export type JsonExport = z.infer<typeof jsonExportSchema>;

/**
 * Reads a JSON export back into a NEW investigation owned by the caller, in one transaction (all or
 * nothing): selectors are derived like the API's (`deriveSelector`), upserted globally by (type, value) and
 * linked with source `import`, everything observed going on the link; documents keep their bytes, text and extraction
 * status (no job is needed); mentions, entities, relationships and notes get new ids with every reference
 * remapped. People recorded as creators become the importer (the exporting platform's users mean nothing
 * here); the import itself is one `investigation.import` audit event.
 */
export async function importInvestigation(deps: ApiDeps, actor: Actor, raw: unknown) {
  const parsed = jsonExportSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(issuesToFieldErrors(parsed.error.issues, 'body'));
  const data = parsed.data;

  // Derive every selector first, exactly as `POST …/selectors` does, so a bad value is a 400 before
  // anything is written. The file's spelling is the input when it means the same selector as its value
  // (an export keeps both); otherwise the value itself is the input, as if typed.
  const problems: FieldError[] = [];
  const region = data.investigation.defaultRegion;
  const normalised = data.selectors.map((s, i) => {
    const fromValue = deriveSelector(s.type, s.value, { defaultRegion: region });
    if (!fromValue.ok) {
      problems.push({ field: `selectors.${i}.value`, message: fromValue.message });
      return null;
    }
    const fromSpelling = deriveSelector(s.type, s.displayValue, { defaultRegion: region });
    const selector =
      fromSpelling.ok && fromSpelling.selector.value === fromValue.selector.value
        ? fromSpelling.selector
        : fromValue.selector;
    return { ...s, selector };
  });
  for (const [i, d] of data.documents.entries()) {
    if (d.contentBase64 === null) continue;
    const bytes = Buffer.from(d.contentBase64, 'base64');
    if (createHash('sha256').update(bytes).digest('hex') !== d.sha256) {
      problems.push({ field: `documents.${i}.contentBase64`, message: 'does not match sha256' });
    }
  }
  if (problems.length > 0) throw new ValidationError(problems, 'The export file has invalid records.');

  return deps.db.transaction(async (tx) => {
    const [inv] = await tx
      .insert(investigations)
      .values({
        title: data.investigation.title,
        description: data.investigation.description,
        status: data.investigation.status,
        tlp: data.investigation.tlp,
        defaultRegion: data.investigation.defaultRegion,
        allowList: data.investigation.allowList,
        createdBy: actor.userId,
      })
      .returning({ id: investigations.id });
    if (!inv) throw new Error('insert returned no row');
    const investigationId = inv.id;
    await tx.insert(memberships).values({ investigationId, userId: actor.userId, role: 'owner' });

    const selectorIds = await importSelectors(
      tx,
      investigationId,
      actor.userId,
      normalised.filter((s) => s !== null),
    );
    const documentIds = await importDocuments(tx, investigationId, actor.userId, data.documents);
    const mentions = await importMentions(tx, data.mentions, documentIds, selectorIds);
    const entityIds = await importEntities(tx, investigationId, actor.userId, data.entities);
    const mapEnd = (end: { kind: string; id: string }) =>
      (end.kind === 'selector' ? selectorIds : end.kind === 'entity' ? entityIds : documentIds).get(end.id);
    const relationshipIds = await importRelationships(
      tx,
      investigationId,
      actor.userId,
      data.relationships,
      mapEnd,
      documentIds,
    );
    const notes = await importNotes(tx, investigationId, actor.userId, data.notes, (target) =>
      target.kind === 'relationship' ? relationshipIds.get(target.id) : mapEnd(target),
    );
    const counts = {
      selectors: selectorIds.size,
      documents: documentIds.size,
      mentions,
      entities: entityIds.size,
      relationships: relationshipIds.size,
      notes,
    };
    await recordAudit(tx, actor, {
      action: 'investigation.import',
      objectType: 'investigation',
      objectId: investigationId,
      investigationId,
      after: {
        title: data.investigation.title,
        sourceInvestigationId: data.investigation.id,
        exportedAt: data.exportedAt,
        counts,
      },
    });
    return { investigationId, url: `/api/v1/investigations/${investigationId}`, counts };
  });
}

/**
 * Upserts the global (type, value) rows and links them into the new investigation with what the import
 * observed (spelling, normalisation facts, tags, note, false positive; first/last seen = now), through the
 * write layer every writer uses. The shared rows hold nothing else (ADR 0020), so an import cannot change
 * what another investigation sees.
 */
async function importSelectors(
  tx: DbOrTx,
  investigationId: string,
  userId: string,
  items: Array<JsonExport['selectors'][number] & { selector: NormalisedSelector }>,
): Promise<Map<string, string>> {
  const byKey = await upsertSelectors(
    tx,
    items.map((s) => s.selector),
  );
  const ids = new Map<string, string>();
  const observed = items.flatMap((s) => {
    const selectorId = byKey.get(selectorKey(s.selector.type, s.selector.value));
    if (!selectorId) return [];
    ids.set(s.id, selectorId);
    return [
      {
        selectorId,
        displayValue: s.selector.displayValue,
        attributes: s.selector.attributes,
        allowListed: false,
        tags: s.tags,
        note: s.note,
        falsePositive: s.falsePositive,
      },
    ];
  });
  await linkSelectors(tx, {
    investigationId,
    source: 'import',
    jobId: null,
    addedBy: userId,
    items: observed,
  });
  return ids;
}

async function importDocuments(
  tx: DbOrTx,
  investigationId: string,
  userId: string,
  items: JsonExport['documents'],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  // One statement per document: each can carry megabytes of bytes and text.
  for (const d of items) {
    const content = d.contentBase64 === null ? null : Buffer.from(d.contentBase64, 'base64');
    const [row] = await tx.execute<{ id: string }>(sql`
      insert into documents (investigation_id, title, source_url, media_type, size_bytes, sha256, content,
                             extracted_text, extraction_status, created_by)
      values (${investigationId}, ${d.title}, ${d.sourceUrl}, ${d.mediaType}, ${content ? content.length : d.sizeBytes},
              ${d.sha256}, ${content}, ${d.extractedText}, ${d.extractionStatus}, ${userId})
      returning id`);
    if (row) ids.set(d.id, row.id);
  }
  return ids;
}

/** Mentions through the write layer, one call per (document, extractor version) of the file. */
async function importMentions(
  tx: DbOrTx,
  items: JsonExport['mentions'],
  documentIds: Map<string, string>,
  selectorIds: Map<string, string>,
): Promise<number> {
  const groups = new Map<string, { documentId: string; version: string; rows: MentionInput[] }>();
  for (const m of items) {
    const documentId = documentIds.get(m.documentId);
    const selectorId = selectorIds.get(m.selectorId);
    if (!documentId || !selectorId) continue;
    const key = `${documentId}\u0000${m.extractorVersion}`;
    const group = groups.get(key) ?? { documentId, version: m.extractorVersion, rows: [] };
    groups.set(key, group);
    group.rows.push({ selectorId, start: m.start, end: m.end, raw: m.raw });
  }
  let count = 0;
  for (const g of groups.values()) count += await insertMentions(tx, g.documentId, g.version, g.rows);
  return count;
}

async function importEntities(
  tx: DbOrTx,
  investigationId: string,
  userId: string,
  items: JsonExport['entities'],
): Promise<Map<string, string>> {
  // Ids are chosen here, so the old → new map needs nothing from RETURNING's order.
  const ids = new Map<string, string>();
  const rows = items.map((e) => {
    const id = randomUUID();
    ids.set(e.id, id);
    return { id, kind: e.kind, label: e.label, properties: e.properties };
  });
  await insertEntities(tx, investigationId, userId, rows);
  return ids;
}

async function importRelationships(
  tx: DbOrTx,
  investigationId: string,
  userId: string,
  items: JsonExport['relationships'],
  mapEnd: (end: { kind: string; id: string }) => string | undefined,
  documentIds: Map<string, string>,
): Promise<Map<string, string>> {
  const mapped = items.flatMap((r) => {
    const sourceId = mapEnd(r.source);
    const targetId = mapEnd(r.target);
    if (!sourceId || !targetId) return [];
    const edge: EdgeInput = {
      sourceKind: r.source.kind,
      sourceId,
      targetKind: r.target.kind,
      targetId,
      type: r.type,
      confidence: r.confidence,
      evidenceDocumentId: r.evidenceDocumentId ? (documentIds.get(r.evidenceDocumentId) ?? null) : null,
    };
    return [{ original: r.id, edge }];
  });
  const inserted = await insertRelationships(tx, {
    investigationId,
    jobId: null,
    userId,
    keepSelfLoops: true,
    items: mapped.map((m) => m.edge),
  });
  const byEdge = new Map(inserted.map((r) => [r.key, r.id]));
  const ids = new Map<string, string>();
  for (const m of mapped) {
    const newId = byEdge.get(edgeKey(m.edge));
    if (newId) ids.set(m.original, newId);
  }
  return ids;
}

async function importNotes(
  tx: DbOrTx,
  investigationId: string,
  userId: string,
  items: JsonExport['notes'],
  mapTarget: (target: { kind: string; id: string }) => string | undefined,
): Promise<number> {
  let count = 0;
  for (const batch of chunks(items)) {
    const rows = batch.flatMap(
      (n): Array<{ target_kind: string | null; target_id: string | null; body: string }> => {
        if (!n.target) return [{ target_kind: null, target_id: null, body: n.body }];
        const target = mapTarget(n.target);
        return target ? [{ target_kind: n.target.kind, target_id: target, body: n.body }] : [];
      },
    );
    if (rows.length === 0) continue;
    const inserted = await tx.execute(sql`
      insert into notes (investigation_id, target_kind, target_id, body, author_id)
      select ${investigationId}, r.target_kind, r.target_id, r.body, ${userId}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(target_kind note_target_kind, target_id uuid, body text)
      returning id`);
    count += inserted.length;
  }
  return count;
}
