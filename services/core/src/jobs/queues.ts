import { z } from 'zod';

/**
 * Queue names; one processor per job name (house style 7). The BullMQ job name equals the queue name and
 * the BullMQ job id equals the `jobs` row id.
 */
export const QUEUES = {
  diagnostic: 'diagnostic',
  /** Document → text, selectors, mentions, `mentions` relationships (services/worker extract.processor). */
  extract: 'extract',
  /** Selectors → attributes, derived selectors and relationships (services/worker enrich.processor). */
  enrich: 'enrich',
  /**
   * Investigation → export file (JSON, CSV, STIX 2.1) (services/worker export.processor; payload schema in
   * core/src/export).
   */
  export: 'export',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Payload of the `diagnostic` job: proves the API → Redis → worker → PostgreSQL path end to end. It carries
 * only ids (house style 7): the worker reads what it needs from PostgreSQL.
 */
export const diagnosticJobPayload = z.object({ jobId: z.uuid() });
export type DiagnosticJobPayload = z.infer<typeof diagnosticJobPayload>;

/**
 * Payload of the `extract` job, exactly what the API sends when it stores a document: the job row and the
 * document. Everything else (bytes, media type, the investigation's region and allow-list) is read from
 * PostgreSQL when the job runs, so a retry sees the current allow-list.
 */
export const extractJobPayload = z.object({ jobId: z.uuid(), documentId: z.uuid() });
export type ExtractJobPayload = z.infer<typeof extractJobPayload>;

/** Most selectors one enrich job takes; larger sets are split into several jobs. */
export const MAX_ENRICH_SELECTORS_PER_JOB = 500;

/**
 * Payload of the `enrich` job: which selectors of which investigation to enrich.
 * - `scope`: `offline` runs only providers that need no network (what extraction enqueues by itself);
 *   `all` adds network providers (DNS...) when the worker allows them (`ENRICH_NETWORK=true`). Asking a DNS
 *   server about a suspect name can tip off its operator, so network look-ups happen only on request.
 * - `providers`: restricts to these provider names (default: every provider of the scope).
 * - `refresh`: ignore cached answers younger than their TTL and ask again.
 * - `requestedBy`: the person whose request this is (a user id), recorded next to the job as creator.
 */
export const enrichJobPayload = z.object({
  jobId: z.uuid(),
  investigationId: z.uuid(),
  selectorIds: z.array(z.uuid()).min(1).max(MAX_ENRICH_SELECTORS_PER_JOB),
  scope: z.enum(['offline', 'all']).default('offline'),
  providers: z.array(z.string().min(1).max(100)).max(50).optional(),
  refresh: z.boolean().default(false),
  requestedBy: z.uuid().optional(),
});
export type EnrichJobPayload = z.input<typeof enrichJobPayload>;

/** Retry policy shared by producers; failed jobs are kept for inspection (house style 7). */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  // Exponential backoff with 50 % jitter so retries of a burst do not stampede a recovering dependency.
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
} as const;

/** BullMQ prefix; tests set a unique one per file so parallel files never share queues. */
export const DEFAULT_QUEUE_PREFIX = 'osint';
