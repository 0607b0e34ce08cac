import { constants } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { EXPORT_MEDIA_TYPES, exportFilePath, exportJobPayload } from '@osint/core';
import { claimJobRow, recordAudit } from '@osint/writes';
import { type Job, UnrecoverableError } from 'bullmq';
import { countRows, readInvestigation } from '../export/export-reader.js';
import { FileSink } from '../export/file-sink.js';
import { type ExportCounts, writeCsv, writeJson, writeStix } from '../export/writers.js';
import type { ProcessorContext } from '../jobs/context.js';
import { JobRun, publish } from '../jobs/job-run.js';

/** Progress is written at most this often (rows), so a 100k export makes ~100 row updates, not 100k. */
const PROGRESS_EVERY_ROWS = 1_000;

const WRITERS = { json: writeJson, csv: writeCsv, stix: writeStix } as const;

/**
 * `export`: one investigation → one file in EXPORT_DIR (`<jobId>.json|csv|stix.json`), streamed from a
 * single REPEATABLE READ, read-only snapshot in keyset batches, so memory stays flat whatever the size
 * and the file is consistent. It is written as `<file>.partial` and renamed when complete, so a download
 * never sees half a file; a failed or cancelled attempt deletes its partial file. Idempotent: a retry
 * rewrites the same path. The outcome (bytes, SHA-256, counts) and an `export.create` audit event commit
 * with the row's success.
 */
export async function processExport(job: Job, ctx: ProcessorContext): Promise<unknown> {
  const parsed = exportJobPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.issues[0]?.message}`);
  const payload = parsed.data;
  const claim = await claimJobRow(ctx.db, payload.jobId, ctx.config.JOB_LEASE_MS);
  if (!claim.claimed) return { skipped: claim.row.status };
  const run = new JobRun(ctx, job, claim.row);
  const dir = path.resolve(ctx.config.EXPORT_DIR);
  try {
    await mkdir(dir, { recursive: true, mode: 0o750 });
    await access(dir, constants.W_OK);
  } catch (error) {
    // A read-only root file system without a volume at EXPORT_DIR: retrying cannot help.
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnrecoverableError(
      `EXPORT_DIR ${dir} is not writable (${code ?? (error as Error).message}): mount a volume shared with the API there (docs/search-and-export.md)`,
    );
  }
  const finalPath = exportFilePath(dir, run.id, payload.format);
  const partial = `${finalPath}.partial`;
  const sink = new FileSink(partial);
  let done = false;
  try {
    await run.progress(1, 'reading');
    const outcome = await ctx.db.transaction(
      async (tx) => {
        const investigation = await readInvestigation(tx, payload.investigationId);
        if (!investigation) throw new UnrecoverableError('the investigation no longer exists');
        const planned = await countRows(tx, payload.investigationId);
        const expected = Math.max(
          1,
          planned.selectors + planned.documents + planned.entities + planned.relationships + planned.notes,
        );
        let reported = 0;
        const counts: ExportCounts = await WRITERS[payload.format]({
          tx,
          sink,
          investigation,
          exportedAt: new Date().toISOString(),
          onProgress: async (rows) => {
            if (rows - reported < PROGRESS_EVERY_ROWS) return;
            reported = rows;
            // Also the cancellation check: throws JobCancelledError when the row was cancelled.
            await run.progress(Math.min(95, 1 + Math.floor((94 * rows) / expected)), 'writing');
          },
        });
        return { investigation, counts };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const file = await sink.close();
    await run.throwIfCancelled();
    await rename(partial, finalPath);
    const result = {
      format: payload.format,
      investigationId: payload.investigationId,
      file: path.basename(finalPath),
      mediaType: EXPORT_MEDIA_TYPES[payload.format],
      bytes: file.bytes,
      sha256: file.sha256,
      counts: outcome.counts,
      tlp: outcome.investigation.tlp,
      downloadUrl: `/api/v1/exports/${run.id}/download`,
    };
    await ctx.db.transaction(async (tx) => {
      await run.lockForCommit(tx);
      await recordAudit(tx, run.actor, {
        action: 'export.create',
        objectType: 'investigation',
        objectId: payload.investigationId,
        investigationId: payload.investigationId,
        after: { ...result, requestedBy: payload.requestedBy },
      });
      await run.succeed(tx, result);
    });
    done = true;
    await publish(ctx, run.row, 'done');
    return result;
  } finally {
    if (!done) {
      sink.destroy();
      await rm(partial, { force: true });
      // A cancel that lands between the rename and the commit leaves no file behind either.
      if (run.row.status !== 'succeeded') await rm(finalPath, { force: true }).catch(() => {});
    }
  }
}
