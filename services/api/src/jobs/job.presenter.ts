import type { JobRow } from './job.service.js';

/** Public shape of a job; `url` is where clients poll for its outcome. */
export function presentJob(row: JobRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    investigationId: row.investigationId,
    progress: row.progress,
    attempts: row.attempts,
    error: row.error,
    result: row.result ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    url: `/api/v1/jobs/${row.id}`,
  };
}
