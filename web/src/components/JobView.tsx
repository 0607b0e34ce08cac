import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../api/client';
import { type JobProgress, TERMINAL_STATUSES, useJobProgress } from '../api/job-progress';
import type { Job } from '../api/types';
import { Button, ErrorNote, ProgressBar } from './ui';

const STATUS_WORDS: Record<string, string> = {
  queued: 'Waiting for a worker',
  running: 'Working',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * One job with a live progress bar (SSE, polling as the fallback), its phase, a cancel button for editors,
 * the error in words when it fails, and `summary` once it succeeded.
 */
export function JobView({
  job,
  label,
  canCancel,
  onFinished,
  summary,
}: {
  job: Job;
  label: ReactNode;
  canCancel?: boolean;
  onFinished?: (final: JobProgress) => void;
  summary?: (final: JobProgress) => ReactNode;
}) {
  const progress = useJobProgress(job, onFinished);
  const cancel = useMutation({
    mutationFn: () => api.post('/jobs/{id}/cancel', { path: { id: job.id } }),
  });
  const status = progress?.status ?? job.status;
  const done = TERMINAL_STATUSES.has(status);
  const pct = status === 'succeeded' ? 100 : (progress?.progress ?? job.progress);
  return (
    <div
      className="job-card"
      data-testid="job"
      data-job-id={job.id}
      data-status={status}
      data-transport={progress?.transport ?? 'none'}
    >
      <div className="job-head">
        <strong>{label}</strong>
        <span className="muted" aria-live="polite">
          {STATUS_WORDS[status] ?? status}
          {progress?.phase && !done ? ` · ${progress.phase}` : ''}
          {progress?.transport === 'polling' && !done ? ' · polling' : ''}
        </span>
      </div>
      <ProgressBar value={pct} label={`Progress of ${job.kind} job`} status={status} />
      {status === 'failed' || status === 'cancelled' ? (
        <p className="field-error" role="alert">
          {status === 'cancelled'
            ? 'The job was cancelled.'
            : `The job failed: ${progress?.error ?? job.error ?? 'no reason given'}.`}
        </p>
      ) : null}
      {progress?.problem ? <ErrorNote error={progress.problem} /> : null}
      {status === 'succeeded' && progress && summary ? (
        <div className="job-summary">{summary(progress)}</div>
      ) : null}
      {canCancel && !done ? (
        <Button className="btn-small" variant="ghost" onClick={() => cancel.mutate()} busy={cancel.isPending}>
          Cancel
        </Button>
      ) : null}
      <ErrorNote error={cancel.error} />
    </div>
  );
}
