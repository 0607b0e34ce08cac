/**
 * The Compose profile's Prometheus configuration and the alert rules, run by a real Prometheus (Debian's
 * `prometheus` package; skipped with a message without it) against a real API and worker on this file's
 * PostgreSQL and Redis: both targets are scraped, the queue, pool and HTTP series arrive with the labels
 * the rules and dashboard select, and every rule group evaluates without error on them. Only the container
 * around Prometheus is missing (no image registry here): docs/operations.md#compose-observability-profile.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiConfigSchema, closeDeps, createApp, createDeps } from '@osint/api';
import { createLogger, QUEUES } from '@osint/core';
import { createWorkerRuntime, DEFAULT_PROCESSORS, startHealthServer } from '@osint/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createTestUser } from '../support/api-fixtures.js';
import { pipelineWorkerConfig, until } from '../support/pipeline.js';
import { repoRoot, spawnTracked } from '../support/processes.js';
import { createTestDatabase, createTestRedis } from '../support/test-env.js';

const hasPrometheus = spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasPrometheus)
  console.warn('[integration] SKIPPING prometheus-scrape: install Debian package `prometheus`');

async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Everything the test starts, stopped in reverse order after the file. */
const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});
// The file's database and Redis key space only where the test runs.
const world = hasPrometheus ? { database: await createTestDatabase(), redis: createTestRedis() } : undefined;

interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
}

describe.skipIf(!hasPrometheus)('Prometheus scrapes the API and worker and evaluates the rules', () => {
  it('targets up, platform series present, every rule group healthy', async () => {
    if (!world) throw new Error('unreachable: skipped without prometheus');
    const { database, redis } = world;
    const config = apiConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
    });
    const deps = createDeps(config, createLogger('api', 'silent'));
    cleanups.push(() => closeDeps(deps));
    const api = createApp(deps).listen(0, '127.0.0.1');
    await new Promise((resolve) => api.once('listening', resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          api.close(resolve);
          api.closeAllConnections(); // the test's own keep-alive fetches
        }),
    );
    const runtime = createWorkerRuntime(
      pipelineWorkerConfig(database, redis),
      createLogger('worker', 'silent'),
      {
        [QUEUES.diagnostic]: DEFAULT_PROCESSORS[QUEUES.diagnostic]!,
      },
    );
    cleanups.push(() => runtime.close('test'));
    const health = await startHealthServer(runtime, 0, '127.0.0.1');
    cleanups.push(() => health.close());
    const apiPort = (api.address() as AddressInfo).port;
    const workerPort = (health.address() as AddressInfo).port;

    // Traffic and one finished job, so the histograms and queue counts have something to show.
    const admin = await createTestUser(database.client.db, { role: 'admin' });
    const res = await fetch(`http://127.0.0.1:${apiPort}/api/v1/diagnostics/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.apiToken}` },
    });
    expect(res.status).toBe(202);

    // The Compose profile's prometheus.yml, pointed at these processes and this checkout's rule file.
    const compose = parse(
      readFileSync(path.join(repoRoot, 'docker/observability/prometheus.yml'), 'utf8'),
    ) as {
      global: Record<string, string>;
      rule_files: string[];
      scrape_configs: ScrapeConfig[];
    };
    const local: Record<string, string> = {
      'api:4000': `127.0.0.1:${apiPort}`,
      'worker:4001': `127.0.0.1:${workerPort}`,
    };
    const promPort = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'osint-prometheus-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configFile = path.join(dir, 'prometheus.yml');
    writeFileSync(
      configFile,
      stringify({
        global: { ...compose.global, scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [path.join(repoRoot, 'k8s/base/monitoring/osint-platform.rules.yaml')],
        scrape_configs: compose.scrape_configs.map((job) => ({
          ...job,
          static_configs: job.static_configs
            .filter((c) => c.targets.every((t) => t in local))
            .map((c) => ({ ...c, targets: c.targets.map((t) => local[t]) })),
        })),
      }),
    );
    const prometheus = spawnTracked(
      'prometheus',
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      {},
    );
    cleanups.push(async () => {
      prometheus.child.kill('SIGTERM');
      await prometheus.exited;
    });
    await prometheus.waitFor(/Server is ready to receive web requests/, 30_000);
    const query = async (path: string) => {
      const r = await fetch(`http://127.0.0.1:${promPort}${path}`);
      return ((await r.json()) as { data: unknown }).data;
    };
    const instant = async (expr: string) =>
      (await query(`/api/v1/query?query=${encodeURIComponent(expr)}`)) as {
        result: Array<{ metric: Record<string, string>; value: [number, string] }>;
      };

    await until(
      async () => {
        const { activeTargets } = (await query('/api/v1/targets')) as {
          activeTargets: Array<{ labels: { job: string }; health: string }>;
        };
        const up = activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.job);
        return up.includes('osint-api') && up.includes('osint-worker') ? true : undefined;
      },
      30_000,
      'api and worker targets up',
    );
    await until(
      async () => {
        const done = await instant('osint_queue_jobs{queue="diagnostic", state="completed"}');
        return done.result[0]?.value[1] === '1' ? true : undefined;
      },
      30_000,
      'the finished job in osint_queue_jobs',
    );
    const pool = await instant('osint_db_pool_size{}');
    expect(pool.result.map((r) => [r.metric.job, r.metric.pool, r.value[1]]).sort()).toEqual([
      ['osint-api', 'api', String(config.DB_POOL_MAX)],
      ['osint-worker', 'worker', '5'],
    ]);
    const http = await instant('http_request_duration_seconds_count{route="/api/v1/diagnostics/jobs"}');
    expect(http.result[0]?.metric).toMatchObject({
      job: 'osint-api',
      service: 'api',
      method: 'POST',
      status: '202',
    });
    expect(
      (await instant('osint_queue_oldest_waiting_seconds{queue="diagnostic"}')).result[0]?.value[1],
    ).toBe('0');

    // Every group evaluated at least once, without an error, on these real series.
    await until(
      async () => {
        const { groups } = (await query('/api/v1/rules')) as {
          groups: Array<{
            name: string;
            lastEvaluation: string;
            rules: Array<{ name: string; health: string; lastError?: string }>;
          }>;
        };
        return groups.length > 0 && groups.every((g) => !g.lastEvaluation.startsWith('0001'))
          ? groups
          : undefined;
      },
      30_000,
      'every rule group evaluated',
    ).then((groups) => {
      expect(groups.map((g) => g.name).sort()).toEqual([
        'osint-api',
        'osint-database',
        'osint-db-pool',
        'osint-jobs',
        'osint-process',
        'osint-queues',
      ]);
      const unhealthy = groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok');
      expect(unhealthy).toEqual([]);
    });
    // With one job done and nothing waiting, none of the queue or pool alerts is even pending.
    const { alerts } = (await query('/api/v1/alerts')) as {
      alerts: Array<{ labels: { alertname: string } }>;
    };
    expect(alerts.map((a) => a.labels.alertname).filter((n) => /Queue|Pool/.test(n))).toEqual([]);
  });
});
