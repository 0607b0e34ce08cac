import { createHash } from 'node:crypto';
import { searchCacheKey, searchVersionKey } from '@osint/core';
import type { ApiDeps } from '../deps.js';

export type CacheOutcome = 'hit' | 'miss';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An investigation's search version (0 when never written), or null when Redis cannot say. */
export async function investigationVersion(deps: ApiDeps, investigationId: string): Promise<string | null> {
  if (deps.redis.status !== 'ready') return null;
  try {
    return (await deps.redis.get(searchVersionKey(deps.config.QUEUE_PREFIX, investigationId))) ?? '0';
  } catch {
    return null;
  }
}

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
 */
export async function cachedSearch<T>(
  deps: ApiDeps,
  version: string | null,
  request: unknown,
  compute: () => Promise<T>,
): Promise<{ value: T; cache: CacheOutcome }> {
  const key =
    version === null
      ? null
      : searchCacheKey(deps.config.QUEUE_PREFIX, version, sha256(JSON.stringify(request)));
  if (key) {
    try {
      const cached = await deps.redis.get(key);
      if (cached !== null) {
        deps.metrics.cacheRequests.inc({ cache: 'search', result: 'hit' });
        return { value: JSON.parse(cached) as T, cache: 'hit' };
      }
    } catch {
      // fall through: computed below
    }
  }
  deps.metrics.cacheRequests.inc({ cache: 'search', result: 'miss' });
  const value = await compute();
  if (key) {
    deps.redis.set(key, JSON.stringify(value), 'EX', deps.config.SEARCH_CACHE_TTL_SECONDS).catch(() => {});
  }
  return { value, cache: 'miss' };
}
