/**
 * Names for the API's JSON shapes. Each is an alias of a schema in `schema.d.ts`, which
 * `npm run api:types` generates from `GET /api/v1/openapi.json` (the API builds it from its zod schemas),
 * so a change on the API side shows up here as a type error, not as a surprise in the browser.
 */
import type { InvestigationStatus, MemberRole, SelectorType, Tlp } from '@osint/contracts/vocabularies';
import type { components } from './schema';

type Schemas = components['schemas'];

// The vocabularies the pickers offer come from the one list the API and the database use.
export {
  INVESTIGATION_STATUSES,
  type InvestigationStatus,
  MEMBER_ROLES,
  type MemberRole,
  SELECTOR_TYPES,
  type SelectorType,
  TLP_LEVELS,
  type Tlp,
} from '@osint/contracts/vocabularies';

export type SelectorSource = Schemas['InvestigationSelector']['source'];
export type JobStatus = Schemas['Job']['status'];
export type ObjectKind = Schemas['ObjectRef']['kind'];

/** Every list answer: a page of items and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type User = Schemas['User'];
export type Me = Schemas['Me'];
export type Investigation = Schemas['Investigation'];
export type InvestigationListItem = Schemas['InvestigationListItem'];
export type Member = Schemas['Member'];
/** `POST …/members` answers this alike whether or not the address has an account. */
export type MemberInvitation = Schemas['MemberInvitation'];
export type InvestigationSelector = Schemas['InvestigationSelector'];
export type Correlation = Schemas['Correlation'];
export type DocumentMeta = Schemas['Document'];
export type DocumentWithText = Schemas['DocumentWithText'];
export type Job = Schemas['Job'];
/** One `event: progress` frame of the jobs SSE streams. */
export type JobEvent = Schemas['JobEvent'];
export type CreatedDocument = Schemas['CreatedDocument'];
export type Entity = Schemas['Entity'];
export type Relationship = Schemas['Relationship'];
export type AuditEvent = Schemas['AuditEvent'];
/** `GET …/selectors/{selectorId}/mentions`: a mention with its document's title and the text around it. */
export type SelectorMention = Schemas['SelectorMention'];
export type SelectorMentionPage = Schemas['SelectorMentionPage'];
/** `GET …/documents/{documentId}/mentions`: a mention with the selector it stands for. */
export type DocumentMention = Schemas['DocumentMention'];
export type SearchResult = Schemas['SearchResult'];
export type LookupResult = Schemas['LookupResult'];
export type Graph = Schemas['Graph'];
export type ImportResult = Schemas['ImportResult'];
/**
 * RFC 9457 problem details as the API renders them; read from any error body, so the fields a proxy may
 * leave out are optional, and problem-specific extras (e.g. `existingId`) are allowed.
 */
export type Problem = Omit<Schemas['Problem'], 'instance' | 'requestId'> & {
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
};

/**
 * What the worker's extract processor writes to `jobs.result` (the API documents `result` as any JSON,
 * so this one shape is the worker's, not the OpenAPI document's).
 */
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

/** The vocabularies above come from @osint/contracts; these fail to compile when the API document's differ. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const vocabulariesMatch: [
  Same<SelectorType, Schemas['InvestigationSelector']['type']>,
  Same<Tlp, Schemas['Investigation']['tlp']>,
  Same<InvestigationStatus, Schemas['Investigation']['status']>,
  Same<MemberRole, Schemas['Member']['role']>,
] = [true, true, true, true];
void vocabulariesMatch;
