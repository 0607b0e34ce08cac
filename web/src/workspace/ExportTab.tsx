import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, apiUrl } from '../api/client';
import { useInvalidate, useJobs } from '../api/queries';
import type { Job } from '../api/types';
import { JobView } from '../components/JobView';
import { Button, ErrorNote, formatBytes, QueryStatus, Time, TlpBadge } from '../components/ui';
import { useWorkspace } from './context';

type Format = 'json' | 'csv' | 'stix';
const FORMATS: { format: Format; label: string; what: string }[] = [
  {
    format: 'json',
    label: 'JSON',
    what: 'Everything, full fidelity; can be imported into a new investigation.',
  },
  { format: 'csv', label: 'CSV', what: 'Selectors with their types, tags and sources, for spreadsheets.' },
  {
    format: 'stix',
    label: 'STIX 2.1',
    what: 'A bundle of observables and relationships, marked with the investigation’s TLP, for sharing.',
  },
];

/** The worker's result names the download URL; older results fall back to the documented route. */
export const downloadUrl = (jobId: string, result?: unknown) => {
  const named = (result as { downloadUrl?: unknown } | undefined)?.downloadUrl;
  return typeof named === 'string' && named.startsWith('/api/')
    ? named
    : apiUrl('/exports/{jobId}/download', { jobId });
};

function formatOf(job: Job): string {
  const r = (job.result ?? {}) as { format?: string };
  return r.format ? r.format.toUpperCase() : 'export';
}

function describeResult(result: unknown): string {
  const r = (result ?? {}) as { bytes?: number; counts?: Record<string, number>; sha256?: string };
  const parts: string[] = [];
  if (typeof r.bytes === 'number') parts.push(formatBytes(r.bytes));
  if (r.counts) {
    parts.push(
      Object.entries(r.counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', '),
    );
  }
  if (r.sha256) parts.push(`SHA-256 ${r.sha256.slice(0, 12)}…`);
  return parts.filter(Boolean).join(' · ');
}

/** Export the investigation as JSON, CSV or STIX 2.1: an export job with progress, then a download. */
export function ExportTab() {
  const { inv } = useWorkspace();
  const [jobs, setJobs] = useState<{ format: Format; job: Job }[]>([]);
  const [missing, setMissing] = useState(false);
  const invalidate = useInvalidate();
  const previous = useJobs(inv.id, 'export');
  const start = useMutation({
    mutationFn: (format: Format) =>
      api.post('/investigations/{id}/exports', { path: { id: inv.id }, json: { format } }),
    onSuccess: (job, format) => {
      setJobs((prev) => [{ format, job }, ...prev]);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.missingRoute) setMissing(true);
    },
  });

  return (
    <div className="ingest-grid">
      <section className="card" aria-labelledby="export-heading">
        <h2 id="export-heading">Export this investigation</h2>
        <p className="muted">
          Exports carry the investigation’s marking <TlpBadge tlp={inv.tlp} />: share them only as it allows.
        </p>
        {missing ? (
          <p className="notice notice-warn" role="alert" data-testid="export-unavailable">
            Exports are not available on this server yet: the API has no{' '}
            <code>POST /api/v1/investigations/…/exports</code> route.
          </p>
        ) : null}
        <ul className="plain-list">
          {FORMATS.map((f) => (
            <li key={f.format} className="export-row">
              <div>
                <strong>{f.label}</strong>
                <div className="row-sub">{f.what}</div>
              </div>
              <Button
                onClick={() => start.mutate(f.format)}
                busy={start.isPending && start.variables === f.format}
                disabled={missing}
              >
                Export {f.label}
              </Button>
            </li>
          ))}
        </ul>
        {start.error && !missing ? <ErrorNote error={start.error} /> : null}
      </section>
      <section aria-labelledby="export-jobs-heading">
        <h2 id="export-jobs-heading">Exports</h2>
        {jobs.map(({ format, job }) => (
          <JobView
            key={job.id}
            job={job}
            label={`${FORMATS.find((f) => f.format === format)?.label} export`}
            canCancel
            onFinished={() => invalidate(['inv', inv.id, 'jobs'])}
            summary={(final) => (
              <>
                Ready{describeResult(final.result) ? ` (${describeResult(final.result)})` : ''}.{' '}
                <a href={downloadUrl(job.id, final.result)} download data-testid="download-link">
                  Download the {format.toUpperCase()} file
                </a>
              </>
            )}
          />
        ))}
        <h3>Earlier exports</h3>
        <QueryStatus query={previous} />
        {previous.data &&
        previous.data.items.filter((j) => !jobs.some((s) => s.job.id === j.id)).length === 0 ? (
          <p className="muted">No earlier exports.</p>
        ) : null}
        <ul className="plain-list">
          {previous.data?.items
            .filter((j) => !jobs.some((s) => s.job.id === j.id))
            .map((j) => (
              <li key={j.id}>
                <span className="badge">{formatOf(j)}</span> {j.status}{' '}
                <span className="muted">
                  <Time iso={j.finishedAt ?? j.createdAt} />
                </span>{' '}
                {j.status === 'succeeded' ? (
                  <a href={downloadUrl(j.id, j.result)} download>
                    Download
                  </a>
                ) : j.error ? (
                  <span className="field-error">{j.error}</span>
                ) : null}
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}
