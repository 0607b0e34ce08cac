import { createRedis, type JobEvent, jobEventSchema, type Logger } from '@osint/core';
import type { Redis } from 'ioredis';
import { type Revocation, revocationChannel, revocationKey, revocationSchema } from '../auth/revocation.js';

type Listener = (event: JobEvent) => void;

/**
 * The API process's one Redis subscriber (not one per request): it pattern-subscribes to every job's
 * progress channel (`<prefix>:jobs:*`, core's `jobChannel`) and fans each event out to the Server-Sent
 * Events streams listening for that job or that job's investigation. The worker publishes every event on
 * the job channel, so one pattern covers both per-job and per-investigation streams, and no subscription
 * is ever added or removed per request (nothing to race, nothing to leak).
 * (The worker bumps an investigation's search version itself after its own commit; this hub only relays.)
 *
 * The subscriber waits for Redis (it reconnects and re-subscribes by itself); while Redis is away, streams
 * still get their initial state and the periodic re-read of the job row (see job-stream.ts).
 */
export class JobEventHub {
  private subscriber: Redis | null = null;
  private readonly byJob = new Map<string, Set<Listener>>();
  private readonly byInvestigation = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();
  /** Stream closers by credential (`user:…`, `session:…`, `token:…`; auth/revocation.ts). */
  private readonly byCredential = new Map<string, Set<() => void>>();

  constructor(
    private readonly options: {
      redisUrl: string;
      prefix: string;
      logger: Logger;
    },
  ) {}

  /** Opens the subscriber connection and the pattern subscription; idempotent. */
  start(): void {
    if (this.subscriber) return;
    const sub = createRedis(this.options.redisUrl, 'worker', {
      connectionName: `osint-api-events-${this.options.prefix}`,
    });
    sub.on('error', (err) =>
      this.options.logger.debug({ err: { message: err.message } }, 'job event subscriber error'),
    );
    sub.on('pmessage', (_pattern, _channel, message) => this.dispatch(message));
    sub.on('message', (_channel, message) => this.revokeFrom(message));
    sub.subscribe(revocationChannel(this.options.prefix)).catch((err: Error) => {
      this.options.logger.warn({ err: { message: err.message } }, 'revocation subscription failed');
    });
    sub.psubscribe(`${this.options.prefix}:jobs:*`).catch((err: Error) => {
      this.options.logger.warn({ err: { message: err.message } }, 'job event subscription failed');
    });
    this.subscriber = sub;
  }

  /** Whether the subscription is live (streams fall back to re-reading rows when it is not). */
  get connected(): boolean {
    return this.subscriber?.status === 'ready';
  }

  onJob(jobId: string, listener: Listener): () => void {
    return add(this.byJob, jobId, listener);
  }

  onInvestigation(investigationId: string, listener: Listener): () => void {
    return add(this.byInvestigation, investigationId, listener);
  }

  /** Registers a stream's close function so shutdown can end every open stream. */
  track(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Registers a stream's close function under its credential's keys (revocationKeysOf). */
  onRevoked(keys: string[], close: () => void): () => void {
    const removers = keys.map((key) => add(this.byCredential, key, close));
    return () => {
      for (const remove of removers) remove();
    };
  }

  /** Closes every stream opened with the revoked credential, in this process. */
  revoke(revocation: Revocation): void {
    for (const close of [...(this.byCredential.get(revocationKey(revocation)) ?? [])]) close();
  }

  private revokeFrom(message: string): void {
    try {
      const parsed = revocationSchema.safeParse(JSON.parse(message));
      if (parsed.success) this.revoke(parsed.data);
    } catch {
      // Not JSON: not ours.
    }
  }

  get openStreams(): number {
    return this.closers.size;
  }

  /** Ends every open stream (clients reconnect to another replica), then the subscriber. */
  async close(): Promise<void> {
    for (const close of [...this.closers]) close();
    this.closers.clear();
    const sub = this.subscriber;
    this.subscriber = null;
    if (sub) {
      await Promise.race([sub.quit().catch(() => {}), new Promise((r) => setTimeout(r, 500))]);
      sub.disconnect();
    }
  }

  private dispatch(message: string): void {
    let event: JobEvent;
    try {
      const parsed = jobEventSchema.safeParse(JSON.parse(message));
      if (!parsed.success) return;
      event = parsed.data;
    } catch {
      return;
    }
    for (const listener of this.byJob.get(event.jobId) ?? []) safe(listener, event);
    if (event.investigationId) {
      for (const listener of this.byInvestigation.get(event.investigationId) ?? []) safe(listener, event);
    }
  }
}

function add<T>(map: Map<string, Set<T>>, key: string, listener: T): () => void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && map.get(key) === set) map.delete(key);
  };
}

function safe(listener: Listener, event: JobEvent): void {
  try {
    listener(event);
  } catch {
    // A broken stream must not stop the fan-out to the others.
  }
}
