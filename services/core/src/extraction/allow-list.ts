import ipaddr from 'ipaddr.js';
import { detectSelectorType, type NormalisedSelector, tryNormaliseSelector } from '../selectors/normalise.js';
import { isReservedDomain } from '../selectors/normalise-domain.js';
import { refangSettled } from '../selectors/refang.js';

/**
 * Why an extracted selector is flagged instead of treated as a lead:
 * - `documentation`: an RFC 5737 / RFC 3849 documentation address (or a URL on one);
 * - `reserved`: an RFC 2606 / RFC 6761 reserved name (or an e-mail or URL on one);
 * - `allow-list`: it matches an entry of the investigation's own allow-list.
 */
export type AllowListReason = 'documentation' | 'reserved' | 'allow-list';

/**
 * An investigation's allow-list compiled for matching. Entries are the strings the API stores in
 * `investigations.allow_list`; their meaning, by shape:
 * - a domain (`corp.example`, `*.corp.example`): that domain and every subdomain, plus e-mail addresses and
 *   URLs on them;
 * - an IP address or CIDR range (`203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`): addresses in it, plus URLs
 *   whose host is in it;
 * - anything else the normaliser recognises (a URL, an e-mail address, a hash, a CVE...): that exact
 *   selector (after normalisation, so `HTTP://Corp.Example/` matches `http://corp.example/`).
 * Entries that are none of these are ignored (and listed in `ignored`), never an error: the list is
 * advisory and must not stop an extraction.
 */
export interface AllowList {
  readonly domains: ReadonlySet<string>;
  readonly ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  readonly exact: ReadonlySet<string>;
  readonly ignored: readonly string[];
}

export const EMPTY_ALLOW_LIST: AllowList = { domains: new Set(), ranges: [], exact: new Set(), ignored: [] };

const key = (type: string, value: string) => `${type}\u0000${value}`;

/** Compiles allow-list entries once per extraction (or once per job) so matching is a few set look-ups. */
export function compileAllowList(entries: readonly string[] | undefined): AllowList {
  if (!entries || entries.length === 0) return EMPTY_ALLOW_LIST;
  const domains = new Set<string>();
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  const exact = new Set<string>();
  const ignored: string[] = [];
  for (const entry of entries) {
    const value = refangSettled(String(entry))?.trim();
    if (value === undefined) {
      ignored.push(String(entry));
      continue;
    }
    if (value.includes('/') && ipaddr.isValidCIDR(value)) {
      ranges.push(ipaddr.parseCIDR(value));
      continue;
    }
    const bare = value.replace(/^\*\./, '');
    const asDomain = tryNormaliseSelector('domain', bare);
    if (asDomain.ok) {
      domains.add(asDomain.selector.value);
      continue;
    }
    const type = detectSelectorType(value);
    const normalised = type ? tryNormaliseSelector(type, value) : null;
    if (normalised?.ok) {
      const { selector } = normalised;
      if (selector.type === 'ipv4' || selector.type === 'ipv6') {
        const address = ipaddr.parse(selector.value);
        ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else {
        exact.add(key(selector.type, selector.value));
      }
      continue;
    }
    ignored.push(String(entry));
  }
  return { domains, ranges, exact, ignored };
}

function domainAllowed(list: AllowList, domain: string): boolean {
  if (list.domains.size === 0) return false;
  let candidate = domain;
  for (;;) {
    if (list.domains.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot < 0) return false;
    candidate = candidate.slice(dot + 1);
  }
}

/** Parses an address we already know is valid IPv4 or IPv6 (normalised), without trying both parsers. */
function parseAddress(value: string): ipaddr.IPv4 | ipaddr.IPv6 {
  return value.includes(':') ? ipaddr.IPv6.parse(value) : ipaddr.IPv4.parse(value);
}

function addressAllowed(list: AllowList, value: string): boolean {
  if (list.ranges.length === 0) return false;
  const address = parseAddress(value);
  return list.ranges.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
}

/** RFC 5737 and RFC 3849 documentation ranges, parsed once. */
const DOCUMENTATION_V4 = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'].map((c) =>
  ipaddr.IPv4.parseCIDR(c),
);
const DOCUMENTATION_V6 = ipaddr.IPv6.parseCIDR('2001:db8::/32');

function isDocumentationAddress(value: string): boolean {
  const address = parseAddress(value);
  if (address.kind() === 'ipv4') return DOCUMENTATION_V4.some((cidr) => address.match(cidr));
  return address.match(DOCUMENTATION_V6);
}

/** The host a selector lives on, when it has one: the domain of an e-mail, the host of a URL. */
function hostOf(selector: NormalisedSelector): { kind: 'domain' | 'ip'; value: string } | null {
  const a = selector.attributes;
  switch (selector.type) {
    case 'domain':
      return { kind: 'domain', value: selector.value };
    case 'ipv4':
    case 'ipv6':
      return { kind: 'ip', value: selector.value };
    case 'email':
      return typeof a.domain === 'string' ? { kind: 'domain', value: a.domain } : null;
    case 'url':
      if (typeof a.host !== 'string') return null;
      return { kind: a.hostType === 'domain' ? 'domain' : 'ip', value: a.host };
    case 'username':
      return typeof a.instance === 'string' ? { kind: 'domain', value: a.instance } : null;
    default:
      return null;
  }
}

/**
 * Why `selector` should be flagged, or null. Built-in reasons (documentation ranges, reserved names) come
 * first because they hold in every investigation; then the investigation's own list.
 */
export function allowListReason(selector: NormalisedSelector, list: AllowList): AllowListReason | null {
  const host = hostOf(selector);
  if (selector.attributes.documentation === true) return 'documentation';
  if (selector.type === 'url' && host?.kind === 'ip' && isDocumentationAddress(host.value))
    return 'documentation';
  if (selector.attributes.reserved === true) return 'reserved';
  if (host?.kind === 'domain' && isReservedDomain(host.value)) return 'reserved';
  if (list.exact.has(key(selector.type, selector.value))) return 'allow-list';
  if (host?.kind === 'domain' && domainAllowed(list, host.value)) return 'allow-list';
  if (host?.kind === 'ip' && addressAllowed(list, host.value)) return 'allow-list';
  return null;
}
