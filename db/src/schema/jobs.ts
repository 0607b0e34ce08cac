import { JOB_STATUSES } from '@osint/contracts';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { investigations } from './investigations.js';

export const jobStatus = pgEnum('job_status', JOB_STATUSES);

/**
 * Durable record of every background job. BullMQ's job id is this row's id, so a job enqueued twice for the
 * same row is de-duplicated by Redis and its outcome survives a Redis flush.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    status: jobStatus('status').notNull().default('queued'),
    /** The investigation the job works for (null for platform-wide jobs); deleted with it. */
    investigationId: uuid('investigation_id').references(() => investigations.id, { onDelete: 'cascade' }),
    targetType: text('target_type'),
    targetId: uuid('target_id'),
    attempts: integer('attempts').notNull().default(0),
    progress: integer('progress').notNull().default(0),
    error: text('error'),
    result: jsonb('result'),
    requestId: text('request_id'),
    /**
     * The queue payload (ids only, house style 7), so the job can be re-enqueued from PostgreSQL alone when
     * Redis lost it (the worker's sweeper). Null for jobs whose payload follows from kind + target.
     */
    payload: jsonb('payload'),
    /**
     * Until when the worker running the job vouches for it; the worker renews it while it works. A
     * `running` row past its lease belongs to a dead worker: the sweeper fails or re-queues it.
     */
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_status_created_idx').on(t.status, t.createdAt),
    index('jobs_target_idx').on(t.targetType, t.targetId),
    index('jobs_investigation_idx').on(t.investigationId, t.createdAt),
    index('jobs_running_lease_idx').on(t.leaseExpiresAt).where(sql`${t.status} = 'running'`),
    check('jobs_progress_range', sql`${t.progress} between 0 and 100`),
  ],
);
