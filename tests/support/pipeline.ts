import { createHash, randomBytes } from 'node:crypto';
import type { SelectorType } from '@osint/contracts';
import { DEFAULT_JOB_OPTIONS, type EnrichJobPayload, normaliseSelector, QUEUES } from '@osint/core';
import {
  type Database,
  documents,
  investigationSelectors,
  investigations,
  jobs,
  selectors,
  users,
} from '@osint/db';
import type { WorkerConfig } from '@osint/worker';
import { workerConfigSchema } from '@osint/worker';
import { Queue } from 'bullmq';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll } from 'vitest';

/**
 * Fixtures for the collection-pipeline tests: rows written straight to PostgreSQL exactly as the API writes
 * them (a document and its `extract` job row; the queue entry with jobId = row id), so the worker side is
 * tested without the HTTP layer.
 */

export interface PipelineWorld {
  userId: string;
  investigationId: string;
}

/** A user and an investigation (with an optional default region and allow-list). */
export async function createInvestigation(
  db: Database,
  options: { defaultRegion?: string; allowList?: string[]; title?: string } = {},
): Promise<PipelineWorld> {
  const tag = randomBytes(4).toString('hex');
  const [user] = await db
    .insert(users)
    .values({
      email: `analyst-${tag}@example.test`,
      displayName: `Analyst ${tag}`,
      // Never verified here: the pipeline tests do not log in.
      passwordHash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    })
    .returning({ id: users.id });
  const [investigation] = await db
    .insert(investigations)
    .values({
      title: options.title ?? `Investigation ${tag}`,
      createdBy: user!.id,
      defaultRegion: options.defaultRegion ?? null,
      allowList: options.allowList ?? [],
    })
    .returning({ id: investigations.id });
  return { userId: user!.id, investigationId: investigation!.id };
}

export interface StoredDocument {
  documentId: string;
  jobId: string;
}

/** Stores a document and its `extract` job row the way the API does (without enqueueing). */
export async function storeDocument(
  db: Database,
  world: PipelineWorld,
  content: string | Uint8Array,
  options: { mediaType?: string; title?: string } = {},
): Promise<StoredDocument> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const [doc] = await db
    .insert(documents)
    .values({
      investigationId: world.investigationId,
      title: options.title ?? `doc ${sha256.slice(0, 8)}`,
      mediaType: options.mediaType ?? 'text/plain',
      sizeBytes: bytes.length,
      sha256,
      content: bytes,
      createdBy: world.userId,
    })
    .returning({ id: documents.id });
  const [job] = await db
    .insert(jobs)
    .values({
      kind: QUEUES.extract,
      investigationId: world.investigationId,
      targetType: 'document',
      targetId: doc!.id,
    })
    .returning({ id: jobs.id });
  return { documentId: doc!.id, jobId: job!.id };
}

/** Producer queues on the test's Redis key space, closed after the file. */
export function testQueues(redis: Redis, prefix: string) {
  const made: Queue[] = [];
  afterAll(async () => {
    await Promise.all(made.map((q) => q.close()));
  });
  const queue = (name: string) => {
    const q = new Queue(name, { connection: redis, prefix });
    // Outage tests stop Redis on purpose; the connection errors they cause are expected.
    q.on('error', () => {});
    made.push(q);
    return q;
  };
  return { extract: queue(QUEUES.extract), enrich: queue(QUEUES.enrich), queue };
}

/** Enqueues extract jobs exactly as the API does (payload, retry policy, jobId = row id). */
export async function enqueueExtract(queue: Queue, stored: readonly StoredDocument[]): Promise<void> {
  await queue.addBulk(
    stored.map((s) => ({
      name: QUEUES.extract,
      data: { jobId: s.jobId, documentId: s.documentId },
      opts: { ...DEFAULT_JOB_OPTIONS, jobId: s.jobId },
    })),
  );
}

/** Polls until `fn` returns something other than undefined, or fails after `timeoutMs`. */
export async function until<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until every listed job row has a terminal status, and returns the rows. */
export async function waitForJobs(db: Database, ids: readonly string[], timeoutMs = 20_000) {
  return until(
    async () => {
      const rows = await db
        .select()
        .from(jobs)
        .where(inArray(jobs.id, [...ids]));
      const done = rows.filter((r) => ['succeeded', 'failed', 'cancelled'].includes(r.status));
      return done.length === ids.length ? rows : undefined;
    },
    timeoutMs,
    `${ids.length} jobs finishing`,
  );
}

/** Worker configuration for tests: silent, fast sweeper and leases, on the test's database and Redis. */
export function pipelineWorkerConfig(
  database: { url: string; runtimeUrl?: string },
  redis: { url: string; prefix: string },
  overrides: Record<string, string> = {},
): WorkerConfig {
  return workerConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // As the runtime role, like the worker everywhere (docs/decisions/0021-database-roles.md).
    DATABASE_URL: database.runtimeUrl ?? database.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    SHUTDOWN_GRACE_MS: '5000',
    JOB_LEASE_MS: '5000',
    SWEEP_INTERVAL_MS: '0',
    ...overrides,
  });
}

/** Adds a selector to the investigation the way an analyst does (source manual), returning its id. */
export async function addSelector(
  db: Database,
  world: PipelineWorld,
  type: SelectorType,
  raw: string,
): Promise<string> {
  const n = normaliseSelector(type, raw);
  const [row] = await db
    .insert(selectors)
    .values({ type: n.type, value: n.value })
    .onConflictDoUpdate({ target: [selectors.type, selectors.value], set: { type: sql`excluded.type` } })
    .returning({ id: selectors.id });
  await db
    .insert(investigationSelectors)
    .values({
      investigationId: world.investigationId,
      selectorId: row!.id,
      source: 'manual',
      addedBy: world.userId,
      displayValue: n.displayValue,
      attributes: n.attributes,
    })
    .onConflictDoNothing();
  return row!.id;
}

/**
 * Records and enqueues an `enrich` job for selectors of the investigation, as an "enrich now" request
 * would (row with its payload, jobId = row id).
 */
export async function enqueueEnrich(
  db: Database,
  queue: Queue,
  world: PipelineWorld,
  selectorIds: string[],
  options: Partial<Omit<EnrichJobPayload, 'jobId' | 'investigationId' | 'selectorIds'>> & {
    attempts?: number;
  } = {},
): Promise<string> {
  const { attempts, ...rest } = options;
  const [row] = await db
    .insert(jobs)
    .values({
      kind: QUEUES.enrich,
      investigationId: world.investigationId,
      targetType: 'investigation',
      targetId: world.investigationId,
    })
    .returning({ id: jobs.id });
  const payload: EnrichJobPayload = {
    jobId: row!.id,
    investigationId: world.investigationId,
    selectorIds,
    ...rest,
  };
  await db.update(jobs).set({ payload }).where(eq(jobs.id, row!.id));
  await queue.add(QUEUES.enrich, payload, {
    ...DEFAULT_JOB_OPTIONS,
    ...(attempts ? { attempts } : {}),
    jobId: row!.id,
  });
  return row!.id;
}
