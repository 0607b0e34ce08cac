import { existsSync } from 'node:fs';
import path from 'node:path';
import { isPortFree } from '../lib/ports.js';
import { type BaseKey, readBaseImages, resolveBaseImage } from '../stack/base-images.js';
import { findCompose, run, tail } from '../stack/docker.js';
import type { DevSettings } from './settings.js';
import { repoRoot } from './settings.js';

export interface ComposeBacking {
  databaseUrl: string;
  redisUrl: string;
  description: string;
  stop(): Promise<void>;
}

/** First start initialises the PostgreSQL volume (initdb); later starts take a few seconds. */
const HEALTHY_WITHIN_MS = 120_000;
/** A registry that does not answer must not stall npm start (air-gapped machines fail in < 1 s). */
const PULL_TIMEOUT_MS = 60_000;
/** `compose up` of two existing images; generous for a loaded laptop. */
const UP_TIMEOUT_MS = 90_000;
/** Part of npm start's Ctrl-C budget (scripts/dev/start.ts stops everything within 5 s). */
const STOP_TIMEOUT_S = 2;

const SERVICES = ['postgres', 'redis'] as const;
const IMAGE_KEYS: Record<(typeof SERVICES)[number], BaseKey> = { postgres: 'POSTGRES', redis: 'REDIS' };

/**
 * Provider (b): PostgreSQL and Redis from compose.yaml's `postgres` and `redis` services when a Docker
 * engine answers; api, worker and web still run natively with their watchers (scripts/dev/start.ts).
 * Ports are PG_PORT / REDIS_PORT on 127.0.0.1, as in native mode; data lives in the Compose volumes
 * (not .data/). Images: POSTGRES_IMAGE / REDIS_IMAGE, else the public images when present, else the
 * local air-gapped stand-ins, else a bounded pull. Returns null (npm start then uses project-local
 * processes) after saying why in one line whenever Compose cannot provide them; never hangs.
 */
export async function startComposeProvider(
  settings: DevSettings,
  say: (line: string) => void,
): Promise<ComposeBacking | null> {
  const fallback = (reason: string) => {
    say(`Compose not used (${reason}): using project-local processes`);
    return null;
  };
  if (!existsSync(path.join(repoRoot, 'compose.yaml'))) return fallback('there is no compose.yaml');
  const compose = findCompose();
  if (!compose) return fallback('neither `docker compose` nor `docker-compose` is installed');

  const bases = readBaseImages();
  const env: NodeJS.ProcessEnv = {
    PG_PORT: String(settings.pgPort),
    REDIS_PORT: String(settings.redisPort),
  };
  for (const service of SERVICES) {
    const image = bases[IMAGE_KEYS[service]];
    const resolved = await resolveBaseImage(image, { pullTimeoutMs: PULL_TIMEOUT_MS });
    if ('reason' in resolved) return fallback(`${service}: ${resolved.reason}`);
    env[image.arg] = resolved.ref;
  }

  const composeRun = (args: string[], timeoutMs: number) =>
    run(compose.argv[0] as string, [...compose.argv.slice(1), '-f', 'compose.yaml', ...args], {
      timeoutMs,
      env,
      cwd: repoRoot,
    });

  // Already running (e.g. `docker compose up` in another terminal): use them, and leave them running.
  const before = await runningContainers(composeRun);
  const ours = SERVICES.filter((s) => !before.has(s));
  for (const [service, port] of [
    ['postgres', settings.pgPort],
    ['redis', settings.redisPort],
  ] as const) {
    if (ours.includes(service) && !(await isPortFree(port))) {
      return fallback(`port ${port} for ${service} is taken by something else`);
    }
  }

  const up = await composeRun(['up', '-d', '--no-build', ...SERVICES], UP_TIMEOUT_MS);
  if (up.code !== 0) {
    return fallback(`\`compose up\` failed${up.timedOut ? ' (timed out)' : ''}: ${oneLine(tail(up, 2))}`);
  }
  const ids = await containerIds(composeRun);
  const stop = async () => {
    const toStop = ours.map((s) => ids.get(s)).filter((id): id is string => Boolean(id));
    if (toStop.length === 0) return;
    // `docker stop` on the ids: what `compose stop` does, without its start-up time; volumes stay.
    await run('docker', ['stop', '--time', String(STOP_TIMEOUT_S), ...toStop], { timeoutMs: 10_000 });
  };

  const health = await waitHealthy(ids, HEALTHY_WITHIN_MS);
  if (health !== true) {
    await stop();
    return fallback(health);
  }
  const images = SERVICES.map((s) => env[bases[IMAGE_KEYS[s]].arg]).join(', ');
  return {
    databaseUrl: `postgres://osint:osint@127.0.0.1:${settings.pgPort}/osint`,
    redisUrl: `redis://127.0.0.1:${settings.redisPort}`,
    description:
      `Compose services postgres (:${settings.pgPort}) and redis (:${settings.redisPort}) from ${images}` +
      `${ours.length < SERVICES.length ? ' (already running; left running on exit)' : '; stopped on exit, volumes kept'}`,
    stop,
  };
}

type ComposeRun = (args: string[], timeoutMs: number) => ReturnType<typeof run>;

async function containerIds(composeRun: ComposeRun): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const service of SERVICES) {
    const r = await composeRun(['ps', '-q', service], 30_000);
    const id = r.stdout.trim().split('\n')[0];
    if (r.code === 0 && id) ids.set(service, id);
  }
  return ids;
}

async function runningContainers(composeRun: ComposeRun): Promise<Set<string>> {
  const ids = await containerIds(composeRun);
  const running = new Set<string>();
  for (const [service, id] of ids) {
    const r = await run('docker', ['inspect', '--format', '{{.State.Running}}', id], { timeoutMs: 10_000 });
    if (r.stdout.trim() === 'true') running.add(service);
  }
  return running;
}

/** true once every container reports healthy; otherwise the reason, with the failing one's last log line. */
async function waitHealthy(ids: Map<string, string>, timeoutMs: number): Promise<true | string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const states: string[] = [];
    for (const [service, id] of ids) {
      const r = await run(
        'docker',
        ['inspect', '--format', '{{.State.Status}} {{.State.Health.Status}}', id],
        {
          timeoutMs: 10_000,
        },
      );
      const [status, healthStatus] = r.stdout.trim().split(' ');
      if (status !== 'running' && status !== 'created') {
        const logs = await run('docker', ['logs', '--tail', '3', id], { timeoutMs: 10_000 });
        return `${service} container ${status ?? 'unknown'}: ${oneLine(tail(logs, 1))}`;
      }
      states.push(`${service} ${healthStatus}`);
    }
    if (states.length === SERVICES.length && states.every((s) => s.endsWith(' healthy'))) return true;
    last = states.join(', ');
    await new Promise((r) => setTimeout(r, 500));
  }
  return `not healthy within ${timeoutMs / 1000} s (${last})`;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 200);
