import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection roles (house style 8): producers fail fast so the API can answer 503 with Retry-After instead
 * of hanging; workers (BullMQ blocking commands) wait and reconnect forever.
 */
export type RedisRole = 'producer' | 'worker' | 'cache';

export function redisOptionsFor(role: RedisRole): RedisOptions {
  if (role === 'worker') {
    return { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false };
  }
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Reconnect quickly but boundedly so a restarted Redis is picked up within seconds.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
}

/** Creates one ioredis connection for the given role; `keyPrefix` isolates tests and tenants. */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  return new Redis(url, { ...redisOptionsFor(role), connectionName: `osint-${role}`, ...extra });
}
