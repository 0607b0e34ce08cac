import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { imageExists, repoRoot, run, tail } from './docker.js';

/** The base images the project's containers use, as named in scripts/containers/base-images.env. */
export type BaseKey = 'NODE' | 'NGINX' | 'POSTGRES' | 'REDIS';

export interface BaseImage {
  key: BaseKey;
  /** Build argument / Compose variable selecting it (NODE_IMAGE, ...). */
  arg: string;
  /** What the Dockerfiles and compose files default to. */
  publicRef: string;
  /** The stand-in scripts/containers/build-base-images.sh builds from Debian packages. */
  localRef: string;
}

const ENV_FILE = path.join(repoRoot, 'scripts/containers/base-images.env');
const HARNESS = path.join(repoRoot, 'scripts/containers/build-base-images.sh');

/** Used when the harness' env file is absent (e.g. a trimmed checkout); same values as that file. */
const DEFAULTS: Record<BaseKey, Omit<BaseImage, 'key'>> = {
  NODE: { arg: 'NODE_IMAGE', publicRef: 'node:26-bookworm-slim', localRef: 'osint-base/node:26-bookworm' },
  NGINX: {
    arg: 'NGINX_IMAGE',
    publicRef: 'nginxinc/nginx-unprivileged:1.27-bookworm',
    localRef: 'osint-base/nginx:bookworm',
  },
  POSTGRES: {
    arg: 'POSTGRES_IMAGE',
    publicRef: 'postgres:15-bookworm',
    localRef: 'osint-base/postgres:15-bookworm',
  },
  REDIS: { arg: 'REDIS_IMAGE', publicRef: 'redis:7-bookworm', localRef: 'osint-base/redis:7-bookworm' },
};

/** Parses the KEY=value lines of base-images.env (no expansions, by that file's own rule). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out[line.slice(0, eq).trim()] = line
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export function readBaseImages(file = ENV_FILE): Record<BaseKey, BaseImage> {
  const env = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  const result = {} as Record<BaseKey, BaseImage>;
  for (const key of Object.keys(DEFAULTS) as BaseKey[]) {
    const d = DEFAULTS[key];
    result[key] = {
      key,
      arg: env[`${key}_IMAGE_ARG`] || d.arg,
      publicRef: env[`${key}_IMAGE_PUBLIC`] || d.publicRef,
      localRef: env[`${key}_IMAGE_LOCAL`] || d.localRef,
    };
  }
  return result;
}

export interface Resolved {
  ref: string;
  /** env: the caller's NODE_IMAGE/...; public/local: present in the engine; pulled: just pulled. */
  source: 'env' | 'public' | 'local' | 'pulled';
}

export interface Unresolved {
  ref: null;
  reason: string;
}

/**
 * Which image to use for a base, without building anything: the caller's override (NODE_IMAGE, ...),
 * else the public image when the engine has it, else the local stand-in when the engine has it, else
 * the public image pulled (bounded by pullTimeoutMs; 0 = do not pull).
 */
export async function resolveBaseImage(
  image: BaseImage,
  opts: { env?: NodeJS.ProcessEnv; pullTimeoutMs?: number } = {},
): Promise<Resolved | Unresolved> {
  const override = (opts.env ?? process.env)[image.arg];
  if (override) {
    if (await imageExists(override)) return { ref: override, source: 'env' };
    return pull(override, opts.pullTimeoutMs ?? 0, 'env');
  }
  if (await imageExists(image.publicRef)) return { ref: image.publicRef, source: 'public' };
  if (await imageExists(image.localRef)) return { ref: image.localRef, source: 'local' };
  return pull(image.publicRef, opts.pullTimeoutMs ?? 0, 'pulled');
}

async function pull(
  ref: string,
  timeoutMs: number,
  source: Resolved['source'],
): Promise<Resolved | Unresolved> {
  if (timeoutMs <= 0) return { ref: null, reason: `${ref} is not in the local engine` };
  const r = await run('docker', ['pull', '--quiet', ref], { timeoutMs });
  if (r.code === 0) return { ref, source };
  const why = r.timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : tail(r, 1);
  return { ref: null, reason: `${ref} is not in the local engine and cannot be pulled (${why})` };
}

/**
 * Base images for building and booting the stack: the public ones when the engine has them all, else
 * the air-gapped harness (scripts/containers/build-base-images.sh: builds the missing stand-ins, reuses
 * cached ones) and its stand-ins for whatever public image is absent. Explicit NODE_IMAGE/... win.
 */
export async function ensureBaseImages(
  keys: BaseKey[],
  say: (line: string) => void,
  opts: { harnessTimeoutMs?: number } = {},
): Promise<Record<BaseKey, string>> {
  const images = readBaseImages();
  const refs = {} as Record<BaseKey, string>;
  const missing: BaseKey[] = [];
  for (const key of keys) {
    const r = await resolveBaseImage(images[key]);
    if (!('reason' in r) && r.source !== 'local') refs[key] = r.ref;
    else missing.push(key);
  }
  if (missing.length > 0 && existsSync(HARNESS)) {
    say(
      `base images: running the air-gapped harness for ${missing.map((k) => images[k].localRef).join(', ')}`,
    );
    const only = missing.map((k) => k.toLowerCase()).join(',');
    const r = await run(HARNESS, ['--only', only], {
      timeoutMs: opts.harnessTimeoutMs ?? 30 * 60_000,
      onLine: (line) => {
        if (/^osint-base\/|^total:|build-base-images\.sh:/.test(line)) say(`  ${line}`);
      },
    });
    if (r.code !== 0) {
      throw new Error(`scripts/containers/build-base-images.sh failed (exit ${r.code}):\n${tail(r, 15)}`);
    }
  }
  const stillMissing: string[] = [];
  for (const key of missing) {
    if (await imageExists(images[key].localRef)) refs[key] = images[key].localRef;
    else stillMissing.push(`${images[key].publicRef} (or ${images[key].localRef})`);
  }
  if (stillMissing.length > 0) {
    throw new Error(
      `base images missing: ${stillMissing.join(', ')}. Pull them, or build the stand-ins with ` +
        'scripts/containers/build-base-images.sh (docs/containers-airgap.md).',
    );
  }
  return refs;
}
