import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiConfig } from '../config.js';
import { AppError } from '../shared/errors.js';

/** Requests that cost the platform real work, each limited per user (docs/conventions.md). */
export type LimitedAction = 'lookup' | 'upload' | 'import' | 'export' | 'enrichment';

const SETTING = {
  lookup: 'RATE_LIMIT_LOOKUPS',
  upload: 'RATE_LIMIT_UPLOADS',
  import: 'RATE_LIMIT_IMPORTS',
  export: 'RATE_LIMIT_EXPORTS',
  enrichment: 'RATE_LIMIT_ENRICHMENTS',
} as const satisfies Record<LimitedAction, keyof ApiConfig>;

/** 429 with `Retry-After` (problem.ts sets the header from `retryAfterSeconds`). */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    detail: string,
    extra: Record<string, unknown>,
  ) {
    super(429, 'rate_limited', detail, { ...extra, retryAfterSeconds });
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Per-user limits on the expensive requests (look-ups, documents, imports, exports, enrichment) and a daily
 * quota of uploaded bytes. Counters live in Redis so every API replica shares them; while Redis is down each
 * process falls back to an in-memory limiter of the same size (rate-limiter-flexible's `insuranceLimiter`)
 * rather than letting traffic through unlimited or refusing everyone.
 */
export class UserRateLimits {
  private readonly limiters: Record<LimitedAction, RateLimiterRedis>;
  private readonly uploadBytes: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly config: ApiConfig,
  ) {
    const make = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.QUEUE_PREFIX}:rate:${name}`,
        points,
        duration,
        // Not ready (down, reconnecting): straight to the insurance limiter instead of queueing commands.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      });
    const window = config.RATE_LIMIT_WINDOW_SECONDS;
    this.limiters = {
      lookup: make('lookup', config.RATE_LIMIT_LOOKUPS, window),
      upload: make('upload', config.RATE_LIMIT_UPLOADS, window),
      import: make('import', config.RATE_LIMIT_IMPORTS, window),
      export: make('export', config.RATE_LIMIT_EXPORTS, window),
      enrichment: make('enrichment', config.RATE_LIMIT_ENRICHMENTS, window),
    };
    this.uploadBytes = make('upload-bytes', config.UPLOAD_QUOTA_BYTES_PER_DAY, 24 * 60 * 60);
  }

  /** Counts one request of `action` for the user; throws 429 once the window's allowance is used up. */
  async consume(action: LimitedAction, userId: string): Promise<void> {
    const limiter = this.limiters[action];
    try {
      await limiter.consume(userId);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw new RateLimitedError(
        seconds(error.msBeforeNext),
        `Too many ${action} requests: at most ${limiter.points} per ${limiter.duration} s per user. Wait before trying again.`,
        { action, limit: limiter.points, windowSeconds: limiter.duration, setting: SETTING[action] },
      );
    }
  }

  /** Counts stored bytes against the user's daily upload quota; throws 429 when they would exceed it. */
  async consumeUploadBytes(userId: string, bytes: number): Promise<void> {
    if (bytes <= 0) return;
    const quota = this.config.UPLOAD_QUOTA_BYTES_PER_DAY;
    try {
      await this.uploadBytes.consume(userId, bytes);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      // A refused upload does not count against the quota.
      await this.uploadBytes.reward(userId, bytes).catch(() => {});
      throw new RateLimitedError(
        seconds(error.msBeforeNext),
        `The daily upload quota of ${quota} bytes per user is used up. Wait before uploading more.`,
        {
          action: 'upload',
          limit: quota,
          windowSeconds: 24 * 60 * 60,
          setting: 'UPLOAD_QUOTA_BYTES_PER_DAY',
        },
      );
    }
  }
}

/**
 * Concurrent Server-Sent Events streams per user, in this process: each open stream holds a connection and
 * a subscription, so one user opening thousands would starve everyone else's (SSE_MAX_STREAMS_PER_USER).
 */
export class StreamCounter {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Takes a slot for the user or throws 429; the returned function gives it back (idempotent). */
  acquire(userId: string): () => void {
    const current = this.open.get(userId) ?? 0;
    if (current >= this.max) {
      throw new AppError(
        429,
        'too_many_streams',
        `At most ${this.max} event streams may be open per user at once. Close one first.`,
        { limit: this.max, setting: 'SSE_MAX_STREAMS_PER_USER' },
      );
    }
    this.open.set(userId, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left <= 0) this.open.delete(userId);
      else this.open.set(userId, left);
    };
  }
}
