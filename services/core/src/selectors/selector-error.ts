/**
 * Machine-readable reasons a value was refused. Callers (API validation, the extractor) branch on the code,
 * so codes are part of the public contract; the message is for humans and may change.
 */
export type SelectorErrorCode =
  | 'empty'
  | 'defang_nested'
  | 'too_long'
  | 'unsupported_type'
  | 'invalid_domain'
  | 'domain_is_ip'
  | 'domain_too_long'
  | 'domain_label_too_long'
  | 'domain_unknown_suffix'
  | 'domain_is_public_suffix'
  | 'invalid_email'
  | 'invalid_ipv4'
  | 'ipv4_leading_zero'
  | 'ipv4_out_of_range'
  | 'invalid_ipv6'
  | 'ipv6_zone_id'
  | 'invalid_url'
  | 'url_missing_scheme'
  | 'url_unsupported_scheme'
  | 'url_invalid_host'
  | 'invalid_phone'
  | 'phone_region_required'
  | 'invalid_hash'
  | 'hash_length_mismatch'
  | 'invalid_btc'
  | 'btc_mixed_case'
  | 'btc_bad_checksum'
  | 'btc_unknown_version'
  | 'invalid_eth'
  | 'eth_bad_checksum'
  | 'invalid_cve'
  | 'invalid_username'
  | 'username_platform_required'
  | 'username_platform_conflict';

/**
 * Thrown when a raw value cannot become a selector. A dedicated class (rather than a bare Error) lets the
 * API turn it into a 400 with a stable `code` while real bugs still surface as 500s.
 */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';

  constructor(
    readonly code: SelectorErrorCode,
    message: string,
    readonly selectorType?: SelectorType,
  ) {
    // No stack: a SelectorError is an answer ("not an IPv4 address"), thrown and caught by the hundred when a
    // value is tried against several types (type detection, search's exact candidates), and capturing the
    // stack was a third of that work. Its code and message say everything a caller or a log needs.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** Type guard usable on `unknown` catch variables. */
export function isSelectorError(error: unknown): error is SelectorError {
  return error instanceof SelectorError;
}

import type { SelectorType } from '@osint/contracts';
