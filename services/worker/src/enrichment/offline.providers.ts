import { normaliseDomain, normaliseIpv4, normaliseIpv6, normaliseUrl } from '@osint/core';
import type { EnrichmentProvider, EnrichmentResult } from './provider.js';

/** Offline providers are pure functions of the value: never cached, no rate limit, tiny timeout. */
const OFFLINE = { rateLimit: null, timeoutMs: 1_000, ttlSeconds: 0, needsNetwork: false } as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * domain → registrable domain + public suffix. A subdomain `belongs-to` its registrable domain (the unit one
 * party registers and controls), which is created and linked if needed. Private PSL suffixes count
 * (`user.github.io` belongs to `user.github.io`, not to `github.io`), like core's normaliser.
 */
export const domainSuffixProvider: EnrichmentProvider = {
  name: 'domain-suffix',
  types: ['domain'],
  ...OFFLINE,
  async enrich({ value }) {
    // Core's normaliser already computes the suffix facts (tldts, ICANN + private sections of the PSL).
    const facts = normaliseDomain(value).attributes;
    const registrableDomain = str(facts.registrableDomain);
    const publicSuffix = str(facts.publicSuffix);
    const subdomain =
      registrableDomain && value.endsWith(`.${registrableDomain}`)
        ? value.slice(0, -registrableDomain.length - 1)
        : '';
    const result: EnrichmentResult = {
      attributes: {
        registrableDomain: registrableDomain ?? null,
        publicSuffix: publicSuffix ?? null,
        subdomain,
        isRegistrableDomain: registrableDomain === value,
        isPrivateSuffix: facts.isPrivateSuffix === true,
        reserved: facts.reserved === true,
      },
      related: [],
    };
    if (registrableDomain && registrableDomain !== value) {
      result.related.push({
        type: 'domain',
        value: registrableDomain,
        relationship: 'belongs-to',
        direction: 'out',
        confidence: 100,
      });
    }
    return result;
  },
};

/**
 * URL → its host (domain, IPv4 or IPv6) as a selector. The URL `belongs-to` its host: it is a resource the
 * host serves, the same containment direction as subdomain → registrable domain and mailbox → domain (and
 * `resolves-to` stays reserved for DNS answers). Hosts without a public suffix (intranet names) are not
 * domain selectors and are only noted.
 */
export const urlHostProvider: EnrichmentProvider = {
  name: 'url-host',
  types: ['url'],
  ...OFFLINE,
  async enrich({ value }) {
    const { attributes } = normaliseUrl(value);
    const host = str(attributes.host);
    const hostType = attributes.hostType as 'domain' | 'ipv4' | 'ipv6' | undefined;
    const hostIsSelector = host !== undefined && hostType !== undefined && attributes.knownSuffix !== false;
    return {
      attributes: {
        scheme: attributes.scheme,
        host: host ?? null,
        hostType: hostType ?? null,
        port: attributes.port ?? null,
        path: attributes.path ?? null,
        hostIsSelector,
      },
      related: hostIsSelector
        ? [{ type: hostType, value: host, relationship: 'belongs-to', direction: 'out', confidence: 100 }]
        : [],
    };
  },
};

/** e-mail address → its domain (`belongs-to`). */
export const emailDomainProvider: EnrichmentProvider = {
  name: 'email-domain',
  types: ['email'],
  ...OFFLINE,
  async enrich({ value, attributes }) {
    const domain = str(attributes.domain) ?? value.slice(value.lastIndexOf('@') + 1);
    return {
      attributes: { domain, localPart: value.slice(0, value.lastIndexOf('@')) },
      related: [
        { type: 'domain', value: domain, relationship: 'belongs-to', direction: 'out', confidence: 100 },
      ],
    };
  },
};

/** ipaddr.js range names that are reachable on the public Internet. */
const GLOBAL_RANGES = new Set(['unicast']);
/** Coarse categories for filtering, from ipaddr.js's detailed range names (IANA special-purpose registries). */
const CATEGORY: Readonly<Record<string, string>> = {
  private: 'private',
  uniqueLocal: 'private',
  carrierGradeNat: 'shared',
  loopback: 'loopback',
  linkLocal: 'link-local',
  multicast: 'multicast',
  broadcast: 'broadcast',
  unspecified: 'unspecified',
  unicast: 'global',
  ipv4Mapped: 'ipv4-mapped',
  rfc6145: 'translation',
  rfc6052: 'translation',
  '6to4': 'transition',
  teredo: 'transition',
};

/** IP address → range classification (IANA special-purpose ranges, documentation ranges, routability). */
export const ipRangeProvider: EnrichmentProvider = {
  name: 'ip-range',
  types: ['ipv4', 'ipv6'],
  ...OFFLINE,
  async enrich({ type, value }) {
    const normalised = type === 'ipv4' ? normaliseIpv4(value) : normaliseIpv6(value);
    const range = String(normalised.attributes.range);
    const documentation = normalised.attributes.documentation === true;
    return {
      attributes: {
        version: type === 'ipv4' ? 4 : 6,
        range,
        category: documentation ? 'documentation' : (CATEGORY[range] ?? 'reserved'),
        documentation,
        globallyRoutable: GLOBAL_RANGES.has(range) && !documentation,
        ...(normalised.attributes.mappedIpv4 ? { mappedIpv4: normalised.attributes.mappedIpv4 } : {}),
      },
      related: [],
    };
  },
};

const HASH_HEX_LENGTH: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

/**
 * Hash → type check: the stored type must agree with the digest's length and alphabet. A mismatch (a
 * selector imported under the wrong type) is reported as `consistent: false` for an analyst to fix.
 */
export const hashTypeProvider: EnrichmentProvider = {
  name: 'hash-type',
  types: ['md5', 'sha1', 'sha256', 'sha512'],
  ...OFFLINE,
  async enrich({ type, value }) {
    const expected = HASH_HEX_LENGTH[type] ?? 0;
    const hex = /^[0-9a-f]+$/.test(value);
    const byLength = Object.entries(HASH_HEX_LENGTH).find(([, n]) => n === value.length)?.[0] ?? null;
    return {
      attributes: {
        algorithm: type,
        bits: expected * 4,
        hexLength: value.length,
        consistent: hex && value.length === expected,
        typeByLength: byLength,
      },
      related: [],
    };
  },
};

export const OFFLINE_PROVIDERS: readonly EnrichmentProvider[] = [
  domainSuffixProvider,
  urlHostProvider,
  emailDomainProvider,
  ipRangeProvider,
  hashTypeProvider,
];
