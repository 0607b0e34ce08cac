import { createHash } from 'node:crypto';

/** Namespace for job ids derived from other ids (a random UUID fixed once for this project). */
export const JOB_ID_NAMESPACE = '5d0b1a6e-2f4c-4b8e-9a51-3c7e0f2d9b64';

/**
 * RFC 9562 UUIDv5 of `name` in `namespace`: the same name always gives the same id. Follow-up jobs (the
 * enrichment an extraction enqueues) get ids derived from their parent, so a parent that runs twice
 * creates each follow-up once: the row insert hits its primary key and BullMQ de-duplicates by job id.
 */
export function uuidV5(name: string, namespace: string = JOB_ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`namespace "${namespace}" is not a UUID`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Deterministic id of the `index`-th follow-up job of `kind` that job `parentJobId` creates. */
export function followUpJobId(parentJobId: string, kind: string, index: number): string {
  return uuidV5(`${parentJobId}:${kind}:${index}`);
}
