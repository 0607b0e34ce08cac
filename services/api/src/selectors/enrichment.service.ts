import { randomUUID } from 'node:crypto';
import { type EnrichJobPayload, QUEUES } from '@osint/core';
import { type Actor, enqueueCommitted, insertJobRow, recordAudit } from '@osint/writes';
import type { ApiDeps } from '../deps.js';
import { transactionAs } from '../investigations/access.js';
import type { JobRow } from '../jobs/job.service.js';
import { requireSelectorLink } from './selector.service.js';

/**
 * "Enrich now" for one selector of the investigation (editors): records an `enrich` job with core's payload
 * (scope, providers, refresh, the requesting user) and its audit event in one transaction, then enqueues it.
 */
export async function requestEnrichment(
  deps: ApiDeps,
  actor: Actor,
  investigationId: string,
  selectorId: string,
  options: { scope: 'offline' | 'all'; providers?: string[] | undefined; refresh: boolean },
): Promise<JobRow> {
  const job = await transactionAs(deps.db, actor, investigationId, 'editor', async (tx) => {
    await requireSelectorLink(tx, investigationId, selectorId);
    const jobId = randomUUID();
    const payload: EnrichJobPayload = {
      jobId,
      investigationId,
      selectorIds: [selectorId],
      scope: options.scope,
      refresh: options.refresh,
      requestedBy: actor.userId,
      ...(options.providers ? { providers: options.providers } : {}),
    };
    const job = await insertJobRow(tx, {
      id: jobId,
      kind: QUEUES.enrich,
      investigationId,
      targetType: 'selector',
      targetId: selectorId,
      payload,
      requestId: actor.requestId,
    });
    await recordAudit(tx, actor, {
      action: 'selector.enrich_request',
      objectType: 'selector',
      objectId: selectorId,
      investigationId,
      after: { jobId, scope: options.scope, providers: options.providers ?? null, refresh: options.refresh },
    });
    return job;
  });
  await enqueueCommitted(deps, deps.queues.enrich, job.id, job.payload);
  return job;
}
