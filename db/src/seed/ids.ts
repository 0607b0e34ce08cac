import { createHash } from 'node:crypto';

/** Namespace of every seeded row's UUIDv5; a random constant chosen once, never to change. */
export const SEED_NAMESPACE = '6f1c3e0a-7b52-4d8e-9a41-2c5d8e9f0b17';

/**
 * RFC 9562 UUIDv5 (SHA-1, name-based): the same name always gives the same id, so seeding is
 * deterministic and a second run hits the primary keys of the first and inserts nothing.
 */
export function uuidv5(name: string, namespace = SEED_NAMESPACE): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of a seeded row: `seedId('investigation', 'paper-lantern')`. */
export function seedId(table: string, key: string): string {
  return uuidv5(`${table}:${key}`);
}
