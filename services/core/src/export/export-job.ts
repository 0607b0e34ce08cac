import path from 'node:path';
import { z } from 'zod';

/** Formats the `export` job writes (docs/search-and-export.md). */
export const EXPORT_FORMATS = ['json', 'csv', 'stix'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Payload of the `export` job: ids only (house style 7); the worker reads the investigation from
 * PostgreSQL in one snapshot and streams the file to EXPORT_DIR.
 */
export const exportJobPayload = z.object({
  jobId: z.uuid(),
  investigationId: z.uuid(),
  format: z.enum(EXPORT_FORMATS),
  requestedBy: z.uuid(),
});
export type ExportJobPayload = z.infer<typeof exportJobPayload>;

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8; header=present',
  stix: 'application/stix+json;version=2.1',
};

const EXTENSIONS: Record<ExportFormat, string> = { json: 'json', csv: 'csv', stix: 'stix.json' };

/**
 * Where a finished export lives: `<EXPORT_DIR>/<jobId>.<ext>`, a name the worker and the API derive from
 * the job alone (never from client input), so a download cannot be pointed at another file.
 */
export function exportFilePath(dir: string, jobId: string, format: ExportFormat): string {
  if (!z.uuid().safeParse(jobId).success) throw new TypeError('export job id must be a UUID');
  return path.join(dir, `${jobId}.${EXTENSIONS[format]}`);
}

/** The file name offered to the browser. */
export function exportDownloadName(title: string, format: ExportFormat, at: Date): string {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .toLowerCase() || 'investigation';
  return `${slug}-${at.toISOString().slice(0, 10)}.${EXTENSIONS[format]}`;
}
