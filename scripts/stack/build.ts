import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBaseImages } from './base-images.js';
import { type BuildCli, findBuildCli, imageId, imageSize, mb, repoRoot, run, tail } from './docker.js';

/**
 * `npm run stack:build`: builds the project's images with BuildKit, on whatever base images this
 * machine has (public ones, or the air-gapped stand-ins, see base-images.ts):
 *   osint-api:latest (production)  osint-api:dev    docker/api.Dockerfile
 *   osint-web:latest (production)  osint-web:dev    docker/web.Dockerfile
 *
 *   npm run stack:build -- [--only api|web] [--target production|dev] [--no-cache] [--tag TAG]
 *                          [--ca FILE] [--no-host-ca] [--npmrc FILE] [--verbose]
 *
 * npm trusts the host's CA bundle during the build through a BuildKit secret (npm_ca; never a layer);
 * --ca adds a corporate CA file instead, --npmrc passes a registry token file (secret npmrc).
 * OSINT_BUILD_NETWORK=host|default forces the build network (probed otherwise: host only when the
 * default bridge cannot reach the npm registry).
 */

export type ImageName = 'api' | 'web';
export type Target = 'production' | 'dev';

export const IMAGES: Record<ImageName, { repo: string; dockerfile: string }> = {
  api: { repo: 'osint-api', dockerfile: 'docker/api.Dockerfile' },
  web: { repo: 'osint-web', dockerfile: 'docker/web.Dockerfile' },
};

export function imageRef(image: ImageName, target: Target, tag = 'latest'): string {
  return `${IMAGES[image].repo}:${target === 'dev' ? 'dev' : tag}`;
}

export interface BuildOptions {
  cli: BuildCli;
  bases: { NODE: string; NGINX: string };
  noCache?: boolean;
  caFile?: string | null;
  npmrc?: string | null;
  network?: string | null;
  tag?: string;
  say: (line: string) => void;
  verbose?: boolean;
  timeoutMs?: number;
  /** Build context directory (default: the repository root). */
  context?: string;
}

export interface BuildResult {
  ref: string;
  ms: number;
  bytes: number;
  /** BuildKit's plain progress output (shows which steps were CACHED). */
  log: string;
}

const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';

/** Decides the `docker build --network` value: the env override, else bridge unless it has no egress. */
export async function probeBuildNetwork(nodeImage: string): Promise<string | null> {
  const forced = process.env.OSINT_BUILD_NETWORK;
  if (forced) return forced === 'default' ? null : forced;
  const registry = await run('npm', ['config', 'get', 'registry'], { timeoutMs: 15_000 });
  const url = new URL(registry.stdout.trim() || 'https://registry.npmjs.org/');
  const port = url.port || (url.protocol === 'http:' ? '80' : '443');
  const probe = `require('net').connect(${port},${JSON.stringify(url.hostname)}).on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`;
  const bridge = await run('docker', ['run', '--rm', '--entrypoint', 'node', nodeImage, '-e', probe], {
    timeoutMs: 20_000,
  });
  return bridge.code === 0 ? null : 'host';
}

export async function buildImage(image: ImageName, target: Target, opts: BuildOptions): Promise<BuildResult> {
  const ref = imageRef(image, target, opts.tag);
  const args = [
    'build',
    '--progress=plain',
    '-f',
    IMAGES[image].dockerfile,
    '--target',
    target,
    '--build-arg',
    `NODE_IMAGE=${opts.bases.NODE}`,
    '-t',
    ref,
  ];
  if (image === 'web') args.push('--build-arg', `NGINX_IMAGE=${opts.bases.NGINX}`);
  if (opts.noCache) args.push('--no-cache');
  if (opts.network) args.push('--network', opts.network);
  if (opts.caFile) args.push('--secret', `id=npm_ca,src=${opts.caFile}`);
  if (opts.npmrc) args.push('--secret', `id=npmrc,src=${opts.npmrc}`);
  args.push(opts.context ?? '.');
  const previous = await imageId(ref);
  const r = await run(opts.cli.docker, args, {
    timeoutMs: opts.timeoutMs ?? 20 * 60_000,
    env: opts.cli.env,
    onLine: opts.verbose ? (line) => opts.say(`  ${line}`) : undefined,
  });
  if (r.code !== 0) {
    throw new Error(
      `building ${ref} failed${r.timedOut ? ' (timed out)' : ''}: ${opts.cli.docker} ${args.join(' ')}\n${tail(r, 30)}`,
    );
  }
  // The image this tag pointed to before: removed when no tag refers to it any more (dangling), so
  // repeated builds do not pile up images; never when another tag still does (`rmi <id>` would drop
  // that tag too). Fails harmlessly when a container still uses it.
  if (previous && previous !== (await imageId(ref))) {
    const tags = await run('docker', ['image', 'inspect', '--format', '{{len .RepoTags}}', previous], {
      timeoutMs: 15_000,
    });
    if (tags.code === 0 && tags.stdout.trim() === '0') {
      await run('docker', ['image', 'rm', previous], { timeoutMs: 60_000 });
    }
  }
  const bytes = (await imageSize(ref)) ?? 0;
  return { ref, ms: r.ms, bytes, log: `${r.stdout}\n${r.stderr}` };
}

/** Everything a build needs that is the same for all four images. */
export async function prepareBuild(
  say: (line: string) => void,
  flags: {
    ca?: string | null;
    hostCa?: boolean;
    npmrc?: string | null;
    /** Already resolved (the stack test resolves all four at once). */
    bases?: { NODE: string; NGINX: string };
  } = {},
) {
  const bases = flags.bases ?? (await ensureBaseImages(['NODE', 'NGINX'], say));
  const cli = findBuildCli();
  const network = await probeBuildNetwork(bases.NODE);
  const caFile = flags.ca ?? (flags.hostCa !== false && existsSync(HOST_CA) ? HOST_CA : null);
  say(
    `build: ${cli.description}; NODE_IMAGE=${bases.NODE} NGINX_IMAGE=${bases.NGINX}` +
      `${network ? `; --network ${network}` : ''}${caFile ? `; npm trusts ${caFile} (build secret)` : ''}`,
  );
  return {
    cli,
    bases: { NODE: bases.NODE, NGINX: bases.NGINX },
    network,
    caFile,
    npmrc: flags.npmrc ?? null,
  };
}

async function main(argv: string[]) {
  const say = (line: string) => console.log(line);
  const flag = (name: string) => argv.includes(name);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('--only') as ImageName | undefined;
  const target = value('--target') as Target | undefined;
  if (only && !(only in IMAGES)) throw new Error(`--only takes api or web, not ${only}`);
  if (target && target !== 'production' && target !== 'dev') {
    throw new Error(`--target takes production or dev, not ${target}`);
  }
  const ca = value('--ca');
  if (ca && !existsSync(ca)) throw new Error(`--ca ${ca}: no such file`);
  const npmrc = value('--npmrc');
  if (npmrc && !existsSync(npmrc)) throw new Error(`--npmrc ${npmrc}: no such file`);
  const prep = await prepareBuild(say, {
    ca: ca ? path.resolve(ca) : null,
    hostCa: !flag('--no-host-ca'),
    npmrc: npmrc ? path.resolve(npmrc) : null,
  });
  const started = Date.now();
  for (const image of only ? [only] : (['api', 'web'] as ImageName[])) {
    for (const t of target ? [target] : (['production', 'dev'] as Target[])) {
      const r = await buildImage(image, t, {
        ...prep,
        noCache: flag('--no-cache'),
        tag: value('--tag') ?? 'latest',
        verbose: flag('--verbose'),
        say,
      });
      say(`${r.ref.padEnd(20)} ${mb(r.bytes).padStart(9)}  built in ${(r.ms / 1000).toFixed(1)} s`);
    }
  }
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s (context: ${repoRoot})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`stack:build: ${error.message}`);
    process.exit(1);
  });
}
