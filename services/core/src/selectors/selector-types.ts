import { z } from 'zod';

/**
 * Every kind of selector (a pivotable identifier found in research material) the platform understands.
 * The order is stable because UIs and database enums are generated from it; append, never reorder.
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

/** One of {@link SELECTOR_TYPES}. */
export type SelectorType = (typeof SELECTOR_TYPES)[number];

/** Validates a selector type arriving over the wire (API bodies, job payloads) before it is trusted. */
export const selectorTypeSchema = z.enum(SELECTOR_TYPES);

/** Narrowing guard for code that receives a type as a plain string (query parameters, CSV imports). */
export function isSelectorType(value: string): value is SelectorType {
  return (SELECTOR_TYPES as readonly string[]).includes(value);
}
