import { auditEvents, type DbOrTx } from '@osint/db';

/** Who did something and under which request: every service call that mutates carries one. */
export interface Actor {
  userId: string;
  requestId: string;
}

/**
 * Who an audit event is attributed to: a person (under an API request), a job (actor id = the job row,
 * carrying the request that created it), or the platform itself (a CLI, a retention sweep), named by
 * `requestId` when it has one (`cli:create-admin`).
 */
export type AuditActor =
  | Actor
  | { jobId: string; requestId: string | null }
  | { system: true; requestId: string | null };

export interface AuditEventInput {
  /** `<object type>.<verb>`, e.g. `investigation.create`, `selector.update`, `auth.login`. */
  action: string;
  objectType: string;
  objectId: string | null;
  investigationId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Keys never written to the audit trail, whatever object they appear in: credentials and their hashes, and
 * raw document bytes (large, and evidence is kept in `documents` itself).
 */
const SECRET_KEYS = new Set([
  'password',
  'passwordhash',
  'token',
  'tokenhash',
  'secret',
  'sessionid',
  'content',
  'cookie',
]);

/** Deep copy without secret keys; Dates become ISO strings, Buffers are dropped. */
export function scrub(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) return value.map(scrub);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_KEYS.has(key.toLowerCase())) continue;
      const cleaned = scrub(v);
      if (cleaned !== undefined) out[key] = cleaned;
    }
    return out;
  }
  return value;
}

function actorColumns(actor: AuditActor) {
  if ('userId' in actor) return { actorType: 'user' as const, actorId: actor.userId };
  if ('jobId' in actor) return { actorType: 'job' as const, actorId: actor.jobId };
  return { actorType: 'system' as const, actorId: null };
}

/**
 * Appends one audit event, whoever the actor, with `before` and `after` {@link scrub}bed. Call it with the
 * transaction that performs the mutation, so the event and the change commit or roll back together (one
 * audit row per mutation, same transaction).
 */
export async function recordAudit(tx: DbOrTx, actor: AuditActor, event: AuditEventInput): Promise<void> {
  await tx.insert(auditEvents).values({
    ...actorColumns(actor),
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    investigationId: event.investigationId,
    before: event.before === undefined ? null : scrub(event.before),
    after: event.after === undefined ? null : scrub(event.after),
    requestId: actor.requestId,
  });
}
