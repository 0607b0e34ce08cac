import type { JobEvent } from '@osint/core';
import type { Request, Response } from 'express';
import type { ApiDeps } from '../deps.js';

/** Terminal statuses end a per-job stream. */
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export interface StreamSource {
  /** Events to send before anything live (the current state). */
  initial: JobEvent[];
  /** Registers for live events; returns the unsubscribe function. */
  subscribe: (listener: (event: JobEvent) => void) => () => void;
  /** End the stream once a terminal event has been sent (per-job streams). */
  endOnTerminal: boolean;
  /**
   * Runs with every heartbeat: re-checks access (returns null when the caller lost it, which ends the
   * stream) and returns events to send when the state moved without a pub/sub message reaching this
   * process (Redis was away), so a stream never hangs on a lost notification.
   */
  recheck: () => Promise<JobEvent[] | null>;
}

/**
 * Serves a Server-Sent Events stream of job progress (WHATWG HTML §9.2): `event: progress` frames whose
 * `data` is one JSON job event, the initial state first, a `: heartbeat` comment every SSE_HEARTBEAT_MS
 * (keeps proxies from closing an idle stream), and `retry:` so browsers reconnect after 5 s. The caller
 * has already authorised the request; errors before this point are ordinary problem+json answers.
 */
export function serveEventStream(deps: ApiDeps, req: Request, res: Response, source: StreamSource): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    // nginx (the production web container) would otherwise buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  let sequence = 0;
  let closed = false;
  let lastSent = new Map<string, string>();

  const write = (chunk: string) => {
    if (!closed) res.write(chunk);
  };
  const send = (event: JobEvent) => {
    if (closed) return;
    // Skip repeats of a state this stream already showed (the initial read and a pub/sub message can overlap).
    const fingerprint = `${event.status}:${event.progress}:${event.attempts}:${event.phase ?? ''}`;
    if (lastSent.get(event.jobId) === fingerprint) return;
    lastSent.set(event.jobId, fingerprint);
    sequence += 1;
    write(`event: progress\nid: ${sequence}\ndata: ${JSON.stringify(event)}\n\n`);
    if (source.endOnTerminal && TERMINAL.has(event.status)) close();
  };

  const pending: JobEvent[] = [];
  let live = false;
  const unsubscribe = source.subscribe((event) => {
    if (live) send(event);
    else pending.push(event);
  });
  const heartbeat = setInterval(() => {
    write(': heartbeat\n\n');
    source.recheck().then(
      (events) => {
        if (events === null) close();
        else for (const event of events) send(event);
      },
      () => {},
    );
  }, deps.config.SSE_HEARTBEAT_MS);
  const untrack = deps.events.track(() => close());

  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    untrack();
    lastSent = new Map();
    res.end();
  }
  req.on('close', close);
  res.on('close', close);
  res.on('error', close);

  write('retry: 5000\n\n');
  for (const event of source.initial) send(event);
  live = true;
  for (const event of pending.splice(0)) send(event);
}
