/**
 * Shapes of the API's JSON, written from `GET /api/v1/openapi.json` (the API generates it from its zod
 * schemas). The web app talks to the API over HTTP only (house style 1), so these are copies, not imports;
 * `web/e2e` walks every page against a live API, which is what catches drift.
 */

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

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const INVESTIGATION_STATUSES = ['open', 'closed', 'archived'] as const;
export type InvestigationStatus = (typeof INVESTIGATION_STATUSES)[number];

export const MEMBER_ROLES = ['owner', 'editor', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export type SelectorSource = 'manual' | 'extraction' | 'enrichment' | 'import';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ObjectKind = 'selector' | 'entity' | 'document';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: 'admin' | 'member';
}

export interface Me {
  user: User;
  authenticatedBy: 'session' | 'token';
}

export interface Investigation {
  id: string;
  title: string;
  description: string;
  status: InvestigationStatus;
  tlp: Tlp;
  defaultRegion: string | null;
  allowList: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  role: MemberRole;
}

/** An item of `GET /investigations`: the investigation plus what the list shows about it. */
export interface InvestigationListItem extends Investigation {
  memberCount: number;
  /** Newest audit event, document or selector link, or change to the investigation itself. */
  lastActivityAt: string;
}

export interface Member {
  userId: string;
  email: string;
  displayName: string;
  role: MemberRole;
  createdAt: string;
}

/** `POST …/members` answers this alike whether or not the address has an account. */
export interface MemberInvitation {
  status: 'recorded';
  role: MemberRole;
}

export interface InvestigationSelector {
  id: string;
  type: SelectorType;
  value: string;
  displayValue: string;
  attributes: Record<string, unknown>;
  firstSeenAt: string;
  lastSeenAt: string;
  source: SelectorSource;
  tags: string[];
  note: string | null;
  falsePositive: boolean;
  addedBy: string | null;
  addedAt: string;
  updatedAt: string;
}

export interface Correlation {
  investigationId: string;
  title: string;
  status: InvestigationStatus;
  tlp: Tlp;
  role: MemberRole;
  source: SelectorSource;
  falsePositive: boolean;
  addedAt: string;
  mentionCount: number;
}

export interface DocumentMeta {
  id: string;
  investigationId: string;
  title: string;
  sourceUrl: string | null;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  extractionStatus: 'pending' | 'running' | 'succeeded' | 'failed';
  error: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentWithText extends DocumentMeta {
  extractedText: string | null;
}

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  investigationId: string | null;
  progress: number;
  attempts: number;
  error: string | null;
  result?: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  url: string;
}

/** One `event: progress` frame of the jobs SSE streams. */
export interface JobEvent {
  v: 1;
  jobId: string;
  investigationId: string | null;
  kind: string;
  status: JobStatus;
  progress: number;
  phase: string | null;
  attempts: number;
  error: string | null;
  result?: unknown;
  at: string;
}

export interface CreatedDocument {
  document: DocumentMeta;
  job: Job;
}

/** What the worker's extract processor writes to `jobs.result`. */
export interface ExtractResult {
  documentId: string;
  textLength: number;
  mentions: number;
  selectors: number;
  selectorsCreated: number;
  selectorsLinked: number;
  relationshipsCreated: number;
  allowListed: number;
  truncated: boolean;
}

export interface Entity {
  id: string;
  investigationId: string;
  kind: 'person' | 'organisation' | 'other';
  label: string;
  properties: Record<string, unknown>;
  createdAt: string;
}

export interface Relationship {
  id: string;
  investigationId: string;
  source: { kind: ObjectKind; id: string };
  target: { kind: ObjectKind; id: string };
  type: string;
  confidence: number;
  evidenceDocumentId: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorType: 'user' | 'job' | 'system';
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  investigationId: string | null;
  before?: unknown;
  after?: unknown;
  requestId: string | null;
}

/** Where a selector occurs in a document's extracted text (UTF-16 offsets, end exclusive). */
interface MentionOffsets {
  id: string;
  documentId: string;
  selectorId: string;
  start: number;
  end: number;
  /** The text as written in the document (defanged, odd case…). */
  raw: string;
}

/** `GET …/selectors/{selectorId}/mentions`: a mention with its document's title and the text around it. */
export interface SelectorMention extends MentionOffsets {
  documentTitle: string;
  extractorVersion: string;
  snippet: { text: string; start: number; end: number; truncatedBefore: boolean; truncatedAfter: boolean };
}

export interface SelectorMentionPage extends Page<SelectorMention> {
  total: number;
  documents: number;
}

/** `GET …/documents/{documentId}/mentions`: a mention with the selector it stands for. */
export interface DocumentMention extends MentionOffsets {
  selectorType: SelectorType;
  selectorValue: string;
  falsePositive: boolean;
}

/** RFC 9457 problem details as the API renders them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}
