import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

/** The hash selector types, each identified by its hex digest length. */
export type HashType = 'md5' | 'sha1' | 'sha256' | 'sha512';

const HEX_LENGTH: Readonly<Record<HashType, number>> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

/**
 * The hash type a hex digest of this length must be, or null. Length is the only signal a bare digest
 * carries, which is why detection and validation both use it.
 */
export function hashTypeForLength(length: number): HashType | null {
  const entry = Object.entries(HEX_LENGTH).find(([, n]) => n === length);
  return entry ? (entry[0] as HashType) : null;
}

/**
 * Normalises a hex digest to lowercase (tools print both cases; the bytes are the same) and refuses a
 * digest whose length does not match the declared algorithm, which is almost always a mislabelled paste.
 */
export function normaliseHash(type: HashType, raw: string): SelectorValue {
  const input = raw.trim();
  if (!/^[0-9a-fA-F]+$/.test(input)) {
    throw new SelectorError('invalid_hash', `"${input}" is not a hexadecimal digest`, type);
  }
  const expected = HEX_LENGTH[type];
  if (input.length !== expected) {
    const actual = hashTypeForLength(input.length);
    const hint = actual ? ` (looks like ${actual})` : '';
    throw new SelectorError(
      'hash_length_mismatch',
      `${type} digests have ${expected} hex characters, got ${input.length}${hint}`,
      type,
    );
  }
  return { value: input.toLowerCase(), attributes: { bits: expected * 4 } };
}
