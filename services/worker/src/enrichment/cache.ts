import { type Database, enrichmentResults } from '@osint/db';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { EnrichmentResult } from './provider.js';

export interface CachedAnswer {
  result: EnrichmentResult;
  fetchedAt: string;
  expiresAt: string;
  /** Where the answer came from: the Redis mirror or the durable PostgreSQL row. */
  source: 'redis' | 'postgres';
}

/**
 * Provider answers kept for the provider's TTL: PostgreSQL (`enrichment_results`) is the durable copy,
 * Redis (`<prefix>:enrichment:<provider>:<investigationId>:<selectorId>`, expiring with the answer) the fast
 * one. Redis is read through the worker's fail-fast connection and is optional: when it is down,
 * PostgreSQL answers. Answers belong to the investigation that asked: a hit (or its `fetchedAt`) served
 * to another investigation would tell it that someone else looked at the same value (ADR 0020).
 */
export class EnrichmentCache {
  constructor(
    private readonly db: Database,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(provider: string, investigationId: string, selectorId: string): string {
    return `${this.prefix}:enrichment:${provider}:${investigationId}:${selectorId}`;
  }

  async get(provider: string, investigationId: string, selectorId: string): Promise<CachedAnswer | null> {
    const key = this.key(provider, investigationId, selectorId);
    const fromRedis = await this.redisGet(key);
    if (fromRedis) return fromRedis;
    const [row] = await this.db
      .select()
      .from(enrichmentResults)
      .where(
        and(
          eq(enrichmentResults.investigationId, investigationId),
          eq(enrichmentResults.selectorId, selectorId),
          eq(enrichmentResults.provider, provider),
          gt(enrichmentResults.expiresAt, sql`now()`),
        ),
      )
      .limit(1);
    if (!row) return null;
    const answer: CachedAnswer = {
      result: row.result as EnrichmentResult,
      fetchedAt: row.fetchedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      source: 'postgres',
    };
    await this.redisSet(key, answer);
    return answer;
  }

  async put(
    provider: string,
    investigationId: string,
    selectorId: string,
    result: EnrichmentResult,
    ttlSeconds: number,
  ): Promise<void> {
    const [row] = await this.db
      .insert(enrichmentResults)
      .values({
        investigationId,
        selectorId,
        provider,
        result,
        expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})`,
      })
      .onConflictDoUpdate({
        target: [enrichmentResults.investigationId, enrichmentResults.selectorId, enrichmentResults.provider],
        set: { result, fetchedAt: sql`now()`, expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` },
      })
      .returning();
    if (row) {
      await this.redisSet(this.key(provider, investigationId, selectorId), {
        result,
        fetchedAt: row.fetchedAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
        source: 'redis',
      });
    }
  }

  private async redisGet(key: string): Promise<CachedAnswer | null> {
    if (this.redis.status !== 'ready') return null;
    try {
      const raw = await this.redis.get(key);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Omit<CachedAnswer, 'source'>;
      if (Date.parse(parsed.expiresAt) <= Date.now()) return null;
      return { ...parsed, source: 'redis' };
    } catch {
      return null;
    }
  }

  private async redisSet(key: string, answer: CachedAnswer): Promise<void> {
    const ttlMs = Date.parse(answer.expiresAt) - Date.now();
    if (ttlMs <= 0 || this.redis.status !== 'ready') return;
    const { source: _source, ...stored } = answer;
    try {
      await this.redis.set(key, JSON.stringify(stored), 'PX', ttlMs);
    } catch {
      // The PostgreSQL row is the durable copy; a missed mirror costs one query next time.
    }
  }
}
