import type { SelectorType } from '@osint/contracts';
import { enrichJobPayload, type NormalisedSelector, tryNormaliseSelector } from '@osint/core';
import { type Database, investigationSelectors, selectors } from '@osint/db';
import {
  claimJobRow,
  type EdgeInput,
  fitsSelectorIndex,
  insertRelationships,
  linkSelectors,
  mergeLinkEnrichment,
  recordAudit,
  retryOnConflict,
  selectorKey,
  upsertSelectors,
} from '@osint/writes';
import { type Job, UnrecoverableError } from 'bullmq';
import { and, eq, inArray } from 'drizzle-orm';
import type { EnrichmentProvider, EnrichmentResult } from '../enrichment/index.js';
import { PermanentEnrichmentError } from '../enrichment/index.js';
import type { ProcessorContext } from '../jobs/context.js';
import { JobRun, publish } from '../jobs/job-run.js';

/**
 * How far enrichment follows what it learns within one job: a URL's host (depth 1) gets its registrable
 * domain (depth 2), a resolved address gets its range, and it stops there. Derived selectors only ever
 * get offline providers: network look-ups happen for what an analyst asked about, never transitively.
 */
const MAX_DEPTH = 2;
/** Bound on selectors one job may derive, so a hostile DNS zone cannot make a job unbounded. */
const MAX_DERIVED = 5_000;

interface WorkItem {
  key: string;
  type: SelectorType;
  value: string;
  attributes: Record<string, unknown>;
  depth: number;
  /** Set for the selectors the job was asked about (they exist); derived ones get ids when saved. */
  id?: string;
}

interface ProviderOutcome {
  provider: string;
  cached: boolean;
}

async function loadSelectors(db: Database, investigationId: string, ids: readonly string[]) {
  return db
    .select({
      id: selectors.id,
      type: selectors.type,
      value: selectors.value,
      attributes: investigationSelectors.attributes,
    })
    .from(selectors)
    .innerJoin(
      investigationSelectors,
      and(
        eq(investigationSelectors.selectorId, selectors.id),
        eq(investigationSelectors.investigationId, investigationId),
      ),
    )
    .where(inArray(selectors.id, [...ids]));
}

/** Which providers this job may use: scope, worker permission, explicit names. */
export function selectProviders(
  all: readonly EnrichmentProvider[],
  opts: { scope: 'offline' | 'all'; networkAllowed: boolean; names?: readonly string[] },
): EnrichmentProvider[] {
  return all.filter(
    (p) =>
      (!p.needsNetwork || (opts.scope === 'all' && opts.networkAllowed)) &&
      (opts.names === undefined || opts.names.includes(p.name)),
  );
}

async function callProvider(
  ctx: ProcessorContext,
  provider: EnrichmentProvider,
  item: WorkItem,
): Promise<EnrichmentResult> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`${provider.name} timed out after ${provider.timeoutMs} ms`)),
    provider.timeoutMs,
  );
  try {
    if (provider.rateLimit) {
      await ctx.enrichment.rateLimiter.acquire(provider.name, provider.rateLimit, controller.signal);
    }
    const input = { type: item.type, value: item.value, attributes: item.attributes };
    const work = provider.enrich(input, { signal: controller.signal, logger: ctx.logger });
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    return await Promise.race([work, aborted]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `enrich`: selectors of one investigation → facts (stored under `attributes.enrichment.<provider>` of that
 * investigation's links, never on the shared selector: ADR 0020),
 * derived selectors (linked with source `enrichment`) and relationships (`belongs-to`, `resolves-to`).
 * Provider answers with a TTL are cached per investigation (PostgreSQL + Redis) and reused within it unless
 * `refresh`. All
 * writes for the job, its audit event and its success commit in one transaction.
 *
 * A provider failing for one selector does not fail the job: the error is listed in the result. If every
 * call of a network provider failed (DNS unreachable), the job throws so BullMQ retries it with backoff.
 */
export async function processEnrich(job: Job, ctx: ProcessorContext): Promise<unknown> {
  const parsed = enrichJobPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.issues[0]?.message}`);
  const payload = parsed.data;
  const claim = await claimJobRow(ctx.db, payload.jobId, ctx.config.JOB_LEASE_MS);
  if (!claim.claimed) return { skipped: claim.row.status };
  const run = new JobRun(ctx, job, claim.row);
  const providers = selectProviders(ctx.enrichment.providers, {
    scope: payload.scope,
    networkAllowed: ctx.config.ENRICH_NETWORK,
    names: payload.providers,
  });
  await run.progress(5, 'loading');
  const initial = await loadSelectors(ctx.db, payload.investigationId, payload.selectorIds);

  const work: WorkItem[] = initial.map((s) => ({
    key: selectorKey(s.type, s.value),
    type: s.type,
    value: s.value,
    attributes: (s.attributes ?? {}) as Record<string, unknown>,
    depth: 0,
    id: s.id,
  }));
  const seen = new Set(work.map((w) => w.key));
  const derived = new Map<string, NormalisedSelector>();
  const facts = new Map<string, Record<string, unknown>>();
  const edges: Array<{ from: string; to: string; type: EdgeInput['type']; confidence: number }> = [];
  const errors: Array<{ selector: string; provider: string; error: string }> = [];
  const calls: ProviderOutcome[] = [];
  let networkCalls = 0;
  let networkFailures = 0;

  for (let i = 0; i < work.length; i++) {
    const item = work[i] as WorkItem;
    if (item.depth === 0 && i % 10 === 0) {
      await run.progress(5 + Math.floor((75 * i) / Math.max(1, initial.length)), 'enriching');
    }
    for (const provider of providers) {
      if (!provider.types.includes(item.type) || (item.depth > 0 && provider.needsNetwork)) continue;
      let result: EnrichmentResult;
      let cached = false;
      try {
        const hit =
          provider.ttlSeconds > 0 && item.id && !payload.refresh
            ? await ctx.enrichment.cache.get(provider.name, payload.investigationId, item.id)
            : null;
        if (hit) {
          result = hit.result;
          cached = true;
        } else {
          if (provider.needsNetwork) networkCalls++;
          result = await callProvider(ctx, provider, item);
          if (provider.ttlSeconds > 0 && item.id) {
            await ctx.enrichment.cache.put(
              provider.name,
              payload.investigationId,
              item.id,
              result,
              provider.ttlSeconds,
            );
          }
        }
      } catch (error) {
        if (provider.needsNetwork && !(error instanceof PermanentEnrichmentError)) networkFailures++;
        errors.push({ selector: item.value, provider: provider.name, error: (error as Error).message });
        continue;
      }
      calls.push({ provider: provider.name, cached });
      facts.set(item.key, { ...facts.get(item.key), [provider.name]: result.attributes });
      for (const related of result.related) {
        const normalised = tryNormaliseSelector(related.type, related.value);
        if (!normalised.ok || !fitsSelectorIndex(normalised.selector.value)) continue;
        const target = normalised.selector;
        const key = selectorKey(target.type, target.value);
        if (key === item.key) continue;
        const [from, to] = related.direction === 'out' ? [item.key, key] : [key, item.key];
        edges.push({ from, to, type: related.relationship, confidence: related.confidence });
        if (!seen.has(key) && derived.size < MAX_DERIVED) {
          seen.add(key);
          derived.set(key, target);
          if (item.depth + 1 <= MAX_DEPTH) {
            work.push({
              key,
              type: target.type,
              value: target.value,
              attributes: target.attributes,
              depth: item.depth + 1,
            });
          }
        }
      }
    }
  }
  if (networkCalls > 0 && networkFailures === networkCalls && calls.length === 0) {
    throw new Error(`every network look-up failed: ${errors[0]?.error ?? 'unknown error'}`);
  }
  await run.throwIfCancelled();
  await run.progress(85, 'saving');

  const result = await retryOnConflict(() =>
    ctx.db.transaction(async (tx) => {
      await run.lockForCommit(tx);
      const derivedIds = await upsertSelectors(tx, [...derived.values()]);
      const ids = new Map<string, string>(derivedIds);
      for (const item of work) if (item.id) ids.set(item.key, item.id);
      const linked = await linkSelectors(tx, {
        investigationId: payload.investigationId,
        source: 'enrichment',
        jobId: run.id,
        addedBy: payload.requestedBy ?? null,
        items: [...derived.entries()].flatMap(([key, d]) => {
          const selectorId = derivedIds.get(key);
          return selectorId
            ? [{ selectorId, displayValue: d.displayValue, attributes: d.attributes, allowListed: false }]
            : [];
        }),
      });
      // Facts go on this investigation's links only (ADR 0020).
      const patches = [...facts.entries()]
        .map(([key, patch]) => ({ id: ids.get(key), patch }))
        .filter((p): p is { id: string; patch: Record<string, unknown> } => p.id !== undefined);
      const attributesUpdated = await mergeLinkEnrichment(tx, payload.investigationId, patches);
      const relationshipsCreated = (
        await insertRelationships(tx, {
          investigationId: payload.investigationId,
          jobId: run.id,
          userId: payload.requestedBy ?? null,
          items: edges.flatMap((e) => {
            const sourceId = ids.get(e.from);
            const targetId = ids.get(e.to);
            if (!sourceId || !targetId) return [];
            return [
              {
                sourceKind: 'selector' as const,
                sourceId,
                targetKind: 'selector' as const,
                targetId,
                type: e.type,
                confidence: e.confidence,
                evidenceDocumentId: null,
              },
            ];
          }),
        })
      ).length;
      const summary = {
        investigationId: payload.investigationId,
        requested: payload.selectorIds.length,
        enriched: initial.length,
        missing: payload.selectorIds.length - initial.length,
        providers: providers.map((p) => p.name),
        calls: calls.length,
        cachedCalls: calls.filter((c) => c.cached).length,
        selectorsDerived: derived.size,
        selectorsCreated: linked,
        selectorsLinked: linked,
        attributesUpdated,
        relationshipsCreated,
        errors: errors.slice(0, 50),
        errorCount: errors.length,
      };
      await recordAudit(tx, run.actor, {
        action: 'selectors.enrich',
        objectType: 'job',
        objectId: run.id,
        investigationId: payload.investigationId,
        after: { ...summary, selectorIds: payload.selectorIds.slice(0, 100) },
      });
      await run.succeed(tx, summary);
      return summary;
    }),
  );
  await publish(ctx, run.row, 'done');
  return result;
}
