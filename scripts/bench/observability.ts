/**
 * What observability costs (issue 7), measured rather than asserted:
 *   0. what AsyncLocalStorage costs every await once enabled (Node 20 propagates the store through a
 *      promise hook, process-wide), measured before anything in this process enables it;
 *   1. CPU per request of the API's request-context middleware and of its trace part;
 *   2. one worker /metrics scrape (four queues sampled from Redis: counts and the oldest waiting job) with
 *      an empty backlog and with 10 000 waiting jobs per queue;
 *   3. the SQL pool tracker's wrapper around one statement-shaped promise, in-process.
 *
 *   node --conditions=source --import tsx scripts/bench/observability.ts [--jobs 10000]
 *
 * Redis: REDIS_URL when set (keys under a throw-away prefix, removed afterwards), else a local
 * redis-server on a free port. Figures vary with the machine's load: the load average is printed beside.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { requestContext } from '@osint/api';
import { createLogger } from '@osint/core';
import { traceMiddleware, trackPool } from '@osint/core/telemetry/index';
import { registerQueueMetrics } from '@osint/worker';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { freePort } from '../lib/ports.js';
import { startLocalRedis } from '../lib/redis-provider.js';

const { values: args } = parseArgs({
  options: { jobs: { type: 'string', default: '10000' } },
});
const JOBS = Number(args.jobs);

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** ns per `await` of a resolved promise: fastest of three runs of 1M. */
async function awaitCost(): Promise<number> {
  const N = 1_000_000;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await Promise.resolve(i);
    best = Math.min(best, performance.now() - t0);
  }
  return Math.round((best * 1e6) / N);
}

/**
 * CPU per request of the middleware alone, in-process on stand-in request/response objects (loopback load
 * tests on a shared 2-core machine drown a few microseconds in noise): the trace part (traceMiddleware:
 * parse traceparent, new span id, AsyncLocalStorage.run) and the whole requestContext (plus request id,
 * child logger, bound 'finish' listener, and the access line at a silent level).
 */
async function middlewareCost() {
  const logger = createLogger('bench', 'silent');
  const headers: Record<string, string> = {
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'x-request-id': 'bench-1',
  };
  const request = () =>
    ({ get: (name: string) => headers[name], method: 'GET', originalUrl: '/ping', path: '/ping' }) as never;
  const response = () => {
    const res = new EventEmitter() as EventEmitter & Record<string, unknown>;
    res.statusCode = 200;
    res.setHeader = () => res;
    res.set = () => res;
    return res as never;
  };
  const measure = (mw: (req: never, res: never, next: () => void) => void) => {
    const n = 50_000;
    for (let i = 0; i < 5_000; i++) mw(request(), response(), () => {}); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const res = response();
      mw(request(), res, () => {});
      (res as unknown as EventEmitter).emit('finish');
    }
    return ((performance.now() - t0) * 1000) / n;
  };
  // Interleaved rounds, the fastest of each kept: GC and the neighbours' load only ever add time.
  const kinds = {
    none: (_req: never, _res: never, next: () => void) => next(),
    trace: traceMiddleware(),
    context: requestContext(logger) as never,
  };
  const best = {
    none: Number.POSITIVE_INFINITY,
    trace: Number.POSITIVE_INFINITY,
    context: Number.POSITIVE_INFINITY,
  };
  for (let round = 0; round < 5; round++) {
    for (const kind of ['none', 'trace', 'context'] as const)
      best[kind] = Math.min(best[kind], measure(kinds[kind]));
  }
  return {
    none: round(best.none, 2),
    trace: round(best.trace - best.none, 2),
    context: round(best.context - best.none, 2),
  };
}

async function scrapes(queues: Queue[], n: number) {
  const registry = new Registry();
  registerQueueMetrics(registry, queues);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await registry.metrics();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 1_100)); // past the shared-sample window: every scrape reads Redis
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 0.5), 2), p95: round(percentile(times, 0.95), 2) };
}

async function main() {
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const before = await awaitCost();
  new AsyncLocalStorage().run({}, () => {});
  const after = await awaitCost();
  console.log(
    `await with AsyncLocalStorage enabled: ${after} ns (before: ${before} ns) → +${after - before} ns per await`,
  );
  const cost = await middlewareCost();
  console.log(
    `api middleware CPU per request: traceMiddleware ${cost.trace} µs, whole requestContext ${cost.context} µs (stand-in objects cost ${cost.none} µs)`,
  );

  let dir: string | undefined;
  let local: Awaited<ReturnType<typeof startLocalRedis>> | undefined;
  let url = process.env.REDIS_URL;
  if (!url) {
    dir = mkdtempSync(path.join(tmpdir(), 'osint-bench-redis-'));
    local = await startLocalRedis({ dataDir: dir, port: await freePort(), persistent: false });
    url = local.url;
  }
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const prefix = `bench-obs-${process.pid}`;
  const queues = ['diagnostic', 'extract', 'enrich', 'export'].map(
    (name) => new Queue(name, { connection, prefix }),
  );
  try {
    const empty = await scrapes(queues, 20);
    console.log(
      `worker queue scrape, empty queues:        p50 ${empty.p50} ms, p95 ${empty.p95} ms (4 queues)`,
    );
    for (const queue of queues) {
      for (let i = 0; i < JOBS; i += 1_000) {
        await queue.addBulk(
          Array.from({ length: Math.min(1_000, JOBS - i) }, (_, k) => ({
            name: queue.name,
            data: { n: i + k },
          })),
        );
      }
    }
    const full = await scrapes(queues, 20);
    console.log(
      `worker queue scrape, ${JOBS} waiting each: p50 ${full.p50} ms, p95 ${full.p95} ms (4 queues)`,
    );

    const fake = {
      unsafe: () => {
        const q = Promise.resolve([]) as Promise<unknown[]> & { handle?: () => void };
        q.handle = () => {};
        return q;
      },
      begin: async () => [],
    };
    const untracked = { ...fake };
    trackPool(fake, 10);
    const time = async (sql: typeof fake) => {
      const t0 = performance.now();
      for (let i = 0; i < 200_000; i++) {
        const q = sql.unsafe();
        q.handle?.();
        await q;
      }
      return ((performance.now() - t0) * 1000) / 200_000;
    };
    await time(untracked);
    const base = await time(untracked);
    const tracked = await time(fake);
    console.log(
      `pool tracker: ${round(tracked - base, 3)} µs per statement (${round(base, 3)} → ${round(tracked, 3)} µs per await)`,
    );
  } finally {
    await Promise.all(queues.map((q) => q.obliterate({ force: true }).catch(() => {})));
    await Promise.all(queues.map((q) => q.close()));
    await connection.quit();
    await local?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
