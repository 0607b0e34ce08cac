/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for the JSON values STIX id-contributing properties hold
 * (strings, finite numbers, booleans, null, arrays and objects of those).
 *
 * - Object members are sorted by their names compared as UTF-16 code unit sequences (RFC 8785 §3.2.3),
 *   which is exactly JavaScript's default string comparison.
 * - Strings are serialised as ECMAScript's `JSON.stringify` does (RFC 8785 §3.2.2.2 adopts it: the short
 *   escapes `\b \t \n \f \r \" \\`, `\u00xx` in lower-case hex for the other control characters, everything
 *   else literal). Lone surrogates cannot be represented in I-JSON and are refused.
 * - Numbers use ECMAScript's Number-to-String (§3.2.2.3 is defined as that algorithm); non-finite numbers
 *   are refused.
 * - No whitespace anywhere.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('JCS: numbers must be finite');
      return JSON.stringify(value);
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new TypeError('JCS: strings must be well-formed Unicode');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${canonicalJson(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`JCS: cannot serialise a ${typeof value}`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
