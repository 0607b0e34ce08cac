import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { EXPORT_FORMATS, type ExportFormat, exportFilePath, QUEUES } from '@osint/core';
import { type Database, jobs } from '@osint/db';
import { markExportExpired, recordAudit } from '@osint/writes';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { SweeperDeps } from './sweeper.js';

/** Rows and files looked at per pass, so one pass stays short under a large backlog. */
const BATCH = 200;

/**
 * How often the interval sweep also enforces export retention. Retention is counted in hours, and its query
 * walks succeeded jobs (no index on kind), so every sweep (30 s) would be waste; an explicit `sweep()`
 * always includes it.
 */
export const RETENTION_EVERY_MS = 10 * 60_000;

/**
 * Export retention: a succeeded export older than EXPORT_RETENTION_HOURS (by `finished_at`) loses its file,
 * and its row's `result` gains `expired: true` and `expiredAt`, with one `export.expire` audit event (actor
 * `system`) in the same transaction; the rest of the result (size, SHA-256, counts) stays as the record of
 * what was exported, and the API answers a download with 410 `export_gone`. The file goes first: a crash
 * in between leaves a row the next sweep finds again (deleting a missing file is a no-op), never a row that
 * says expired beside a file still on disk. The update is conditional on the row not being expired yet, so
 * concurrent sweepers write one audit event. Export files no row accounts for (see removeOrphanFiles) go
 * after the same retention. Runs whether Redis is up or not.
 */
export async function expireExports(deps: Pick<SweeperDeps, 'db' | 'config' | 'logger'>): Promise<number> {
  const { db, config } = deps;
  const hours = config.EXPORT_RETENTION_HOURS;
  if (hours <= 0) return 0;
  const dir = path.resolve(config.EXPORT_DIR);
  const due = await db
    .select({
      id: jobs.id,
      investigationId: jobs.investigationId,
      result: jobs.result,
      payload: jobs.payload,
    })
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, QUEUES.export),
        eq(jobs.status, 'succeeded'),
        lt(jobs.finishedAt, sql`now() - (${hours} * interval '1 hour')`),
        sql`coalesce((${jobs.result} ->> 'expired')::boolean, false) = false`,
      ),
    )
    .orderBy(asc(jobs.finishedAt))
    .limit(BATCH);
  let expired = 0;
  for (const row of due) {
    const format = exportFormatOf(row.result) ?? exportFormatOf(row.payload);
    const file = format ? exportFilePath(dir, row.id, format) : null;
    if (file) await rm(file, { force: true });
    const marked = await db.transaction(async (tx) => {
      if (!(await markExportExpired(tx, row.id))) return false;
      await recordAudit(
        tx,
        { system: true, requestId: null },
        {
          action: 'export.expire',
          objectType: 'investigation',
          objectId: row.investigationId,
          investigationId: row.investigationId,
          after: { jobId: row.id, file: file ? path.basename(file) : null, retentionHours: hours },
        },
      );
      return true;
    });
    if (marked) expired++;
  }
  await removeOrphanFiles(db, dir, hours).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') {
      deps.logger.warn({ err: { message: error.message } }, 'could not clean orphan export files');
    }
  });
  return expired;
}

function exportFormatOf(value: unknown): ExportFormat | null {
  const format = (value as { format?: unknown } | null)?.format;
  return typeof format === 'string' && (EXPORT_FORMATS as readonly string[]).includes(format)
    ? (format as ExportFormat)
    : null;
}

/** `<jobId>.json|csv|stix.json`, optionally `.partial`: the only names the export processor writes. */
const EXPORT_FILE_NAME =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(?:json|csv|stix\.json)(\.partial)?$/;

/**
 * Files in EXPORT_DIR untouched for longer than the retention that no row accounts for: `*.partial` files
 * (an attempt killed mid-write; a retry writes its own afresh) and files whose job row is gone (the
 * investigation was deleted and its jobs cascaded away). Other names are not the worker's and stay.
 */
async function removeOrphanFiles(db: Database, dir: string, hours: number): Promise<void> {
  const cutoff = Date.now() - hours * 3_600_000;
  const old: { file: string; jobId: string; partial: boolean }[] = [];
  for (const name of await readdir(dir)) {
    const m = EXPORT_FILE_NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && info.mtimeMs < cutoff) old.push({ file, jobId: m[1] as string, partial: m[2] !== undefined });
  }
  for (let i = 0; i < old.length; i += BATCH) {
    const batch = old.slice(i, i + BATCH);
    const complete = batch.filter((f) => !f.partial).map((f) => f.jobId);
    const known = new Set(
      complete.length === 0
        ? []
        : (await db.select({ id: jobs.id }).from(jobs).where(inArray(jobs.id, complete))).map((r) => r.id),
    );
    for (const f of batch) if (f.partial || !known.has(f.jobId)) await rm(f.file, { force: true });
  }
}
