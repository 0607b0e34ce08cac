import type { JobEvent } from '@osint/core';
import type { Request, Response } from 'express';
import { type AuthInfo, credentialStillValid } from '../auth/authenticate.js';
import { revocationKeysOf } from '../auth/revocation.js';
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
 * (keeps proxies from closing an idle stream), `event: status` frames when live updates stop or resume
 * (`{"live":false,"reconnecting":true}` while Redis is away), and `retry:` so browsers reconnect after 5 s. The caller
 * has already authorised the request; errors before this point are ordinary problem+json answers,
 * and so is a user's stream beyond SSE_MAX_STREAMS_PER_USER (429 `too_many_streams`). `auth` is the
 * credential the stream was opened with: re-checked on every heartbeat, and a revocation closes the stream.
 */
export function serveEventStream(
  deps: ApiDeps,
  auth: AuthInfo,
  req: Request,
  res: Response,
  source: StreamSource,
): void {
  const release = deps.streams.acquire(auth.user.id);
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
  // `event: status` says whether live updates flow: while the API's Redis subscription is down the stream
  // says it is reconnecting and keeps serving state from the periodic re-read of the rows (ADR 0018).
  let liveUpdates = deps.events.connected;
  const status = () => {
    write(
      `event: status\ndata: ${JSON.stringify({ live: liveUpdates, ...(liveUpdates ? {} : { reconnecting: true }) })}\n\n`,
    );
  };
  // The credential the stream was opened with is re-checked too (signed out, token revoked or expired,
  // user disabled), and a revocation closes the stream at once (auth/revocation.ts).
  const heartbeat = setInterval(() => {
    write(': heartbeat\n\n');
    if (deps.events.connected !== liveUpdates) {
      liveUpdates = deps.events.connected;
      status();
    }
    Promise.all([credentialStillValid(deps, auth), source.recheck()]).then(
      ([valid, events]) => {
        if (!valid || events === null) close();
        else for (const event of events) send(event);
      },
      () => {},
    );
  }, deps.config.SSE_HEARTBEAT_MS);
  const untrack = deps.events.track(() => close());
  const unrevoke = deps.events.onRevoked(revocationKeysOf(auth), () => close());

  function close() {
    if (closed) return;
    closed = true;
    release();
    clearInterval(heartbeat);
    unsubscribe();
    untrack();
    unrevoke();
    lastSent = new Map();
    res.end();
  }
  req.on('close', close);
  res.on('close', close);
  res.on('error', close);

  write('retry: 5000\n\n');
  if (!liveUpdates) status();
  for (const event of source.initial) send(event);
  live = true;
  for (const event of pending.splice(0)) send(event);
}
