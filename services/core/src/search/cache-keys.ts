import type { Redis } from 'ioredis';

/**
 * Search-cache key scheme (docs/search-and-export.md, ADR 0012). Every write to an investigation bumps
 * its version counter after the write commits; cached results live under keys that embed the version, so
 * a bump makes every older entry unreachable at once (they expire by TTL; nothing is ever deleted by
 * pattern). `prefix` is QUEUE_PREFIX (`osint` outside tests).
 *
 * - `<prefix>:search:version:<investigationId>`: the counter (INCR; a missing key reads as 0);
 * - `<prefix>:search:v<version>:<sha256 of the request>`: a cached answer, where the request hash covers
 *   the investigation id and every parameter. Cross-investigation searches use a digest of the caller's
 *   (investigation, role, version) list as the version part, so any member investigation's write, or a
 *   membership change, moves them to a new key.
 */
export function searchVersionKey(prefix: string, investigationId: string): string {
  return `${prefix}:search:version:${investigationId}`;
}

export function searchCacheKey(prefix: string, version: string | number, requestHash: string): string {
  const [before, after] = searchCacheKeyAround(prefix, requestHash);
  return `${before}${version}${after}`;
}

/** The parts of {@link searchCacheKey} before and after the version, for a script that reads the version itself. */
export function searchCacheKeyAround(prefix: string, requestHash: string): [string, string] {
  return [`${prefix}:search:v`, `:${requestHash}`];
}

/**
 * Bumps an investigation's search version. Call it after the transaction that changed the investigation
 * has committed (bumping before would let a reader cache pre-commit results under the new version).
 * Never throws: a lost bump leaves stale entries for at most the cache TTL.
 */
export async function bumpInvestigationVersion(
  redis: Redis,
  prefix: string,
  investigationId: string,
): Promise<boolean> {
  try {
    await redis.incr(searchVersionKey(prefix, investigationId));
    return true;
  } catch {
    return false;
  }
}
