import { promises as dns } from 'node:dns';
import { tryNormaliseSelector } from '@osint/core';
import type { EnrichmentProvider, RelatedSelector } from './provider.js';
import { reservedNameReason } from './reserved-names.js';

export interface DnsProviderOptions {
  /** `ip`, `ip:port` or `[ipv6]:port`; empty = the system's resolvers. */
  resolvers: readonly string[];
  /** Per-query timeout (c-ares), and the provider's overall budget is a bit more than this. */
  timeoutMs: number;
}

/** Caps on what one answer may contribute, so a hostile zone cannot bloat a selector's attributes. */
const MAX_RECORDS_PER_TYPE = 50;
const MAX_TXT_LENGTH = 1_024;

/** "No such record" answers: an empty set, not a failure. */
const EMPTY_ANSWERS = new Set(['ENODATA', 'ENOTFOUND', 'ENONAME', 'ENOTIMP_NODATA']);

type RecordType = 'A' | 'AAAA' | 'MX' | 'NS' | 'TXT' | 'CNAME';

/** An answer that stays an attribute: an address outside public unicast, or a special-use name. */
export interface NonPublicAnswer {
  record: RecordType;
  value: string;
  /** ipaddr.js range name (`private`, `loopback`, `linkLocal`, `reserved`, `uniqueLocal`...) or `special-use`. */
  range: string;
}

/**
 * The address's range as core's normaliser names it (ipaddr.js `range()`); `unicast` is the only public
 * one for both families. A string the normaliser refuses is reported as `invalid`.
 */
function addressRange(type: 'ipv4' | 'ipv6', address: string): string {
  const normalised = tryNormaliseSelector(type, address);
  if (!normalised.ok) return 'invalid';
  return String(normalised.selector.attributes.range ?? 'unknown');
}

/**
 * DNS resolution through `node:dns` (c-ares, not the OS's getaddrinfo, so the configured resolvers are the
 * only servers asked): A, AAAA, MX, NS, TXT and CNAME. Every public address and name found becomes a
 * selector the domain `resolves-to` (confidence 80: an observation at one moment, from one resolver); the
 * record types themselves, MX priorities and TXT strings are kept in `attributes.enrichment.dns`, because
 * a relationship has no room for them. Addresses outside public unicast (private, loopback, link-local,
 * reserved and documentation ranges...) and special-use names in answers stay in the attributes, listed
 * in `nonPublic` with their range, and never become selectors: they describe someone's internal network,
 * not a pivot. Special-use names (`.localhost`, `.test`, `.internal`, `.home.arpa`...) are not queried at
 * all (`queried: false`). NXDOMAIN is an answer (`nxdomain: true`), not an error; a query
 * that fails (timeout, SERVFAIL, refused) is listed in `errors`, and when every query fails the provider
 * throws so the job retries later.
 */
export function createDnsProvider(options: DnsProviderOptions): EnrichmentProvider {
  return {
    name: 'dns',
    types: ['domain'],
    // Public resolvers throttle bursts; 50 queries/s across all workers is well under their limits.
    rateLimit: { max: 50, windowMs: 1_000 },
    timeoutMs: options.timeoutMs * 2 + 500,
    // One hour: long enough that re-running an investigation's enrichment does not re-ask, short enough
    // that fast-flux infrastructure is seen changing within a working day.
    ttlSeconds: 3_600,
    needsNetwork: true,
    async enrich({ value }, { signal }) {
      const reserved = reservedNameReason(value);
      if (reserved) return { attributes: { queried: false, reserved: reserved }, related: [] };
      const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: 1 });
      if (options.resolvers.length > 0) resolver.setServers([...options.resolvers]);
      const onAbort = () => resolver.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      const errors: Partial<Record<RecordType, string>> = {};
      let nxdomain = false;
      const ask = async <T>(type: RecordType, query: () => Promise<T[]>): Promise<T[]> => {
        try {
          return (await query()).slice(0, MAX_RECORDS_PER_TYPE);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
          if (code === 'ENOTFOUND') nxdomain = true;
          if (!EMPTY_ANSWERS.has(code)) errors[type] = code;
          return [];
        }
      };
      try {
        const [a, aaaa, mx, ns, txt, cname] = await Promise.all([
          ask('A', () => resolver.resolve4(value)),
          ask('AAAA', () => resolver.resolve6(value)),
          ask('MX', () => resolver.resolveMx(value)),
          ask('NS', () => resolver.resolveNs(value)),
          ask('TXT', () => resolver.resolveTxt(value)),
          ask('CNAME', () => resolver.resolveCname(value)),
        ]);
        if (Object.keys(errors).length === 6) {
          throw new Error(`every DNS query for ${value} failed: ${Object.values(errors).join(', ')}`);
        }
        const related: RelatedSelector[] = [];
        const nonPublic: NonPublicAnswer[] = [];
        const to = (record: RecordType, type: RelatedSelector['type'], target: string) => {
          const range =
            type === 'domain'
              ? reservedNameReason(target) && 'special-use'
              : addressRange(type as 'ipv4' | 'ipv6', target);
          if (range && range !== 'unicast') {
            nonPublic.push({ record, value: target, range });
            return;
          }
          related.push({
            type,
            value: target,
            relationship: 'resolves-to',
            direction: 'out',
            confidence: 80,
          });
        };
        for (const ip of a) to('A', 'ipv4', ip);
        for (const ip of aaaa) to('AAAA', 'ipv6', ip);
        for (const name of cname) to('CNAME', 'domain', name);
        for (const record of mx) if (record.exchange) to('MX', 'domain', record.exchange);
        for (const name of ns) to('NS', 'domain', name);
        return {
          attributes: {
            queried: true,
            a,
            aaaa,
            cname,
            mx: mx.map((r) => ({ exchange: r.exchange, priority: r.priority })),
            ns,
            txt: txt.map((chunks) => chunks.join('').slice(0, MAX_TXT_LENGTH)),
            nxdomain,
            ...(nonPublic.length > 0 ? { nonPublic } : {}),
            ...(Object.keys(errors).length > 0 ? { errors } : {}),
            resolvers: options.resolvers.length > 0 ? [...options.resolvers] : 'system',
          },
          related,
        };
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
