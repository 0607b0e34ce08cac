import path from 'node:path';
import { runMigrations, seedIfEmpty } from '@osint/db';
import { FixableError } from '../lib/errors.js';
import { waitForPort } from '../lib/ports.js';
import { embeddedLibDir, loadNativeServerSettings } from '../lib/postgres-config.js';
import {
  DEV_LOGIN_ROLES,
  ensureLoginRoles,
  startLocalPostgres,
  urlAsRole,
} from '../lib/postgres-provider.js';
import { startLocalRedis } from '../lib/redis-provider.js';
import { composeApplies, printFindings, runChecks } from './checks.js';
import { startComposeProvider } from './compose-provider.js';
import { hotRunner } from './hot-runner-command.js';
import { formatLine } from './log-lines.js';
import { dataDir, devSettings, repoRoot } from './settings.js';
import { Supervisor } from './supervisor.js';

/** Everything stops within this budget after Ctrl-C / SIGTERM (issue 2: 5 s). */
const STOP_BUDGET_MS = 4_500;

/** Redis start-up banner lines and the container-irrelevant overcommit advice: hidden to keep the log readable. */
const REDIS_NOISE =
  /oO0OoO0OoO0Oo|Redis version=|Configuration loaded|Server initialized|overcommit|Ready to accept/;

const say = (line: string) => console.log(formatLine('stack', line));
const settings = devSettings();
const stoppers: Array<() => Promise<void>> = [];
const supervisor = new Supervisor();
let stopping = false;
/** Where the data lives, for the stop message: `.data/` natively, the Compose volumes with provider (b). */
let dataKeptIn = path.relative(repoRoot, dataDir) || dataDir;

async function stopEverything(reason: string, code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  const started = Date.now();
  say(`stopping (${reason})…`);
  const killed = await supervisor.stopAll(Math.max(1_000, STOP_BUDGET_MS - 1_500));
  if (killed.length > 0) say(`forced to kill: ${killed.join(', ')}`);
  for (const stop of stoppers.reverse()) await stop().catch(() => {});
  say(`stopped in ${Date.now() - started} ms; data kept in ${dataKeptIn}`);
  process.exit(code);
}

process.on('SIGINT', () => void stopEverything('SIGINT', 0));
process.on('SIGTERM', () => void stopEverything('SIGTERM', 0));
// A closed terminal: PostgreSQL and Redis run in their own process groups, so stop them here.
process.on('SIGHUP', () => void stopEverything('SIGHUP', 0));

interface Backing {
  /** The runtime role's URL: the API and the worker connect with it (docs/decisions/0021-database-roles.md). */
  databaseUrl: string;
  /** The owner role's URL: migrations and the seed. */
  migrationUrl: string;
  redisUrl: string;
  description: string;
}

/** Provider order (issue 2): environment URLs, then Compose when a Docker engine answers, then local processes. */
async function provideBacking(useCompose: boolean): Promise<Backing> {
  if (settings.databaseUrl && settings.redisUrl) {
    return {
      databaseUrl: settings.databaseUrl,
      migrationUrl: settings.migrationDatabaseUrl ?? settings.databaseUrl,
      redisUrl: settings.redisUrl,
      description: 'DATABASE_URL and REDIS_URL from the environment',
    };
  }
  if (useCompose) {
    const compose = await startComposeProvider(settings, say);
    if (compose) {
      stoppers.push(compose.stop);
      dataKeptIn = 'the Compose volumes (`docker volume ls`)';
      return { ...compose, ...(await withRuntimeRole(compose.databaseUrl)) };
    }
  }
  const database = settings.databaseUrl
    ? {
        databaseUrl: settings.databaseUrl,
        migrationUrl: settings.migrationDatabaseUrl ?? settings.databaseUrl,
      }
    : await (async () => {
        const pg = await startLocalPostgres({
          dataDir: path.join(dataDir, 'postgres'),
          port: settings.pgPort,
          persistent: true,
          ownProcessGroup: true,
          // The same tuned file Compose and k8s dev mount (docs/operations.md), as -c flags.
          settings: loadNativeServerSettings({
            libDir: await embeddedLibDir(),
            onNote: (line) => console.log(formatLine('postgres', line)),
          }),
          onLog: (line) => {
            if (/ERROR|FATAL|PANIC|WARNING/.test(line)) console.log(formatLine('postgres', line));
          },
        });
        stoppers.push(pg.stop);
        return withRuntimeRole(pg.url);
      })();
  const redisUrl =
    settings.redisUrl ??
    (await (async () => {
      const redis = await startLocalRedis({
        dataDir: path.join(dataDir, 'redis'),
        port: settings.redisPort,
        persistent: true,
        ownProcessGroup: true,
        onLog: (line) => {
          if (!REDIS_NOISE.test(line)) console.log(formatLine('redis', line));
        },
      });
      stoppers.push(redis.stop);
      return redis.url;
    })());
  return {
    ...database,
    redisUrl,
    description: `project-local processes: PostgreSQL 15 on :${settings.pgPort}, Redis on :${settings.redisPort} (data in ${path.relative(repoRoot, dataDir) || dataDir})`,
  };
}

/**
 * On a server this stack owns (native or Compose), the bootstrap role owns the objects and runs the
 * migrations; the development runtime and backup logins are made sure of here (a Compose volume from
 * before they existed gets them too), and the API and the worker connect as the runtime role.
 */
async function withRuntimeRole(ownerUrl: string): Promise<Pick<Backing, 'databaseUrl' | 'migrationUrl'>> {
  await ensureLoginRoles(ownerUrl, DEV_LOGIN_ROLES);
  const runtime = DEV_LOGIN_ROLES[0];
  if (!runtime) throw new Error('no development runtime role');
  return { databaseUrl: urlAsRole(ownerUrl, runtime), migrationUrl: ownerUrl };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const useCompose = composeApplies(settings);
  // With Compose, PostgreSQL and Redis may already be up on their ports: only check the app's own.
  const findings = await runChecks(settings, { native: !useCompose });
  const errors = findings.filter((f) => f.level === 'error' && !(f.check === 'data' && settings.databaseUrl));
  if (errors.length > 0) {
    printFindings(errors, say);
    say('fix the problems above (or run `npm run doctor` for the full report) and run npm start again');
    process.exit(1);
  }
  printFindings(
    findings.filter((f) => f.level === 'warn'),
    say,
  );

  const backing = await provideBacking(useCompose);
  say(`PostgreSQL + Redis: ${backing.description}`);

  try {
    const migrated = await runMigrations(backing.migrationUrl);
    say(`migrations: ${migrated.applied} applied, ${migrated.total} in total (${migrated.ms} ms)`);
    say(`database roles: runtime ${migrated.roles.runtime}; backup ${migrated.roles.backup}`);
  } catch (error) {
    throw new FixableError(
      `migrations failed: ${(error as Error).message}`,
      'fix the migration (db/migrations) or the database; `npm run db:migrate` retries alone. Nothing else was started',
    );
  }
  const seeded = await seedIfEmpty(backing.migrationUrl);
  say(`seed: ${seeded.seeded ? 'loaded' : 'skipped'} (${seeded.reason})`);

  const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: backing.databaseUrl,
    REDIS_URL: backing.redisUrl,
    API_PORT: String(settings.apiPort),
    WORKER_PORT: String(settings.workerPort),
    WEB_PORT: String(settings.webPort),
    API_URL: `http://127.0.0.1:${settings.apiPort}`,
    SHUTDOWN_GRACE_MS: process.env.SHUTDOWN_GRACE_MS ?? '2000',
    FORCE_COLOR: process.stdout.isTTY ? '1' : '0',
  };
  const exitWatch = (name: string) => (code: number | null) => {
    if (!stopping)
      say(`${name} exited (code ${code}); the others keep running — fix it and restart npm start`);
  };
  // API and worker reload on save through the hot runner (a warm stand-by process; see hot-runner.ts).
  supervisor.start(
    { name: 'api', ...hotRunner('api', 'services/api/src/main.ts'), cwd: repoRoot, env },
    exitWatch('api'),
  );
  supervisor.start(
    { name: 'worker', ...hotRunner('worker', 'services/worker/src/main.ts'), cwd: repoRoot, env },
    exitWatch('worker'),
  );
  supervisor.start(
    {
      name: 'web',
      command: bin('vite'),
      args: ['--port', String(settings.webPort), '--strictPort', '--host', '127.0.0.1'],
      cwd: path.join(repoRoot, 'web'),
      env,
    },
    exitWatch('web'),
  );

  const [apiReady, webReady] = await Promise.all([
    waitForHttp(`http://127.0.0.1:${settings.apiPort}/readyz`, 90_000),
    waitForPort(settings.webPort, '127.0.0.1', 90_000).then(
      () => true,
      () => false,
    ),
  ]);
  if (stopping) return;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  say(
    `${apiReady && webReady ? 'ready' : 'started, but not everything is ready (see the log above)'} in ${seconds} s`,
  );
  for (const line of [
    `  Web        http://localhost:${settings.webPort}`,
    `  API        http://localhost:${settings.apiPort}/api/v1`,
    `  API docs   http://localhost:${settings.apiPort}/api/v1/docs`,
    `  Metrics    http://localhost:${settings.apiPort}/metrics  (worker: http://localhost:${settings.workerPort}/metrics)`,
    '  Ctrl-C stops everything; data stays in .data/',
  ]) {
    say(line);
  }
}

main().catch(async (error) => {
  if (error instanceof FixableError) {
    say(`✘ ${error.message}`);
    say(`  fix: ${error.fix}`);
  } else {
    say(`✘ npm start failed: ${(error as Error).message}`);
    say('  fix: run `npm run doctor`; docs/development.md#troubleshooting covers the usual causes');
  }
  await stopEverything('start-up failed', 1);
});
