import { createHash } from 'node:crypto';
import { searchCacheKey, searchCacheKeyAround, searchVersionKey } from '@osint/core';
import type { ApiDeps } from '../deps.js';

export type CacheOutcome = 'hit' | 'miss';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Reads an investigation's version counter and the entry cached under that version in one round trip: the
 * entry's key is `KEYS[1]`'s value (`0` when missing) between `ARGV[1]` and `ARGV[2]`
 * (`searchCacheKeyAround`). Returns `{version}` or `{version, entry}`.
 */
const VERSION_AND_ENTRY = `local version = redis.call('GET', KEYS[1]) or '0'
return {version, redis.call('GET', ARGV[1] .. version .. ARGV[2])}`;

/** A search answer as JSON text, and whether it came from the cache. */
export interface CachedAnswer {
  json: string;
  cache: CacheOutcome;
}

/**
 * Where a search's version comes from: an investigation's counter (read with the entry, one round trip), or
 * a version already computed (`combinedVersion`), or null when Redis cannot say (no caching).
 */
export type CacheVersion = { investigationId: string } | string | null;

/**
 * The version part for a search over several investigations: a digest of (investigation, role, version)
 * for each, so a write to any of them, or a membership change, moves the search to a new key.
 */
export async function combinedVersion(
  deps: ApiDeps,
  members: ReadonlyArray<{ investigationId: string; role: string }>,
): Promise<string | null> {
  if (deps.redis.status !== 'ready') return null;
  if (members.length === 0) return 'x0';
  try {
    const versions = await deps.redis.mget(
      members.map((m) => searchVersionKey(deps.config.QUEUE_PREFIX, m.investigationId)),
    );
    const parts = members.map((m, i) => `${m.investigationId}:${m.role}:${versions[i] ?? '0'}`);
    return `x${sha256(parts.join(',')).slice(0, 24)}`;
  } catch {
    return null;
  }
}

/**
 * Read-through cache for search answers under `<prefix>:search:v<version>:<sha256(request)>`, kept for
 * SEARCH_CACHE_TTL_SECONDS. An unavailable Redis never fails a search: it is a miss and the answer is
 * computed (and not stored). Hits and misses are counted in `osint_cache_requests_total{cache="search"}`.
 * The answer comes back as its JSON text (`json`), which is what is cached and what the route sends: a hit is
 * sent as stored, and a miss is serialised once for both.
 */
export async function cachedSearch<T>(
  deps: ApiDeps,
  version: CacheVersion,
  request: unknown,
  compute: () => Promise<T>,
): Promise<CachedAnswer> {
  const prefix = deps.config.QUEUE_PREFIX;
  let key: string | null = null;
  if (version !== null && deps.redis.status === 'ready') {
    const hash = sha256(JSON.stringify(request));
    try {
      let cached: string | null;
      if (typeof version === 'string') {
        key = searchCacheKey(prefix, version, hash);
        cached = await deps.redis.get(key);
      } else {
        const [current, entry] = (await deps.redis.eval(
          VERSION_AND_ENTRY,
          1,
          searchVersionKey(prefix, version.investigationId),
          ...searchCacheKeyAround(prefix, hash),
        )) as [string, string | null | undefined];
        key = searchCacheKey(prefix, current, hash);
        cached = entry ?? null;
      }
      if (cached !== null) {
        deps.metrics.cacheRequests.inc({ cache: 'search', result: 'hit' });
        return { json: cached, cache: 'hit' };
      }
    } catch {
      // fall through: computed below (and stored only when the version was read)
    }
  }
  deps.metrics.cacheRequests.inc({ cache: 'search', result: 'miss' });
  const json = JSON.stringify(await compute());
  if (key) deps.redis.set(key, json, 'EX', deps.config.SEARCH_CACHE_TTL_SECONDS).catch(() => {});
  return { json, cache: 'miss' };
}
