import { isIP } from 'node:net';
import {
  DEV_DATABASE_SECRET,
  extractionSettings,
  port,
  positiveInt,
  refuseDevSecrets,
  serviceSettings,
} from '@osint/core';
import { z } from 'zod';

const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const flag = (fallback: boolean) => z.stringbool().default(fallback);

/**
 * `DNS_RESOLVERS`: comma-separated `ip`, `ip:port` or `[ipv6]:port` entries, as `dns.Resolver#setServers`
 * takes them. Empty means the system's resolvers (/etc/resolv.conf).
 */
const dnsResolvers = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine(
    (list) =>
      list.every((entry) => {
        const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry) ?? /^([^:]+)(?::(\d{1,5}))?$/.exec(entry);
        const host = m?.[1] ?? entry;
        const p = m?.[2] === undefined ? 53 : Number(m[2]);
        return isIP(host) !== 0 && p > 0 && p < 65536;
      }),
    { message: 'must be comma-separated IP addresses, optionally with :port ([v6]:port for IPv6)' },
  );

/**
 * Every variable the worker reads; parsed once at start-up (house style 5). Like the API, production refuses
 * the published development database password.
 */
export const workerConfigSchema = z
  .object({
    ...serviceSettings,
    WORKER_HOST: z.string().min(1).default('0.0.0.0'),
    WORKER_PORT: port(4001),
    WORKER_CONCURRENCY: positiveInt(4),
    DB_POOL_MAX: positiveInt(5),
    /** How long a `running` job row stays vouched for; renewed every third of it while the job runs. */
    JOB_LEASE_MS: positiveInt(60_000),
    /** BullMQ lock duration: a crashed worker's active job is taken back by BullMQ after about this long. */
    JOB_LOCK_MS: positiveInt(30_000),
    /** How often BullMQ looks for stalled (crashed) active jobs. */
    JOB_STALLED_INTERVAL_MS: positiveInt(30_000),
    /** How often the sweeper looks for expired leases and lost queue entries; 0 turns it off. */
    SWEEP_INTERVAL_MS: nonNegativeInt(30_000),
    /** A `queued` row whose queue entry is missing for longer than this is re-enqueued by the sweeper. */
    ORPHAN_GRACE_MS: positiveInt(60_000),
    /** Enqueue offline enrichment of the selectors a document produced, after its extraction. */
    ENRICH_AFTER_EXTRACT: flag(true),
    /** Allow providers that use the network (DNS) for jobs that ask for them (`scope: all`). */
    ENRICH_NETWORK: flag(false),
    DNS_RESOLVERS: dnsResolvers,
    DNS_TIMEOUT_MS: positiveInt(3_000),
    /**
     * Hours a finished export file is kept before the sweeper deletes it and marks the job's result expired;
     * 0 keeps files forever. A week by default: long enough to download, short enough that copies of
     * collected material do not pile up on the shared volume.
     */
    EXPORT_RETENTION_HOURS: nonNegativeInt(168),
    ...extractionSettings,
  })
  .superRefine(refuseDevSecrets([DEV_DATABASE_SECRET]));

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
