import { z } from 'zod';
import {
  ENTITY_KINDS,
  EXTRACTION_STATUSES,
  INVESTIGATION_STATUSES,
  MAX_SELECTOR_INPUT_LENGTH,
  NOTE_TARGET_KINDS,
  OBJECT_KINDS,
  RELATIONSHIP_TYPES,
  SELECTOR_TYPES,
  TLP_LEVELS,
} from './vocabularies.js';

/**
 * The JSON export format: one object whose arrays hold one record per line. The worker's writer types
 * every record it writes with these shapes and the API's importer parses a file with this schema (adding
 * its own input validators to the fields a person could also enter), so the two cannot disagree.
 * Records may carry more fields (timestamps, `counts`); readers ignore them.
 */
export const JSON_EXPORT_FORMAT = 'osint-platform/investigation-export';
export const JSON_EXPORT_VERSION = 1;

const id = z.uuid();
const ref = z.object({ kind: z.enum(OBJECT_KINDS), id });

export const jsonExportInvestigation = z.object({
  id,
  title: z.string().min(1).max(500),
  description: z.string().max(20_000),
  status: z.enum(INVESTIGATION_STATUSES),
  tlp: z.enum(TLP_LEVELS),
  defaultRegion: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable(),
  allowList: z.array(z.string()),
});

export const jsonExportSelector = z.object({
  id,
  type: z.enum(SELECTOR_TYPES),
  value: z.string().min(1).max(MAX_SELECTOR_INPUT_LENGTH),
  displayValue: z.string().min(1).max(MAX_SELECTOR_INPUT_LENGTH),
  attributes: z.record(z.string(), z.unknown()),
  source: z.string(),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  falsePositive: z.boolean(),
});

export const jsonExportDocument = z.object({
  id,
  title: z.string().min(1).max(1000),
  sourceUrl: z.string().nullable(),
  mediaType: z.string().min(1).max(200),
  sizeBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  extractionStatus: z.enum(EXTRACTION_STATUSES),
  extractedText: z.string().nullable(),
  contentBase64: z.string().nullable(),
});

export const jsonExportMention = z.object({
  documentId: id,
  selectorId: id,
  start: z.number().int().min(0),
  end: z.number().int().min(1),
  raw: z.string().min(1),
  extractorVersion: z.string().min(1).max(100),
});

export const jsonExportEntity = z.object({
  id,
  kind: z.enum(ENTITY_KINDS),
  label: z.string().min(1).max(500),
  properties: z.record(z.string(), z.unknown()),
});

export const jsonExportRelationship = z.object({
  id,
  source: ref,
  target: ref,
  type: z.enum(RELATIONSHIP_TYPES),
  confidence: z.number().int().min(0).max(100),
  evidenceDocumentId: id.nullable(),
});

export const jsonExportNote = z.object({
  id,
  target: z.object({ kind: z.enum(NOTE_TARGET_KINDS), id }).nullable(),
  body: z.string().min(1).max(100_000),
});

export const jsonExportSchema = z.object({
  format: z.literal(JSON_EXPORT_FORMAT),
  version: z.literal(JSON_EXPORT_VERSION),
  exportedAt: z.string().max(40),
  investigation: jsonExportInvestigation,
  selectors: z.array(jsonExportSelector),
  documents: z.array(jsonExportDocument),
  mentions: z.array(jsonExportMention),
  entities: z.array(jsonExportEntity),
  relationships: z.array(jsonExportRelationship),
  notes: z.array(jsonExportNote),
});

export type JsonExport = z.infer<typeof jsonExportSchema>;
export type JsonExportInvestigation = z.input<typeof jsonExportInvestigation>;
export type JsonExportSelector = z.input<typeof jsonExportSelector>;
export type JsonExportDocument = z.input<typeof jsonExportDocument>;
export type JsonExportMention = z.input<typeof jsonExportMention>;
export type JsonExportEntity = z.input<typeof jsonExportEntity>;
export type JsonExportRelationship = z.input<typeof jsonExportRelationship>;
export type JsonExportNote = z.input<typeof jsonExportNote>;
