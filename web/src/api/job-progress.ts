import { useEffect, useRef, useState } from 'react';
import { ApiError, api, apiUrl } from './client';
import type { Job, JobEvent, JobStatus } from './types';

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

/** Poll interval when the event stream is not available (matches the API's SSE heartbeat order of magnitude). */
const POLL_MS = 1_000;

export interface JobProgress {
  status: JobStatus;
  progress: number;
  phase: string | null;
  error: string | null;
  result: unknown;
  /** How updates arrive: the SSE stream, or polling GET /jobs/{id} after the stream failed. */
  transport: 'sse' | 'polling' | 'none';
  /** Set when even polling fails (e.g. the job was deleted with its investigation). */
  problem: unknown;
}

function fromJob(job: Job): Omit<JobProgress, 'transport' | 'problem'> {
  return {
    status: job.status,
    progress: job.progress,
    phase: null,
    error: job.error,
    result: job.result,
  };
}

/**
 * Live progress of one job: an EventSource on `GET /jobs/{id}/events` (the server ends it after the
 * terminal event); if the stream cannot be opened or drops before the end, it falls back to polling
 * `GET /jobs/{id}` so a progress bar never freezes. `onFinished` runs once with the terminal state.
 */
export function useJobProgress(
  job: Job | null,
  onFinished?: (final: JobProgress) => void,
): JobProgress | null {
  const [state, setState] = useState<JobProgress | null>(
    job ? { ...fromJob(job), transport: 'none', problem: null } : null,
  );
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const jobId = job?.id ?? null;
  const initialStatus = job?.status;

  useEffect(() => {
    if (!jobId) return;
    let done = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();

    const apply = (next: Omit<JobProgress, 'transport' | 'problem'>, transport: JobProgress['transport']) => {
      if (done) return;
      const full: JobProgress = { ...next, transport, problem: null };
      setState((prev) => ({
        ...full,
        phase: next.phase ?? (next.status === prev?.status ? prev.phase : null),
      }));
      if (TERMINAL_STATUSES.has(next.status)) {
        done = true;
        source?.close();
        finished.current?.(full);
      }
    };

    const poll = async (via: JobProgress['transport'] = 'polling') => {
      if (done) return;
      try {
        const current = await api.get('/jobs/{id}', { path: { id: jobId }, signal: controller.signal });
        apply(fromJob(current), via);
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          done = true;
          setState((prev) => (prev ? { ...prev, transport: 'polling', problem: error } : prev));
          return;
        }
      }
      if (!done) timer = setTimeout(() => void poll(via), POLL_MS);
    };

    if (initialStatus && TERMINAL_STATUSES.has(initialStatus)) {
      // Already over: one read for the final result, no stream.
      void poll();
    } else if (typeof EventSource === 'undefined') {
      void poll();
    } else {
      source = new EventSource(apiUrl('/jobs/{id}/events', { id: jobId }));
      source.addEventListener('progress', (message) => {
        try {
          const event = JSON.parse((message as MessageEvent<string>).data) as JobEvent;
          if (
            TERMINAL_STATUSES.has(event.status) &&
            event.result === undefined &&
            event.status === 'succeeded'
          ) {
            // The final frame may leave the result out: read it from the job row once.
            source?.close();
            void poll('sse');
            return;
          }
          apply(
            {
              status: event.status,
              progress: event.progress,
              phase: event.phase,
              error: event.error,
              result: event.result,
            },
            'sse',
          );
        } catch {
          // a frame we cannot read: the next one, or the polling fallback, will catch up
        }
      });
      source.onerror = () => {
        // The stream could not open (no route, 401, proxy) or dropped before the end: poll instead.
        source?.close();
        if (!done) void poll();
      };
    }
    return () => {
      done = true;
      controller.abort();
      source?.close();
      clearTimeout(timer);
    };
  }, [jobId, initialStatus]);

  return state;
}
