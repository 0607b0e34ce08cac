import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  EXPORT_MEDIA_TYPES,
  type ExportFormat,
  type ExportJobPayload,
  exportDownloadName,
  exportFilePath,
  exportJobPayload,
  QUEUES,
} from '@osint/core';
import { investigations, jobs, type Transaction } from '@osint/db';
import { type Actor, enqueueCommitted, insertJobRow, recordAudit } from '@osint/writes';
import { and, count, eq, inArray, or, sql } from 'drizzle-orm';
import type { ApiDeps } from '../deps.js';
import { requireRole, transactionAs } from '../investigations/access.js';
import type { JobRow } from '../jobs/job.service.js';
import { AppError, NotFoundError } from '../shared/errors.js';

export class TooManyExportsError extends AppError {
  constructor(max: number) {
    super(
      409,
      'too_many_exports',
      `The investigation already holds ${max} export files (EXPORT_MAX_FILES_PER_INVESTIGATION); they are deleted when they expire.`,
      { limit: max, setting: 'EXPORT_MAX_FILES_PER_INVESTIGATION' },
    );
  }
}

/**
 * Export files on the shared volume are bounded per investigation: the ones being written (queued, running)
 * and the finished ones not yet expired count. The investigation's row is locked first so two concurrent
 * requests cannot both take the last place.
 */
async function requireExportRoom(tx: Transaction, investigationId: string, max: number): Promise<void> {
  await tx.execute(sql`select 1 from ${investigations} where id = ${investigationId} for update`);
  const [row] = await tx
    .select({ n: count() })
    .from(jobs)
    .where(
      and(
        eq(jobs.investigationId, investigationId),
        eq(jobs.kind, QUEUES.export),
        or(
          inArray(jobs.status, ['queued', 'running']),
          and(
            eq(jobs.status, 'succeeded'),
            sql`coalesce((${jobs.result} ->> 'expired')::boolean, false) = false`,
          ),
        ),
      ),
    );
  if ((row?.n ?? 0) >= max) throw new TooManyExportsError(max);
}

/**
 * Records an `export` job for the investigation and its audit event (members: exporting is reading), then
 * enqueues it after commit; with the queue down the job waits in PostgreSQL for the sweeper (ADR 0018).
 */
export async function requestExport(
  deps: ApiDeps,
  actor: Actor,
  investigationId: string,
  format: ExportFormat,
): Promise<JobRow> {
  const job = await transactionAs(deps.db, actor, investigationId, 'viewer', async (tx) => {
    await requireExportRoom(tx, investigationId, deps.config.EXPORT_MAX_FILES_PER_INVESTIGATION);
    const jobId = randomUUID();
    const payload: ExportJobPayload = { jobId, investigationId, format, requestedBy: actor.userId };
    const job = await insertJobRow(tx, {
      id: jobId,
      kind: QUEUES.export,
      investigationId,
      targetType: 'investigation',
      targetId: investigationId,
      payload,
      requestId: actor.requestId,
    });
    await recordAudit(tx, actor, {
      action: 'export.request',
      objectType: 'investigation',
      objectId: investigationId,
      investigationId,
      after: { jobId, format },
    });
    return job;
  });
  await enqueueCommitted(deps, deps.queues.export, job.id, job.payload);
  return job;
}

export class ExportNotReadyError extends AppError {
  constructor(status: string) {
    super(409, 'export_not_ready', `The export is not ready (job status: ${status}).`, { jobStatus: status });
  }
}

export class ExportGoneError extends AppError {
  constructor() {
    super(410, 'export_gone', 'The export file is no longer available; request a new export.');
  }
}

/** What the router needs to stream a finished export: the file on disk and the response headers. */
export interface ExportDownload {
  file: string;
  headers: Record<string, string>;
}

/**
 * Prepares the download of a finished export (members of its investigation only; administrators get no
 * implicit access to content) and records `export.download` first: the trail says who took a copy.
 * The file's path derives from the job id alone, never from anything the client sent. The router streams
 * the file (services know nothing of Express, docs/architecture.md).
 */
export async function prepareExportDownload(
  deps: ApiDeps,
  actor: Actor,
  jobId: string,
): Promise<ExportDownload> {
  const [job] = await deps.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.kind, QUEUES.export)))
    .limit(1);
  if (!job?.investigationId) throw new NotFoundError('export');
  try {
    await requireRole(deps.db, actor.userId, job.investigationId, 'viewer');
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError('export');
    throw error;
  }
  if (job.status !== 'succeeded') throw new ExportNotReadyError(job.status);
  const payload = exportJobPayload.safeParse(job.payload);
  if (!payload.success) throw new ExportGoneError();
  const format = payload.data.format;
  const file = exportFilePath(path.resolve(deps.config.EXPORT_DIR), job.id, format);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new ExportGoneError();
  const [inv] = await deps.db
    .select({ title: investigations.title })
    .from(investigations)
    .where(eq(investigations.id, job.investigationId))
    .limit(1);
  const result = (job.result ?? {}) as { sha256?: string };
  await deps.db.transaction((tx) =>
    recordAudit(tx, actor, {
      action: 'export.download',
      objectType: 'job',
      objectId: job.id,
      investigationId: job.investigationId,
      after: { format, bytes: info.size, sha256: result.sha256 ?? null },
    }),
  );
  const name = exportDownloadName(inv?.title ?? 'investigation', format, job.finishedAt ?? new Date());
  return {
    file,
    headers: {
      'Content-Type': EXPORT_MEDIA_TYPES[format],
      'Content-Length': String(info.size),
      'Content-Disposition': `attachment; filename="${name}"`,
      'X-Content-Type-Options': 'nosniff',
      ...(result.sha256 ? { ETag: `"${result.sha256}"` } : {}),
    },
  };
}
