import { isSelectorType, MAX_SELECTOR_INPUT_LENGTH, type SelectorType } from '@osint/contracts';
import { isLikelyFileName } from './file-names.js';
import { normaliseBtc, normaliseEth } from './normalise-crypto.js';
import { normaliseCve } from './normalise-cve.js';
import { normaliseDomain } from './normalise-domain.js';
import { normaliseEmail } from './normalise-email.js';
import { hashTypeForLength, normaliseHash } from './normalise-hash.js';
import { normaliseIpv4, normaliseIpv6 } from './normalise-ip.js';
import { type CountryCode, normalisePhone } from './normalise-phone.js';
import { normaliseUrl } from './normalise-url.js';
import { normaliseUsername } from './normalise-username.js';
import { refangSettled } from './refang.js';
import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

/** Context some selector types need: a region for national phone numbers, a platform for bare handles. */
export interface NormaliseOptions {
  defaultRegion?: CountryCode;
  platform?: string;
}

/** A selector ready to store and match. */
export interface NormalisedSelector {
  type: SelectorType;
  /** Canonical match key: same type + same value = same entity. */
  value: string;
  /** What the user or document actually said (trimmed), shown back so analysts recognise their input. */
  displayValue: string;
  attributes: Record<string, unknown>;
}

/** Outcome of {@link tryNormaliseSelector}, for bulk paths that collect failures instead of throwing. */
export type NormaliseResult =
  | { ok: true; selector: NormalisedSelector }
  | { ok: false; error: SelectorError };

type Normaliser = (raw: string, opts: NormaliseOptions) => SelectorValue;

const NORMALISERS: Readonly<Record<SelectorType, Normaliser>> = {
  domain: (raw) => normaliseDomain(raw),
  ipv4: (raw) => normaliseIpv4(raw),
  ipv6: (raw) => normaliseIpv6(raw),
  url: (raw) => normaliseUrl(raw),
  email: (raw) => normaliseEmail(raw),
  phone: (raw, opts) => normalisePhone(raw, opts.defaultRegion),
  md5: (raw) => normaliseHash('md5', raw),
  sha1: (raw) => normaliseHash('sha1', raw),
  sha256: (raw) => normaliseHash('sha256', raw),
  sha512: (raw) => normaliseHash('sha512', raw),
  btc: (raw) => normaliseBtc(raw),
  eth: (raw) => normaliseEth(raw),
  cve: (raw) => normaliseCve(raw),
  username: (raw, opts) => normaliseUsername(raw, opts.platform),
};

/**
 * Turns a raw value of a declared type into its canonical selector, or throws {@link SelectorError}. One
 * entry point for the API, the extractor and imports, so the same indicator always gets the same key.
 */
export function normaliseSelector(
  type: SelectorType,
  raw: string,
  opts: NormaliseOptions = {},
): NormalisedSelector {
  if (!isSelectorType(type)) {
    throw new SelectorError('unsupported_type', `unknown selector type "${String(type)}"`);
  }
  const displayValue = raw.trim();
  if (displayValue === '') throw new SelectorError('empty', 'the value is empty', type);
  if (displayValue.length > MAX_SELECTOR_INPUT_LENGTH) {
    throw new SelectorError(
      'too_long',
      `the value is longer than ${MAX_SELECTOR_INPUT_LENGTH} characters`,
      type,
    );
  }
  const { value, attributes } = NORMALISERS[type](displayValue, opts);
  return { type, value, displayValue, attributes };
}

/** {@link normaliseSelector} without throwing on bad input; unexpected errors (bugs) still throw. */
export function tryNormaliseSelector(
  type: SelectorType,
  raw: string,
  opts: NormaliseOptions = {},
): NormaliseResult {
  try {
    return { ok: true, selector: normaliseSelector(type, raw, opts) };
  } catch (error) {
    if (error instanceof SelectorError) return { ok: false, error };
    throw error;
  }
}

function accepts(type: SelectorType, value: string, opts: NormaliseOptions = {}): boolean {
  return tryNormaliseSelector(type, value, opts).ok;
}

/** Shapes that are unambiguous from the text alone, checked before the looser ones. */
function detectByShape(value: string): SelectorType | null {
  if (/^CVE[-\u2010-\u2015\u2212]\d{4}[-\u2010-\u2015\u2212]\d{4,}$/i.test(value)) return 'cve';
  if (/^0x[0-9a-fA-F]{40}$/.test(value)) return 'eth';
  if (/^[0-9a-fA-F]+$/.test(value)) return hashTypeForLength(value.length);
  if (/^(https?|ftp):\/\//i.test(value)) return 'url';
  if (/^@[^@\s]+(@[^@\s]+)?$/.test(value)) return 'username';
  return null;
}

const NETWORK_GUESSES: readonly SelectorType[] = ['ipv4', 'ipv6', 'email', 'btc'];

/**
 * Best guess at the type of a single pasted value (refanged first), or null when nothing fits or the
 * value is ambiguous. Used to pre-select the type in the UI, so it prefers "don't know" over a wrong
 * answer: phone numbers need a leading `+`, file-like names (`invoice.zip`) are not called domains,
 * and bare words are not called usernames.
 */
export function detectSelectorType(raw: string): SelectorType | null {
  const value = refangSettled(raw)?.trim() ?? '';
  if (value === '' || value.length > MAX_SELECTOR_INPUT_LENGTH) return null;
  const byShape = detectByShape(value);
  // A bare @handle cannot be normalised without a platform, but it is unmistakably a username.
  if (byShape === 'username') return byShape;
  if (byShape !== null) return accepts(byShape, value) ? byShape : null;
  const network = NETWORK_GUESSES.find((type) => accepts(type, value));
  if (network !== undefined) return network;
  if (/^\+[\d\s().-]+$/.test(value) && accepts('phone', value)) return 'phone';
  if (accepts('domain', value)) return isLikelyFileName(value) ? null : 'domain';
  if (/^[a-z][a-z0-9.-]*:[^/\s]+$/i.test(value) && accepts('username', value)) return 'username';
  return null;
}
