import type { Redis } from 'ioredis';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason ?? new Error('aborted'));
      },
      { once: true },
    );
  });

/**
 * Fixed-window rate limit shared by every worker through Redis (`INCR` on a key per window). When Redis
 * does not answer (the producer connection fails fast), each process falls back to its own window: the
 * limit then holds per process rather than globally, which is better than stopping enrichment.
 */
export class RateLimiter {
  private readonly local = new Map<string, { window: number; count: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Waits until a call of `name` is allowed under `limit`, or rejects when `signal` aborts first. */
  async acquire(name: string, limit: { max: number; windowMs: number }, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      const window = Math.floor(now / limit.windowMs);
      const count = await this.count(name, window, limit.windowMs);
      if (count <= limit.max) return;
      await sleep((window + 1) * limit.windowMs - now + 1, signal);
    }
  }

  private async count(name: string, window: number, windowMs: number): Promise<number> {
    if (this.redis.status === 'ready') {
      const key = `${this.prefix}:ratelimit:${name}:${window}`;
      try {
        const results = await this.redis
          .multi()
          .incr(key)
          .pexpire(key, windowMs * 2)
          .exec();
        const value = results?.[0]?.[1];
        if (typeof value === 'number') return value;
      } catch {
        // fall through to the local window
      }
    }
    const entry = this.local.get(name);
    if (entry?.window === window) {
      entry.count++;
      return entry.count;
    }
    this.local.set(name, { window, count: 1 });
    return 1;
  }
}
