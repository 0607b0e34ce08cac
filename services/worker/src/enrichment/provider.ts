import type { RelationshipType, SelectorType } from '@osint/contracts';
import type { Logger } from '@osint/core';

/** Relationship types an enrichment may assert (a subset of the `relationship_type` enum). */
export type EnrichmentRelationship = Extract<RelationshipType, 'belongs-to' | 'resolves-to' | 'related-to'>;

/** What a provider is asked about: a selector as stored (normalised value and its attributes). */
export interface EnrichmentInput {
  type: SelectorType;
  value: string;
  attributes: Record<string, unknown>;
}

/**
 * A selector a provider learnt about, and how it relates to the input. `value` is raw: the job normalises
 * it with core's `normaliseSelector` (and drops it when that refuses), so providers never write match keys.
 * `direction: 'out'` means input → related (`sub.evil.example belongs-to evil.example`).
 */
export interface RelatedSelector {
  type: SelectorType;
  value: string;
  relationship: EnrichmentRelationship;
  direction: 'out' | 'in';
  /** 0..100, stored on the relationship. */
  confidence: number;
}

/** A provider's answer; JSON-serialisable, because it is cached as is. */
export interface EnrichmentResult {
  /** Stored on the input selector under `attributes.enrichment.<provider name>`. */
  attributes: Record<string, unknown>;
  related: RelatedSelector[];
}

export interface EnrichmentContext {
  /** Aborted when the provider's `timeoutMs` is over; network providers must stop then. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * One source of facts about selectors. Everything the job runner needs to schedule it safely is declared:
 * which types it takes, how often it may be called across all workers, how long one call may take, how long
 * its answer stays valid, and whether it talks to the network (those run only on request, and only where
 * `ENRICH_NETWORK=true`).
 */
export interface EnrichmentProvider {
  /** Stable name: cache key, attribute key and what `providers` in a job payload refers to. */
  name: string;
  types: readonly SelectorType[];
  /** At most `max` calls per `windowMs`, counted in Redis across every worker; null = unlimited. */
  rateLimit: { max: number; windowMs: number } | null;
  timeoutMs: number;
  /** How long an answer is reused; 0 = never cached (pure functions of the value, cheaper to recompute). */
  ttlSeconds: number;
  needsNetwork: boolean;
  enrich(selector: EnrichmentInput, ctx: EnrichmentContext): Promise<EnrichmentResult>;
}

/** A provider failure that retrying cannot fix (bad input for this provider): recorded, never retried. */
export class PermanentEnrichmentError extends Error {
  override readonly name = 'PermanentEnrichmentError';
}
