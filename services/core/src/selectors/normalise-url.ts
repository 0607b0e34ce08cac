import { normaliseDomain } from './normalise-domain.js';
import { normaliseIpv4, normaliseIpv6 } from './normalise-ip.js';
import { refangSelector } from './refang.js';
import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

/** Schemes that point at fetchable infrastructure; anything else (javascript:, data:, file:) is not a URL selector. */
const SUPPORTED_PROTOCOLS = new Set(['http:', 'https:', 'ftp:']);

/** What a URL's host is, so it can be linked to the matching domain/ipv4/ipv6 selector. */
export type UrlHostType = 'domain' | 'ipv4' | 'ipv6';

/**
 * A dotted quad written with commas (`http://192,168,0,1/`): a known defang of an address host (ioc-extractor's
 * test fixture carries it), and never a valid host as written. Matched on the authority only (after any
 * `user@`, before any `:port`), anchored and bounded, so it costs constant time.
 */
const COMMA_QUAD_AUTHORITY =
  /^([a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]{0,256}@)?)(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})(?=[:/?#]|$)/i;

/** One DNS label as a URL host may carry it (punycoded by the URL parser): letters, digits, `-`, `_`. */
const HOST_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

function parseUrl(raw: string): URL {
  const input = raw.replace(COMMA_QUAD_AUTHORITY, '$1$2.$3.$4.$5');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(input)) {
    throw new SelectorError(
      'url_missing_scheme',
      `"${input}" has no scheme (http://, https://, ftp://)`,
      'url',
    );
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SelectorError('invalid_url', `"${input}" is not a valid URL`, 'url');
  }
  if (!SUPPORTED_PROTOCOLS.has(url.protocol)) {
    throw new SelectorError(
      'url_unsupported_scheme',
      `scheme "${url.protocol}" is not http, https or ftp`,
      'url',
    );
  }
  if (url.hostname === '') throw new SelectorError('invalid_url', `"${input}" has no host`, 'url');
  return url;
}

/**
 * The host as its own selector value, so a URL can be linked to the domain/IP selector it lives on. Domain
 * hosts outside the Public Suffix List (intranet names) are still valid URLs; they just get no suffix facts.
 */
interface HostDescription {
  hostType: UrlHostType;
  host: string;
  facts: Record<string, unknown>;
}

function describeHost(hostname: string): HostDescription {
  if (hostname.startsWith('[')) return { hostType: 'ipv6', host: normaliseIpv6(hostname).value, facts: {} };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname)) {
    return { hostType: 'ipv4', host: normaliseIpv4(hostname).value, facts: {} };
  }
  try {
    const domain = normaliseDomain(hostname);
    const { registrableDomain, publicSuffix, reserved } = domain.attributes;
    return { hostType: 'domain', host: domain.value, facts: { registrableDomain, publicSuffix, reserved } };
  } catch {
    // The WHATWG parser accepts hosts no resolver would (`example,com`, `a(b).c`): a URL selector must name
    // a host that can exist, so anything but DNS label syntax is refused rather than stored.
    if (!hostname.split('.').every((label) => HOST_LABEL.test(label))) {
      throw new SelectorError('url_invalid_host', `"${hostname}" is not a valid host name`, 'url');
    }
    return { hostType: 'domain', host: hostname, facts: { knownSuffix: false } };
  }
}

/**
 * Normalises a URL with the WHATWG parser (what browsers and fetch actually request): refanged, scheme and
 * host lowercased, host in punycode, default port dropped, host trailing dot removed. A host that is not a
 * valid host is refused (`http://example,com/`), except a dotted quad defanged with commas, which is
 * refanged (`http://192,168,0,1/` → `http://192.168.0.1/`). The fragment never
 * reaches the server, so it is dropped from the match key (it stays in the display value and in
 * `attributes.fragment`).
 */
export function normaliseUrl(raw: string): SelectorValue {
  const url = parseUrl(refangSelector(raw, 'url').trim());
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  // One trailing dot is the root's; a second is an empty label, as `normaliseDomain` says of `a.com..`.
  if (url.hostname.endsWith('.')) {
    throw new SelectorError('url_invalid_host', `"${url.hostname}." is not a valid host name`, 'url');
  }
  const fragment = url.hash;
  url.hash = '';
  const { hostType, host, facts } = describeHost(url.hostname);
  return {
    value: url.href,
    attributes: {
      scheme: url.protocol.slice(0, -1),
      host,
      hostType,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      ...(fragment === '' ? {} : { fragment: fragment.slice(1) }),
      ...facts,
    },
  };
}
