import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiConfig } from '../config.js';
import { AppError } from '../shared/errors.js';

export class TooManyAttemptsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_attempts', 'Too many failed sign-in attempts. Wait before trying again.', {
      retryAfterSeconds,
    });
  }
}

/**
 * Failed-login counters per account and per client IP (rate-limiter-flexible's "login endpoint protection"
 * recipe): only failures consume points, a success resets the account counter. Counters live in Redis so
 * every API replica sees them; if Redis is down an in-process limiter takes over rather than letting
 * guessing run unthrottled or blocking every sign-in.
 */
export class LoginThrottle {
  private readonly byAccount: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(redis: Redis, config: ApiConfig) {
    const duration = config.LOGIN_THROTTLE_WINDOW_SECONDS;
    const make = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.QUEUE_PREFIX}:login-fail:${name}`,
        points,
        duration,
        blockDuration: duration,
        insuranceLimiter: new RateLimiterMemory({ points, duration, blockDuration: duration }),
      });
    this.byAccount = make('account', config.LOGIN_MAX_FAILURES_PER_ACCOUNT);
    this.byIp = make('ip', config.LOGIN_MAX_FAILURES_PER_IP);
  }

  private static accountKey(email: string): string {
    return email.trim().toLowerCase();
  }

  /** Throws 429 when the account or the IP has used up its failures for the window. */
  async check(email: string, ip: string): Promise<void> {
    const [account, source] = await Promise.all([
      this.byAccount.get(LoginThrottle.accountKey(email)),
      this.byIp.get(ip),
    ]);
    const blocked = [
      [account, this.byAccount.points],
      [source, this.byIp.points],
    ] as const;
    let wait = 0;
    for (const [res, points] of blocked) {
      if (res && res.consumedPoints >= points) wait = Math.max(wait, res.msBeforeNext);
    }
    if (wait > 0) throw new TooManyAttemptsError(Math.max(1, Math.ceil(wait / 1000)));
  }

  /** Counts one failure against both keys; throws 429 if this failure used up the allowance. */
  async failed(email: string, ip: string): Promise<void> {
    const results = await Promise.allSettled([
      this.byAccount.consume(LoginThrottle.accountKey(email)),
      this.byIp.consume(ip),
    ]);
    let wait = 0;
    for (const r of results) {
      if (r.status === 'rejected' && r.reason instanceof RateLimiterRes) {
        wait = Math.max(wait, r.reason.msBeforeNext);
      }
    }
    if (wait > 0) throw new TooManyAttemptsError(Math.max(1, Math.ceil(wait / 1000)));
  }

  /** A successful sign-in clears the account's failures (the IP's stay, to slow spraying). */
  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(LoginThrottle.accountKey(email)).catch(() => {});
  }
}
