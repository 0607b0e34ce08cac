export { type CachedAnswer, EnrichmentCache } from './cache.js';
export { createDnsProvider, type DnsProviderOptions } from './dns.provider.js';
export {
  domainSuffixProvider,
  emailDomainProvider,
  hashTypeProvider,
  ipRangeProvider,
  OFFLINE_PROVIDERS,
  urlHostProvider,
} from './offline.providers.js';
export {
  type EnrichmentContext,
  type EnrichmentInput,
  type EnrichmentProvider,
  type EnrichmentRelationship,
  type EnrichmentResult,
  PermanentEnrichmentError,
  type RelatedSelector,
} from './provider.js';
export { RateLimiter } from './rate-limit.js';
