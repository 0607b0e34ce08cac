/**
 * The platform's shared vocabularies, each spelled once. The database enums (`db/src/schema`), the API's
 * request and answer schemas, the worker's job code and the web's pickers all take their values from here.
 * Several are PostgreSQL enums: append a value (drizzle-kit generates `ALTER TYPE ... ADD VALUE`), never
 * reorder or remove one. No imports, so the web bundles these arrays without zod.
 */

/** Every kind of selector (a pivotable identifier found in research material) the platform understands. */
export const SELECTOR_TYPES = [
  'domain',
  'ipv4',
  'ipv6',
  'url',
  'email',
  'phone',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'btc',
  'eth',
  'cve',
  'username',
] as const;
export type SelectorType = (typeof SELECTOR_TYPES)[number];

/** Narrowing guard for code that receives a type as a plain string (query parameters, CSV imports). */
export function isSelectorType(value: string): value is SelectorType {
  return (SELECTOR_TYPES as readonly string[]).includes(value);
}

/** Longest selector input accepted at all: bounds regex work on hostile pastes; long URLs still fit. */
export const MAX_SELECTOR_INPUT_LENGTH = 8192;

/** How a selector came into an investigation. */
export const SELECTOR_SOURCES = ['manual', 'extraction', 'enrichment', 'import'] as const;
export type SelectorSource = (typeof SELECTOR_SOURCES)[number];

/** FIRST Traffic Light Protocol 2.0 levels, least to most restricted. */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const INVESTIGATION_STATUSES = ['open', 'closed', 'archived'] as const;
export type InvestigationStatus = (typeof INVESTIGATION_STATUSES)[number];

export const MEMBER_ROLES = ['owner', 'editor', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** What an investigation reasons about beyond raw selectors. */
export const ENTITY_KINDS = ['person', 'organisation', 'other'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** What a relationship's end can be (a `selector` end is the global selector id). */
export const OBJECT_KINDS = ['selector', 'entity', 'document'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** What a note can be attached to: any relationship end, or a relationship. */
export const NOTE_TARGET_KINDS = [...OBJECT_KINDS, 'relationship'] as const;
export type NoteTargetKind = (typeof NOTE_TARGET_KINDS)[number];

/** Typed edges of the investigation graph (STIX 2.1 relationship names where one exists). */
export const RELATIONSHIP_TYPES = [
  'related-to',
  'resolves-to',
  'belongs-to',
  'communicates-with',
  'mentions',
  'same-as',
  'owns',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** Background job kinds; each is a BullMQ queue and job name with one processor (house style 7). */
export const JOB_KINDS = ['diagnostic', 'extract', 'enrich', 'export'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A document's text extraction, as its own row records it. */
export const EXTRACTION_STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;
export type ExtractionStatus = (typeof EXTRACTION_STATUSES)[number];
