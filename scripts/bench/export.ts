/**
 * Export benchmark (`npm run bench:export`): exports an investigation of N selectors (default 100 000) in
 * each format through a real worker process and prints the time, the file size and the worker's peak
 * resident memory (VmRSS sampled every 20 ms, and VmHWM from /proc/<pid>/status). Streaming keeps the
 * peak flat whatever N is; compare `--selectors 10000` with the default to see it.
 *
 *   npm run bench:export -- [--selectors 100000] [--formats json,csv,stix] [--heap-mb 64]
 *
 * With `--heap-mb 64` the worker's V8 old space is capped: the export still completes (it never holds the
 * investigation), and the peak then shows what it retains rather than how lazily V8 collects.
 *
 * PostgreSQL: DATABASE_URL when set (a throw-away database is created on it and dropped), otherwise an
 * embedded PostgreSQL 15 in a temporary directory. Redis: REDIS_URL when set, otherwise a local
 * redis-server on a free port. Linux only (reads /proc).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@osint/core';
import { createDbClient, investigations, jobs, runMigrations, users } from '@osint/db';
import { Queue } from 'bullmq';
import { eq, inArray } from 'drizzle-orm';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { freePort } from '../lib/ports.js';
import { ensureDatabase, quoteIdent, startLocalPostgres } from '../lib/postgres-provider.js';
import { startLocalRedis } from '../lib/redis-provider.js';
import { procAvailable, readMemory, sampleMemory, seedSelectors } from './export-fixture.js';

const { values: args } = parseArgs({
  options: {
    selectors: { type: 'string', default: '100000' },
    formats: { type: 'string', default: 'json,csv,stix' },
    /** V8 old-space cap of the worker, MB (0 = Node's default). A streaming export completes under a small cap. */
    'heap-mb': { type: 'string', default: '0' },
  },
});
const SELECTORS = Number(args.selectors);
const HEAP_MB = Number(args['heap-mb']);
const FORMATS = (args.formats ?? '').split(',').filter(Boolean) as Array<'json' | 'csv' | 'stix'>;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function withServices<T>(fn: (databaseUrl: string, redisUrl: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'osint-bench-export-'));
  chmodSync(dir, 0o755);
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dir, { recursive: true, force: true })];
  try {
    let databaseUrl: string;
    const name = `bench_export_${process.pid}`;
    if (process.env.DATABASE_URL) {
      await ensureDatabase(process.env.DATABASE_URL, name);
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      cleanups.unshift(async () => {
        const admin = postgres(process.env.DATABASE_URL as string, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
        await admin.end();
      });
    } else {
      const pg = await startLocalPostgres({
        dataDir: path.join(dir, 'pg'),
        port: await freePort(),
        persistent: false,
        database: name,
        settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
      });
      databaseUrl = pg.url;
      cleanups.unshift(() => pg.stop());
    }
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      const redis = await startLocalRedis({
        dataDir: path.join(dir, 'redis'),
        port: await freePort(),
        persistent: false,
      });
      redisUrl = redis.url;
      cleanups.unshift(() => redis.stop());
    }
    return await fn(databaseUrl, redisUrl);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}

async function main() {
  if (!procAvailable()) {
    console.log('bench:export needs /proc (Linux) to read the worker memory; skipped.');
    return;
  }
  await withServices(async (databaseUrl, redisUrl) => {
    await runMigrations(databaseUrl);
    const { db, close } = createDbClient(databaseUrl, { max: 2, applicationName: 'bench' });
    const exportDir = mkdtempSync(path.join(tmpdir(), 'osint-bench-exports-'));
    const prefix = `bench${process.pid}`;
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.export, { connection, prefix });
    const worker = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'services/worker/src/main.ts'],
      {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          DATABASE_URL: databaseUrl,
          REDIS_URL: redisUrl,
          QUEUE_PREFIX: prefix,
          WORKER_HOST: '127.0.0.1',
          WORKER_PORT: String(await freePort()),
          SWEEP_INTERVAL_MS: '0',
          EXPORT_DIR: exportDir,
          // Production refuses development secrets; the worker has none, but say who this is.
          SESSION_SECRET: 'bench-only-secret-bench-only-secret-000',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    try {
      const [user] = await db
        .insert(users)
        .values({ email: 'bench@example.test', displayName: 'Bench', passwordHash: '$argon2id$bench' })
        .returning();
      const [inv] = await db
        .insert(investigations)
        .values({ title: 'Export bench', createdBy: user!.id })
        .returning();
      let t = performance.now();
      await seedSelectors(db, inv!.id, user!.id, SELECTORS, 'bench');
      console.log(`seeded ${SELECTORS} selectors in ${Math.round(performance.now() - t)} ms`);
      // Wait until the worker is up (its health port answers).
      for (let i = 0; i < 600 && readMemory(worker.pid!).rssKb === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 5_000));
      const idle = readMemory(worker.pid!);
      console.log(
        `worker pid ${worker.pid}: idle RSS ${mb(idle.rssKb * 1024)} MB` +
          (HEAP_MB > 0 ? ` (old space capped at ${HEAP_MB} MB)` : ' (default heap)'),
      );
      for (const format of FORMATS) {
        const [row] = await db
          .insert(jobs)
          .values({
            kind: QUEUES.export,
            investigationId: inv!.id,
            targetType: 'investigation',
            targetId: inv!.id,
          })
          .returning();
        const payload = { jobId: row!.id, investigationId: inv!.id, format, requestedBy: user!.id };
        await db.update(jobs).set({ payload }).where(eq(jobs.id, row!.id));
        const sampler = sampleMemory(worker.pid!);
        t = performance.now();
        await queue.add(QUEUES.export, payload, { ...DEFAULT_JOB_OPTIONS, jobId: row!.id });
        let status = 'queued';
        while (!['succeeded', 'failed', 'cancelled'].includes(status)) {
          await new Promise((r) => setTimeout(r, 50));
          const [current] = await db
            .select()
            .from(jobs)
            .where(inArray(jobs.id, [row!.id]));
          status = current?.status ?? 'missing';
          if (status === 'failed') throw new Error(`export failed: ${current?.error}`);
        }
        const ms = performance.now() - t;
        const memory = sampler.stop();
        const file = path.join(exportDir, `${row!.id}.${format === 'stix' ? 'stix.json' : format}`);
        const bytes = statSync(file).size;
        console.log(
          `${format.padEnd(4)}: ${SELECTORS} selectors → ${mb(bytes)} MB in ${(ms / 1000).toFixed(1)} s ` +
            `(${(SELECTORS / (ms / 1000)).toFixed(0)} selectors/s); peak RSS ${mb(memory.peakRssKb * 1024)} MB, ` +
            `VmHWM ${mb(memory.hwmKb * 1024)} MB`,
        );
        rmSync(file, { force: true });
      }
    } finally {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
      await queue.close();
      await connection.quit();
      await close();
      rmSync(exportDir, { recursive: true, force: true });
    }
  });
}

await main();
