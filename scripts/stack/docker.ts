import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is scripts/stack/docker.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with every output line (stdout and stderr) as it arrives, e.g. to stream a build log. */
  onLine?: (line: string) => void;
}

/**
 * Runs a command with a hard deadline: on timeout its whole process group gets SIGTERM, then SIGKILL
 * 5 s later, so no docker/compose call can hang a caller (npm start, the stack test).
 */
export function run(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timedOut = false;
    const feed = (chunk: string) => {
      if (!opts.onLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) opts.onLine(line);
    };
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString('utf8');
      feed(b.toString('utf8'));
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
      feed(b.toString('utf8'));
    });
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // already gone
      }
    };
    let hardKill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      hardKill = setTimeout(() => kill('SIGKILL'), 5_000);
    }, opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${err.message}`, ms: Date.now() - started, timedOut });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      clearTimeout(hardKill);
      if (pending && opts.onLine) opts.onLine(pending);
      resolve({ code, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** Last lines of a command's output, for one-line error reports. */
export function tail(r: RunResult, lines = 8): string {
  const text = `${r.stdout}\n${r.stderr}`.trim().split('\n');
  return text.slice(-lines).join('\n');
}

/** Does a Docker engine answer (within 5 s)? */
export function engineAnswers(): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  return r.status === 0 && r.stdout.trim() !== '';
}

export interface ComposeCli {
  /** argv prefix: ['docker', 'compose'] or ['docker-compose']. */
  argv: string[];
  version: string;
  v2: boolean;
}

/**
 * Compose v2 (`docker compose`, what users have) when present, else docker-compose 1.x (Debian's
 * 1.29). Both read compose.yaml / compose.prod.yaml, which stick to features they share.
 */
export function findCompose(): ComposeCli | null {
  const v2 = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8', timeout: 10_000 });
  if (v2.status === 0 && v2.stdout.trim()) {
    return { argv: ['docker', 'compose'], version: v2.stdout.trim(), v2: true };
  }
  const v1 = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8', timeout: 15_000 });
  if (v1.status === 0 && v1.stdout.trim()) {
    return { argv: ['docker-compose'], version: v1.stdout.trim(), v2: false };
  }
  return null;
}

export interface BuildCli {
  /** The docker binary to run `build` with. */
  docker: string;
  env: NodeJS.ProcessEnv;
  description: string;
}

function clientMajor(docker: string): number | null {
  const r = spawnSync(docker, ['version', '--format', '{{.Client.Version}}'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  const m = /^(\d+)\./.exec(r.stdout.trim());
  return m ? Number(m[1]) : null;
}

function hasBuildx(docker: string): boolean {
  return spawnSync(docker, ['buildx', 'version'], { encoding: 'utf8', timeout: 10_000 }).status === 0;
}

/**
 * A docker CLI that builds with BuildKit (the Dockerfiles use cache and secret mounts):
 *   - any CLI with the buildx plugin (Docker 23+ builds with BuildKit through it);
 *   - a CLI older than 23 (it drives the engine's built-in BuildKit itself with DOCKER_BUILDKIT=1,
 *     e.g. Debian bookworm's docker.io 20.10);
 * looking at `docker` on PATH first, then any other docker binary on PATH or in /usr/bin. A CLI 23+
 * without buildx refuses BuildKit ("the buildx component is missing"), which is why this looks further.
 */
export function findBuildCli(): BuildCli {
  const candidates: string[] = [];
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin']) {
    if (!dir) continue;
    const file = path.join(dir, 'docker');
    try {
      accessSync(file, constants.X_OK);
      if (!candidates.includes(file)) candidates.push(file);
    } catch {
      // not there
    }
  }
  const tried: string[] = [];
  for (const docker of candidates) {
    const major = clientMajor(docker);
    if (major === null) continue;
    if (hasBuildx(docker)) {
      return { docker, env: { DOCKER_BUILDKIT: '1' }, description: `${docker} (client ${major}, buildx)` };
    }
    if (major < 23) {
      return {
        docker,
        env: { DOCKER_BUILDKIT: '1' },
        description: `${docker} (client ${major}, engine's built-in BuildKit)`,
      };
    }
    tried.push(`${docker} (client ${major}, no buildx)`);
  }
  throw new Error(
    `no docker CLI here can build with BuildKit (tried: ${tried.join(', ') || 'none found'}). ` +
      'Install the buildx plugin (docker-buildx-plugin from Docker, or docker-buildx on Debian 13+).',
  );
}

/** Does the local engine have this image (no pull)? */
export async function imageExists(ref: string): Promise<boolean> {
  const r = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 15_000 });
  return r.code === 0;
}

/** The image id a reference points to, or null. */
export async function imageId(ref: string): Promise<string | null> {
  const r = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 15_000 });
  return r.code === 0 ? r.stdout.trim() : null;
}

/** Image size in bytes as `docker images` reports it (uncompressed, all layers). */
export async function imageSize(ref: string): Promise<number | null> {
  const r = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', ref], { timeoutMs: 15_000 });
  return r.code === 0 ? Number(r.stdout.trim()) : null;
}

export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
