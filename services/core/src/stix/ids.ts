import { randomUUID } from 'node:crypto';
import { uuidV5 } from '../jobs/job-ids.js';
import { canonicalJson } from './jcs.js';

/**
 * The namespace STIX 2.1 (section 2.9) fixes for deterministic SCO identifiers:
 * `<type>--<UUIDv5(namespace, JCS(id-contributing properties))>`.
 */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * Deterministic identifier of a STIX Cyber-observable Object: UUIDv5 in the STIX namespace over the
 * RFC 8785 canonical JSON of its id-contributing properties (only those that are present). Two producers
 * that observe the same thing therefore name it identically, which is what lets consumers de-duplicate.
 */
export function scoId(type: string, idContributing: Record<string, unknown>): string {
  const present = Object.fromEntries(Object.entries(idContributing).filter(([, v]) => v !== undefined));
  if (Object.keys(present).length === 0) throw new TypeError(`${type}: no id-contributing property`);
  return `${type}--${uuidV5(canonicalJson(present), STIX_SCO_NAMESPACE)}`;
}

/**
 * Identifier of a STIX Domain, Relationship or Meta object: STIX 2.1 says these SHOULD be UUIDv4.
 */
export function sdoId(type: string): string {
  return `${type}--${randomUUID()}`;
}
