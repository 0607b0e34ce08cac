import {
  DEFAULT_MAX_MATCHES,
  type EnrichJobPayload,
  EXTRACTOR_VERSION,
  ExtractionBudgetError,
  extractJobPayload,
  followUpJobId,
  MAX_ENRICH_SELECTORS_PER_JOB,
  QUEUES,
  UnreadablePdfError,
  UnsupportedMediaTypeError,
} from '@osint/core';
import { type Database, documents, investigations, type Transaction } from '@osint/db';
import {
  claimJobRow,
  deleteStaleMentionEdges,
  deleteStaleMentions,
  enqueueCommitted,
  fitsSelectorIndex,
  insertJobRowOnce,
  insertMentions,
  insertRelationships,
  linkSelectors,
  recordAudit,
  retryOnConflict,
  selectorKey,
  upsertSelectors,
} from '@osint/writes';
import { type Job, UnrecoverableError } from 'bullmq';
import { eq, sql } from 'drizzle-orm';
import type { ProcessorContext } from '../jobs/context.js';
import { JobCancelledError, JobRun, producerOf, publish } from '../jobs/job-run.js';

export interface ExtractResult {
  [key: string]: unknown;
  documentId: string;
  extractorVersion: string;
  textLength: number;
  mentions: number;
  mentionsInserted: number;
  /** Mentions of an earlier extraction of this document that the current text no longer has. */
  mentionsRemoved: number;
  selectors: number;
  selectorsCreated: number;
  selectorsLinked: number;
  relationshipsCreated: number;
  /** `mentions` edges (made by extraction) to selectors the document no longer mentions. */
  relationshipsRemoved: number;
  allowListed: number;
  skippedTooLong: number;
  truncated: boolean;
  enrichJobIds: string[];
}

/**
 * Marks the document `running` and reads what extraction needs (bytes, media type, the investigation's
 * region and allow-list) in one round trip.
 */
async function startDocument(db: Database, documentId: string) {
  const rows = await db.execute<{
    investigation_id: string;
    media_type: string;
    content: Buffer | null;
    created_by: string;
    default_region: string | null;
    allow_list: unknown;
  }>(sql`
    with d as (
      update ${documents} set extraction_status = 'running', error = null, updated_at = now()
      where id = ${documentId}
      returning investigation_id, media_type, content, created_by
    )
    select d.*, i.default_region, i.allow_list
    from d join ${investigations} i on i.id = d.investigation_id`);
  const row = rows[0];
  if (!row) return undefined;
  return {
    investigationId: row.investigation_id,
    mediaType: row.media_type,
    content: row.content,
    createdBy: row.created_by,
    defaultRegion: row.default_region,
    allowList: row.allow_list,
  };
}

async function setDocumentStatus(
  db: Database,
  documentId: string,
  status: 'failed',
  error: string | null = null,
) {
  await db
    .update(documents)
    .set({ extractionStatus: status, error, updatedAt: sql`now()` })
    .where(eq(documents.id, documentId));
}

/**
 * `extract`: a stored document → its text (plain, visible HTML, PDF text layer), the selectors in it
 * (normalised, allow-listed ones flagged), one mention per occurrence with offsets into the stored text,
 * a `mentions` edge document → selector, and the document's `extracted_text`. Everything the job writes for
 * the document, its own row's success and the follow-up enrichment rows commit in ONE transaction: a crash
 * (SIGKILL included) at any point leaves either all of it or none of it, and a re-run finds everything
 * keyed by natural keys, so it changes nothing twice. A re-extraction (changed text, newer extractor) also
 * removes the mentions, and the extraction-made `mentions` edges, that the current text no longer has.
 *
 * Phases (progress, and a cancellation check between each): reading 5 → extracting 30 → saving 60 → done.
 */
export async function processExtract(job: Job, ctx: ProcessorContext): Promise<unknown> {
  const parsed = extractJobPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.issues[0]?.message}`);
  const { jobId, documentId } = parsed.data;
  const claim = await claimJobRow(ctx.db, jobId, ctx.config.JOB_LEASE_MS);
  if (!claim.claimed) return { skipped: claim.row.status };
  const run = new JobRun(ctx, job, claim.row);
  const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  try {
    return await extract(run, documentId);
  } catch (error) {
    const permanent = error instanceof UnrecoverableError || error instanceof JobCancelledError;
    if (permanent || isLastAttempt) {
      const reason = error instanceof JobCancelledError ? 'extraction cancelled' : (error as Error).message;
      await setDocumentStatus(ctx.db, documentId, 'failed', reason).catch(() => {});
    }
    throw error;
  }
}

async function extract(run: JobRun, documentId: string): Promise<ExtractResult> {
  const { ctx } = run;
  await run.progress(5, 'reading');
  const doc = await startDocument(ctx.db, documentId);
  if (!doc) throw new UnrecoverableError(`document ${documentId} no longer exists`);
  if (!doc.content) throw new UnrecoverableError(`document ${documentId} has no stored content`);

  await run.progress(30, 'extracting');
  // Conversion (HTML, PDF) and extraction run on the pool's threads under their budgets, never here: this
  // thread keeps renewing the job's lock and lease and answering /healthz whatever the document holds.
  let extraction: Awaited<ReturnType<typeof ctx.extraction.extractDocument>>;
  try {
    extraction = await ctx.extraction.extractDocument(doc.content, doc.mediaType, {
      defaultRegion: doc.defaultRegion,
      allowList: Array.isArray(doc.allowList) ? (doc.allowList as string[]) : [],
    });
  } catch (error) {
    if (error instanceof UnsupportedMediaTypeError || error instanceof UnreadablePdfError) {
      throw new UnrecoverableError(error.message);
    }
    // Over budget is a property of the document: the same bytes would stop at the same limit on any worker.
    if (error instanceof ExtractionBudgetError)
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    throw error;
  }
  const { text, facts, selectors: found } = extraction;
  const kept = found.filter((s) => fitsSelectorIndex(s.value));
  await run.progress(60, 'saving');

  const result = await retryOnConflict(() =>
    ctx.db.transaction(async (tx) => {
      await run.lockForCommit(tx);
      const ids = await upsertSelectors(tx, kept);
      const idOf = (type: string, value: string) => ids.get(selectorKey(type, value)) as string;
      const selectorIds = [...new Set(kept.map((s) => idOf(s.type, s.value)))];
      const mentionRows = kept.map((s) => ({
        selectorId: idOf(s.type, s.value),
        start: s.start,
        end: s.end,
        raw: s.raw,
      }));
      // A re-extraction leaves exactly the mentions of the current text (see deleteStaleMentions).
      const mentionsRemoved = await deleteStaleMentions(tx, documentId, EXTRACTOR_VERSION, mentionRows);
      // Links and mentions are different tables: both go down this transaction's connection back to back
      // (postgres.js pipelines them), so PostgreSQL inserts the mentions while this thread reads the links.
      const [linked, mentionsInserted] = await Promise.all([
        linkSelectors(tx, {
          investigationId: doc.investigationId,
          source: 'extraction',
          jobId: run.id,
          addedBy: doc.createdBy,
          items: kept.map((s) => ({
            selectorId: idOf(s.type, s.value),
            displayValue: s.displayValue,
            attributes: s.attributes,
            allowListed: s.allowListed,
          })),
        }),
        insertMentions(tx, documentId, EXTRACTOR_VERSION, mentionRows),
      ]);
      const relationshipsCreated = (
        await insertRelationships(tx, {
          investigationId: doc.investigationId,
          jobId: run.id,
          // The upload was a person's request carried out by this job: both are recorded (data model).
          userId: doc.createdBy,
          items: selectorIds.map((id) => ({
            sourceKind: 'document',
            sourceId: documentId,
            targetKind: 'selector',
            targetId: id,
            type: 'mentions',
            confidence: 100,
            evidenceDocumentId: documentId,
          })),
        })
      ).length;
      const relationshipsRemoved =
        mentionsRemoved > 0 ? await deleteStaleMentionEdges(tx, doc.investigationId, documentId) : 0;
      await tx
        .update(documents)
        .set({ extractedText: text, extractionStatus: 'succeeded', error: null, updatedAt: sql`now()` })
        .where(eq(documents.id, documentId));

      const followUps = ctx.config.ENRICH_AFTER_EXTRACT
        ? await insertFollowUpEnrichRows(tx, run, doc.investigationId, documentId, selectorIds)
        : [];
      const enrichJobIds = followUps.map((f) => f.jobId);
      const summary: ExtractResult = {
        documentId,
        extractorVersion: EXTRACTOR_VERSION,
        textLength: text.length,
        ...facts,
        mentions: kept.length,
        mentionsInserted,
        mentionsRemoved,
        selectors: selectorIds.length,
        // New to this investigation: whether a value is new to the platform is another investigation's
        // business (ADR 0020), so no count here may depend on it.
        selectorsCreated: linked,
        selectorsLinked: linked,
        relationshipsCreated,
        relationshipsRemoved,
        allowListed: kept.filter((s) => s.allowListed).length,
        skippedTooLong: found.length - kept.length,
        truncated: found.length >= DEFAULT_MAX_MATCHES,
        enrichJobIds,
      };
      await recordAudit(tx, run.actor, {
        action: 'document.extract',
        objectType: 'document',
        objectId: documentId,
        investigationId: doc.investigationId,
        after: { ...summary, enrichJobIds: enrichJobIds.length },
      });
      await run.succeed(tx, summary);
      return { summary, followUps };
    }),
  );
  await publish(ctx, run.row, 'done');
  await enqueueFollowUps(ctx, result.followUps);
  return result.summary;
}

/**
 * Outbox for the follow-up enrichment: the rows are written in the extraction's transaction (ids derived
 * from this job, so a re-run cannot create them twice) and enqueued after the commit. If the worker dies
 * in between, or Redis refuses, the sweeper finds `queued` rows without a queue entry and enqueues them.
 */
async function insertFollowUpEnrichRows(
  tx: Transaction,
  run: JobRun,
  investigationId: string,
  documentId: string,
  selectorIds: readonly string[],
): Promise<EnrichJobPayload[]> {
  const payloads: EnrichJobPayload[] = [];
  for (let i = 0; i * MAX_ENRICH_SELECTORS_PER_JOB < selectorIds.length; i++) {
    const id = followUpJobId(run.id, QUEUES.enrich, i);
    const batch = selectorIds.slice(i * MAX_ENRICH_SELECTORS_PER_JOB, (i + 1) * MAX_ENRICH_SELECTORS_PER_JOB);
    const payload: EnrichJobPayload = {
      jobId: id,
      investigationId,
      selectorIds: batch,
      scope: 'offline',
      refresh: false,
    };
    await insertJobRowOnce(tx, {
      id,
      kind: QUEUES.enrich,
      investigationId,
      targetType: 'document',
      targetId: documentId,
      requestId: run.row.requestId,
      payload: { ...payload },
    });
    payloads.push(payload);
  }
  return payloads;
}

/** Enqueues the committed follow-up rows; a failure only delays them until the sweeper's next pass. */
async function enqueueFollowUps(ctx: ProcessorContext, payloads: readonly EnrichJobPayload[]): Promise<void> {
  const queue = ctx.queues[QUEUES.enrich];
  if (!queue) return;
  for (const payload of payloads) await enqueueCommitted(producerOf(ctx), queue, payload.jobId, payload);
}
