import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, exportFilePath } from '@osint/core';
import { auditEvents, jobs } from '@osint/db';
import { createWorkerRuntime, type WorkerRuntime } from '@osint/worker';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';
import { pipelineWorkerConfig, waitForJobs } from '../support/pipeline.js';

/**
 * The worker's sweeper and exports: an export whose worker died is re-queued (exports are idempotent), and
 * finished export files are deleted after EXPORT_RETENTION_HOURS with the row marked expired and audited.
 * Real PostgreSQL and Redis, the real API for requests and downloads, the real worker runtime.
 */
const exportDir = mkdtempSync(path.join(tmpdir(), 'osint-export-sweeper-'));
afterAll(() => rmSync(exportDir, { recursive: true, force: true }));
const api = await createTestApi({ EXPORT_DIR: exportDir });
const world = await buildWorld(api);
const { app, deps } = api;
const inv = `/api/v1/investigations/${world.investigationId}`;
const config = pipelineWorkerConfig(api.database, api.redis, {
  ENRICH_AFTER_EXTRACT: 'false',
  EXPORT_DIR: exportDir,
  EXPORT_RETENTION_HOURS: '24',
});
let runtime: WorkerRuntime | undefined;
afterAll(() => runtime?.close('test'));

async function requestExport(format: 'json' | 'csv' | 'stix'): Promise<string> {
  const res = await as(app, world.owner).post(`${inv}/exports`).send({ format }).expect(202);
  return res.body.id as string;
}

describe('sweeper and exports', () => {
  it('re-queues an export whose worker died (lease expired, queue entry gone) and it completes', async () => {
    // No worker yet: the job waits in its queue. Then the worker that "took" it dies: the queue entry is
    // lost and the row stays `running` with a lapsed lease and a half-written partial file.
    const jobId = await requestExport('json');
    await deps.queues.export.remove(jobId);
    await deps.db
      .update(jobs)
      .set({
        status: 'running',
        attempts: 1,
        startedAt: sql`now() - interval '5 minutes'`,
        leaseExpiresAt: sql`now() - interval '1 minute'`,
      })
      .where(eq(jobs.id, jobId));
    const finalPath = exportFilePath(exportDir, jobId, 'json');
    writeFileSync(`${finalPath}.partial`, '{"format":"osint-platform/inves');

    runtime = createWorkerRuntime(config, createLogger('export-sweeper-test', 'silent'));
    // Everything else world-building enqueued (the document's extraction) finishes first.
    await waitForJobs(deps.db, [world.jobId]);
    const report = await runtime.sweep();
    expect(report).toMatchObject({ requeued: 1, failed: 0 });
    const [row] = await waitForJobs(deps.db, [jobId]);
    expect(row, JSON.stringify(row?.error)).toMatchObject({ status: 'succeeded', attempts: 2 });
    const exported = JSON.parse(readFileSync(finalPath, 'utf8'));
    expect(exported).toMatchObject({
      format: 'osint-platform/investigation-export',
      investigation: { id: world.investigationId },
    });
    expect(existsSync(`${finalPath}.partial`)).toBe(false);
  });

  it('deletes export files past the retention, marks the rows expired with one audit event, and keeps recent ones', async () => {
    runtime ??= createWorkerRuntime(config, createLogger('export-sweeper-test', 'silent'));
    const oldId = await requestExport('csv');
    const recentId = await requestExport('stix');
    const rows = await waitForJobs(deps.db, [oldId, recentId]);
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const oldFile = exportFilePath(exportDir, oldId, 'csv');
    const recentFile = exportFilePath(exportDir, recentId, 'stix');
    expect(existsSync(oldFile) && existsSync(recentFile)).toBe(true);
    // 25 hours ago, past the 24 h retention of this test's worker.
    await deps.db
      .update(jobs)
      .set({ finishedAt: sql`now() - interval '25 hours'` })
      .where(eq(jobs.id, oldId));
    // A partial file an attempt left behind long ago goes too; a fresh one (an export being written) stays.
    const stalePartial = path.join(exportDir, '00000000-0000-4000-8000-000000000001.json.partial');
    const freshPartial = path.join(exportDir, '00000000-0000-4000-8000-000000000002.json.partial');
    writeFileSync(stalePartial, 'x');
    writeFileSync(freshPartial, 'y');
    // A file whose job row is gone (its investigation was deleted, the rows cascaded) goes too; a file
    // that is not an export's stays.
    const orphan = path.join(exportDir, '00000000-0000-4000-8000-000000000003.csv');
    const notOurs = path.join(exportDir, 'operator-notes.txt');
    writeFileSync(orphan, 'type,value\r\n');
    writeFileSync(notOurs, 'keep me');
    const longAgo = new Date(Date.now() - 30 * 3_600_000);
    for (const file of [stalePartial, orphan, notOurs]) utimesSync(file, longAgo, longAgo);

    const first = await runtime.sweep();
    expect(first.exportsExpired).toBe(1);
    expect(existsSync(oldFile)).toBe(false);
    expect(existsSync(recentFile)).toBe(true);
    expect(existsSync(stalePartial)).toBe(false);
    expect(existsSync(freshPartial)).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(notOurs)).toBe(true);

    const [expired] = await deps.db.select().from(jobs).where(eq(jobs.id, oldId));
    expect(expired).toMatchObject({ status: 'succeeded' });
    // The record of what was exported stays; the row says the file is gone and since when.
    expect(expired!.result).toMatchObject({ expired: true, format: 'csv', downloadUrl: expect.any(String) });
    expect(Date.parse((expired!.result as { expiredAt: string }).expiredAt)).not.toBeNaN();
    const [recent] = await deps.db.select().from(jobs).where(eq(jobs.id, recentId));
    expect(recent!.result).not.toHaveProperty('expired');

    // A second sweep (or another worker's) changes nothing and writes no second audit event.
    expect((await runtime.sweep()).exportsExpired).toBe(0);
    const audit = await deps.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, 'export.expire'), eq(auditEvents.investigationId, world.investigationId)),
      );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'system', objectId: world.investigationId });
    expect(audit[0]!.after).toMatchObject({ jobId: oldId, retentionHours: 24 });

    // The API tells the downloader the file is gone; the recent export still downloads.
    const gone = await as(app, world.owner).get(`/api/v1/exports/${oldId}/download`).expect(410);
    expect(gone.body).toMatchObject({ code: 'export_gone' });
    await as(app, world.owner).get(`/api/v1/exports/${recentId}/download`).expect(200);
  });
});
