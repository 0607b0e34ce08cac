/**
 * Selector normalisation: the single place that decides what counts as "the same" domain, address, hash,
 * account... for matching. Everything else (API, extractor, imports, enrichment) goes through here.
 */
export { COMMON_FILE_EXTENSIONS, isLikelyFileName } from './file-names.js';
export {
  detectSelectorType,
  type NormalisedSelector,
  type NormaliseOptions,
  type NormaliseResult,
  normaliseSelector,
  tryNormaliseSelector,
} from './normalise.js';
export { type BtcNetwork, normaliseBtc, normaliseEth, toEip55 } from './normalise-crypto.js';
export { normaliseCve } from './normalise-cve.js';
export { isReservedDomain, normaliseDomain } from './normalise-domain.js';
export { normaliseEmail } from './normalise-email.js';
export { type HashType, hashTypeForLength, normaliseHash } from './normalise-hash.js';
export { formatIpv6, normaliseIpv4, normaliseIpv6 } from './normalise-ip.js';
export { type CountryCode, normalisePhone } from './normalise-phone.js';
export { normaliseUrl, type UrlHostType } from './normalise-url.js';
export { CASE_INSENSITIVE_PLATFORMS, canonicalPlatform, normaliseUsername } from './normalise-username.js';
export { refang } from './refang.js';
export { isSelectorError, SelectorError, type SelectorErrorCode } from './selector-error.js';
export type { SelectorValue } from './selector-value.js';
