import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { JobEventHub } from '../jobs/job-events.js';
import type { AuthInfo } from './authenticate.js';

/**
 * What lost its access: every stream of a user (disabled), of one session (signed out) or of one token
 * (revoked). Event streams are long-lived requests that authenticated once; this is how they learn,
 * at once and on every API replica, that the credential they were opened with is gone.
 */
export const revocationSchema = z.union([
  z.strictObject({ userId: z.uuid() }),
  z.strictObject({ sessionId: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.strictObject({ tokenId: z.uuid() }),
]);
export type Revocation = z.infer<typeof revocationSchema>;

/** The Redis channel every API replica's event hub subscribes to. */
export function revocationChannel(prefix: string): string {
  return `${prefix}:auth:revoked`;
}

/** The keys under which a stream opened with `auth` is registered (any of them closes it). */
export function revocationKeysOf(auth: AuthInfo): string[] {
  const keys = [`user:${auth.user.id}`];
  if (auth.sessionId) keys.push(`session:${auth.sessionId}`);
  if (auth.tokenId) keys.push(`token:${auth.tokenId}`);
  return keys;
}

export function revocationKey(revocation: Revocation): string {
  if ('userId' in revocation) return `user:${revocation.userId}`;
  if ('sessionId' in revocation) return `session:${revocation.sessionId}`;
  return `token:${revocation.tokenId}`;
}

/**
 * Closes the revoked credential's streams in this process at once, and tells the other replicas through
 * Redis. Best effort by design: the database change has already committed (the next request is refused
 * whatever happens here), and every stream re-checks its credential on each heartbeat, so a lost message
 * costs at most SSE_HEARTBEAT_MS.
 */
export async function announceRevocation(
  deps: { redis: Redis; events: JobEventHub; config: { QUEUE_PREFIX: string } },
  revocation: Revocation,
): Promise<void> {
  deps.events.revoke(revocation);
  await deps.redis
    .publish(revocationChannel(deps.config.QUEUE_PREFIX), JSON.stringify(revocation))
    .catch(() => {});
}
