import { domainToASCII, domainToUnicode } from 'node:url';
import ipaddr from 'ipaddr.js';
import { parse } from 'tldts';
import { isLikelyFileName } from './file-names.js';
import { refangSelector } from './refang.js';
import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/**
 * Letters, digits, hyphen, plus underscore because real DNS names carry it (`_dmarc`, `_sip._tcp`) and
 * research material is full of them; no leading or trailing hyphen.
 */
const LABEL = /^(?!-)[a-z0-9_-]+(?<!-)$/;

/** RFC 2606 / RFC 6761 names: valid, but never a real target, so they are flagged rather than refused. */
const RESERVED_TLDS = new Set(['example', 'test', 'invalid', 'localhost']);
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org'];

/** True for RFC 2606 / 6761 reserved names (`example.com`, `*.example`, `*.test`, `*.invalid`, `*.localhost`). */
export function isReservedDomain(asciiDomain: string): boolean {
  const tld = asciiDomain.slice(asciiDomain.lastIndexOf('.') + 1);
  if (RESERVED_TLDS.has(tld)) return true;
  return RESERVED_DOMAINS.some((d) => asciiDomain === d || asciiDomain.endsWith(`.${d}`));
}

/**
 * Characters (controls, spaces, ASCII punctuation) a host name can never contain. Checked before IDNA
 * mapping because the WHATWG host parser would otherwise quietly cut `a.example/b` down to `a.example`
 * or percent-decode `%41`.
 */
const FORBIDDEN_HOST_CHARS = /[\p{Cc}\s!"#$%&'()*+,/:;<=>?@[\\\]^`{|}~]/u;

type DomainErrorCode = 'invalid_domain' | 'domain_is_ip' | 'domain_too_long' | 'domain_label_too_long';

function domainError(
  code: DomainErrorCode | 'domain_unknown_suffix' | 'domain_is_public_suffix',
  message: string,
) {
  return new SelectorError(code, message, 'domain');
}

/**
 * Characters of every form `ipaddr.isValid` accepts (inet_aton's decimal, octal and hex parts, IPv6): a
 * name with any other character cannot be an address, and skipping the call there matters because
 * ipaddr.js answers "no" by throwing, which costs far more than the test.
 */
const MAYBE_IP_LITERAL = /^[0-9a-fA-FxX.:%]+$/;

function looksLikeIpLiteral(value: string): boolean {
  if (value.startsWith('[') || /^[0-9.]+$/.test(value)) return true;
  if (!MAYBE_IP_LITERAL.test(value)) return false;
  // `ipaddr.isValid`, without its throw for a name no IPv4 form reads (`7d25af`): IPv6 needs a colon,
  // and `isIPv4` asks the IPv4 parser alone, which answers null instead of throwing.
  if (value.includes(':')) return ipaddr.IPv6.isValid(value);
  return ipaddr.IPv4.isIPv4(value) && ipaddr.IPv4.isValid(value);
}

/** Why a lowercase ASCII host name breaks DNS syntax, or null when it is fine. */
function syntaxProblem(ascii: string): [DomainErrorCode, string] | null {
  if (ascii.length > MAX_DOMAIN_LENGTH) {
    return ['domain_too_long', `longer than ${MAX_DOMAIN_LENGTH} characters`];
  }
  const labels = ascii.split('.');
  if (labels.length < 2) return ['invalid_domain', 'no top-level domain'];
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH) {
      return ['domain_label_too_long', `label "${label}" exceeds 63 characters`];
    }
    if (!LABEL.test(label)) return ['invalid_domain', `invalid label "${label}"`];
    // An A-label must decode: Node 26's URL parser passes `xn--zz` through where Node 20's refused
    // it, and decoding (which leaves an undecodable label as it was, or empties it) is the same on both.
    if (label.startsWith('xn--') && !/^(?!xn--)./.test(domainToUnicode(label))) {
      return ['invalid_domain', `label "${label}" is not valid punycode`];
    }
  }
  return null;
}

/** Punycodes (UTS #46 mapping also lowercases) and syntax-checks a host name; throws if it is not one. */
function toAsciiHostname(input: string): string {
  const withoutDot = input.endsWith('.') ? input.slice(0, -1) : input;
  if (looksLikeIpLiteral(withoutDot)) {
    throw domainError('domain_is_ip', `"${input}" is an IP address, not a domain`);
  }
  const ascii = FORBIDDEN_HOST_CHARS.test(withoutDot) ? '' : domainToASCII(withoutDot);
  if (ascii === '') throw domainError('invalid_domain', `"${input}" is not a valid domain name`);
  const problem = syntaxProblem(ascii);
  if (problem) throw domainError(problem[0], `"${input}": ${problem[1]}`);
  return ascii;
}

/** Public-suffix facts; reserved names get synthesised ones because the PSL does not list them. */
function suffixAttributes(ascii: string, reserved: boolean): Record<string, unknown> {
  const icann = parse(ascii);
  if (reserved && !icann.isIcann) {
    const labels = ascii.split('.');
    return {
      publicSuffix: labels.at(-1),
      registrableDomain: labels.slice(-2).join('.'),
      isIcann: false,
      isPrivateSuffix: false,
    };
  }
  // tldts answers unknown TLDs with a default "*" rule; isIcann is only true for a listed suffix.
  if (!icann.isIcann) throw domainError('domain_unknown_suffix', `"${ascii}" has no known public suffix`);
  if (icann.domain === null) {
    throw domainError('domain_is_public_suffix', `"${ascii}" is a public suffix itself`);
  }
  // With private suffixes (github.io, blogspot.com) the registrable domain is the unit one party controls,
  // which is what an investigation pivots on; plain com/co.uk behaviour is unchanged. `isIcann` then says
  // which PSL section the matched suffix came from.
  const withPrivate = parse(ascii, { allowPrivateDomains: true });
  return {
    publicSuffix: withPrivate.publicSuffix,
    registrableDomain: withPrivate.domain ?? icann.domain,
    isIcann: withPrivate.isIcann === true,
    isPrivateSuffix: withPrivate.isPrivate === true,
  };
}

/**
 * Normalises a domain name to its match key: refanged, trimmed, lowercase, no trailing dot, IDNA in
 * punycode (A-label) form, so `Bücher.example.` and `xn--bcher-kva.example` are one selector. Only names
 * ending in a suffix on the Public Suffix List are accepted (this rejects `report.pdf`), except RFC 2606
 * reserved names, which pass with `attributes.reserved = true`.
 */
export function normaliseDomain(raw: string): SelectorValue {
  const ascii = toAsciiHostname(refangSelector(raw, 'domain').trim());
  const reserved = isReservedDomain(ascii);
  return {
    value: ascii,
    attributes: {
      unicode: domainToUnicode(ascii),
      ...suffixAttributes(ascii, reserved),
      reserved,
      likelyFileName: isLikelyFileName(ascii),
    },
  };
}
