/**
 * `npm run test:e2e`: the web app in a real browser against a real stack, started here and torn down after.
 *
 * 1. PostgreSQL 15 and Redis 7 as local processes (the same providers `npm start` uses, scripts/lib) on free
 *    loopback ports with a throw-away data directory; migrations and the development seed (db).
 * 2. The API and the worker from source, without watchers: an edit to the working tree during the run
 *    cannot restart the API under the browser (npm start's hot runner would reload it).
 * 3. `vite build` of web/ (bundle sizes measured from the files, gzip level 9), then `vite preview` on a free
 *    port, proxying /api to that API exactly as nginx does in the web container; and the Vite dev server,
 *    whose HMR client and proxy one step checks.
 * 4. Debian's Chromium (never a downloaded browser) through playwright-core walks web/e2e/walk.ts against
 *    the production build.
 *
 * Prints one line per step and `e2e: N passed, M failed`; screenshots, report.json and the stack's log land
 * in test-results/e2e/. Bounded: E2E_TIMEOUT_MS (default 10 minutes) for everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runMigrations, seedIfEmpty } from '@osint/db';
import { chromium, type Page } from 'playwright-core';
import { Harness } from '../../web/e2e/harness.js';
import { walk } from '../../web/e2e/walk.js';
import { freePort, waitForPort } from '../lib/ports.js';
import { embeddedLibDir, loadNativeServerSettings } from '../lib/postgres-config.js';
import { startLocalPostgres } from '../lib/postgres-provider.js';
import { startLocalRedis } from '../lib/redis-provider.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(repoRoot, 'web');
const outDir = path.join(repoRoot, 'test-results', 'e2e');
/** The development seed's documented password (db/src/seed/users.data.ts). */
const DEV_PASSWORD = 'osint-dev-password';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOTAL_BUDGET_MS = Number(process.env.E2E_TIMEOUT_MS ?? 10 * 60_000);
/** API and worker start from TypeScript sources: seconds on a laptop, up to a minute on a loaded CI box. */
const BOOT_BUDGET_MS = 180_000;

const say = (line: string) => console.log(`[e2e] ${line}`);
const children: ChildProcess[] = [];
/** PostgreSQL and Redis, stopped last (after the processes that use them). */
const stoppers: Array<() => Promise<void>> = [];
/** Output of the stack's processes, written to test-results/e2e/stack.log at the end. */
const stackOutputs: { output(): string }[] = [];
let dataDir = '';

async function waitForHttp(url: string, timeoutMs: number, proc: { child: ChildProcess; output(): string }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(`${url}: its process exited:\n${proc.output().slice(-4000)}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms:\n${proc.output().slice(-4000)}`);
}

function spawnLogged(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true, // its own process group, so teardown reaches the grandchildren too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    async waitFor(pattern: RegExp, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null) throw new Error(`${name} exited early:\n${out.slice(-4000)}`);
        if (Date.now() > deadline)
          throw new Error(`${name}: no ${pattern} within ${timeoutMs} ms:\n${out.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

async function stopAll() {
  if (stackOutputs.length > 0 && existsSync(outDir)) {
    writeFileSync(path.join(outDir, 'stack.log'), stackOutputs.map((o) => o.output()).join('\n'));
  }
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      const gone = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM'); // api and worker drain and exit (SHUTDOWN_GRACE_MS)
      } catch {}
      const late = await Promise.race([
        gone.then(() => false),
        new Promise((r) => setTimeout(() => r(true), 8_000)),
      ]);
      if (late) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }),
  );
  for (const stop of stoppers.reverse()) await stop().catch(() => {});
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

/** gzip sizes of the production build: what the first page load needs, and the lazily loaded chunks. */
function bundleReport() {
  const dist = path.join(webDir, 'dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] as string));
  const files = readdirSync(path.join(dist, 'assets'))
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const bytes = readFileSync(path.join(dist, 'assets', f));
      return {
        file: `assets/${f}`,
        raw: statSync(path.join(dist, 'assets', f)).size,
        gzip: gzipSync(bytes, { level: 9 }).length,
        initial: initial.has(`assets/${f}`),
      };
    });
  const sum = (list: typeof files, key: 'raw' | 'gzip') => list.reduce((a, f) => a + f[key], 0);
  const first = files.filter((f) => f.initial);
  const lazy = files.filter((f) => !f.initial);
  return {
    files,
    initial: { raw: sum(first, 'raw'), gzip: sum(first, 'gzip') },
    lazy: { raw: sum(lazy, 'raw'), gzip: sum(lazy, 'gzip') },
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<number> {
  const started = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'downloads'), { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'osint-e2e-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as `postgres`, which must enter it

  const port = {
    api: await freePort(),
    worker: await freePort(),
    dev: await freePort(),
    preview: await freePort(),
    pg: await freePort(),
    redis: await freePort(),
  };
  const stackLog: string[] = [];
  const log = (name: string) => (line: string) => stackLog.push(`[${name}] ${line}`);
  say(`starting PostgreSQL :${port.pg} and Redis :${port.redis} (data in ${dataDir})`);
  const [pg, redis] = await Promise.all([
    startLocalPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: port.pg,
      persistent: false,
      settings: loadNativeServerSettings({ libDir: await embeddedLibDir(), onNote: log('postgres') }),
      onLog: log('postgres'),
    }),
    startLocalRedis({
      dataDir: path.join(dataDir, 'redis'),
      port: port.redis,
      persistent: false,
      onLog: log('redis'),
    }),
  ]);
  stoppers.push(pg.stop, redis.stop);
  const migrated = await runMigrations(pg.url);
  const seeded = await seedIfEmpty(pg.url);
  say(`migrations: ${migrated.applied} applied; seed: ${seeded.reason}`);

  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    API_HOST: '127.0.0.1',
    API_PORT: String(port.api),
    WORKER_HOST: '127.0.0.1',
    WORKER_PORT: String(port.worker),
    EXPORT_DIR: path.join(dataDir, 'exports'),
    SHUTDOWN_GRACE_MS: '2000',
    NO_COLOR: '1',
  };
  const tsxRun = (entry: string) => ['--conditions=source', '--import', 'tsx', entry];
  const api = spawnLogged('api', process.execPath, tsxRun('services/api/src/main.ts'), env);
  const worker = spawnLogged('worker', process.execPath, tsxRun('services/worker/src/main.ts'), env);
  stackOutputs.push({ output: () => stackLog.join('\n') }, api, worker);
  const apiUrl = `http://127.0.0.1:${port.api}`;

  say('building web/ for production (vite build)');
  const vite = path.join(repoRoot, 'node_modules', '.bin', 'vite');
  const build = spawnLogged('vite build', vite, ['build', '--logLevel', 'warn'], {}, webDir);
  const buildCode = await build.exited;
  if (buildCode !== 0) throw new Error(`vite build failed:\n${build.output().slice(-4000)}`);
  const bundle = bundleReport();
  say(
    `bundle: first load ${kb(bundle.initial.gzip)} gzip (${kb(bundle.initial.raw)} raw); lazy chunks ${kb(bundle.lazy.gzip)} gzip`,
  );

  const viteEnv = { API_URL: apiUrl };
  const preview = spawnLogged(
    'vite preview',
    vite,
    ['preview', '--port', String(port.preview), '--strictPort', '--host', '127.0.0.1'],
    viteEnv,
    webDir,
  );
  const dev = spawnLogged(
    'vite dev',
    vite,
    ['--port', String(port.dev), '--strictPort', '--host', '127.0.0.1'],
    viteEnv,
    webDir,
  );
  stackOutputs.push(preview, dev);
  await Promise.all([
    waitForHttp(`${apiUrl}/readyz`, BOOT_BUDGET_MS, api),
    waitForHttp(`http://127.0.0.1:${port.worker}/readyz`, BOOT_BUDGET_MS, worker),
    waitForPort(port.preview, '127.0.0.1', 60_000),
    waitForPort(port.dev, '127.0.0.1', 60_000),
  ]);
  say(
    `stack ready after ${((Date.now() - started) / 1000).toFixed(1)} s (API :${port.api}, preview :${port.preview})`,
  );

  const h: Harness = new Harness(
    (line) => console.log(line),
    async (name) => {
      // The page as it was when the step failed, and what it printed to the console.
      const page = h.current as Page | null;
      if (!page || page.isClosed()) return undefined;
      const file = path.join(outDir, `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
      await page.screenshot({ path: file });
      return `at ${page.url()}; screenshot ${path.relative(repoRoot, file)}`;
    },
  );
  const devUrl = `http://127.0.0.1:${port.dev}`;
  await h.step('the dev server serves the app with its HMR client and proxies the API', async () => {
    const page = await fetch(`${devUrl}/`).then((r) => r.text());
    if (!page.includes('<div id="root">') || !page.includes('/@vite/client')) {
      throw new Error('the Vite dev page lacks #root or the HMR client');
    }
    const client = await fetch(`${devUrl}/@vite/client`);
    const proxied = await fetch(`${devUrl}/api/v1/auth/me`);
    if (client.status !== 200) throw new Error(`/@vite/client answered ${client.status}`);
    if (proxied.status !== 401)
      throw new Error(`the dev proxy to the API answered ${proxied.status} for /auth/me`);
  });

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  let findings: Awaited<ReturnType<typeof walk>> = { ttiMs: [], ttiBreakdown: [] };
  try {
    findings = await walk(h, {
      browser,
      baseUrl: `http://127.0.0.1:${port.preview}`,
      shotsDir: outDir,
      password: DEV_PASSWORD,
      readDownload: async (download) => {
        const file = path.join(outDir, 'downloads', download.suggestedFilename() || 'export');
        await download.saveAs(file);
        return { path: file, text: readFileSync(file, 'utf8') };
      },
    });
  } finally {
    await browser.close();
  }

  const tti = [...findings.ttiMs].sort((a, b) => a - b);
  const median = tti.length ? tti[Math.floor(tti.length / 2)] : null;
  const load = loadavg().map((n) => n.toFixed(1));
  if (median !== null) {
    say(
      `workspace time to interactive (navigation start → selectors table rendered): ${findings.ttiMs.join(', ')} ms; median ${median} ms (load average ${load.join(' ')} on ${cpus().length} CPUs)`,
    );
    for (const b of findings.ttiBreakdown) {
      say(
        `  DOMContentLoaded ${b.domContentLoaded} ms · ${b.apiRequests} API calls ${b.firstApiRequest}–${b.lastApiResponse} ms · table ${b.tti} ms`,
      );
    }
  }
  if (findings.jobTransport) say(`job progress arrived over: ${findings.jobTransport}`);
  writeFileSync(
    path.join(outDir, 'report.json'),
    `${JSON.stringify({ steps: h.results, bundle, ttiMs: findings.ttiMs, ttiMedianMs: median, ttiBreakdown: findings.ttiBreakdown, loadAverage: loadavg(), cpus: cpus().length, jobTransport: findings.jobTransport, exportBytes: findings.exportBytes, seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`,
  );
  say(`screenshots and report.json in ${path.relative(repoRoot, outDir)}/`);
  const skipped = h.count('skipped');
  console.log(
    `e2e: ${h.count('passed')} passed, ${h.count('failed')} failed${skipped ? `, ${skipped} skipped` : ''} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  return h.count('failed') === 0 ? 0 : 1;
}

const deadline = setTimeout(() => {
  console.log(`e2e: 0 passed, 1 failed (the whole run exceeded ${TOTAL_BUDGET_MS} ms)`);
  void stopAll().finally(() => process.exit(1));
}, TOTAL_BUDGET_MS);
process.on('SIGINT', () => void stopAll().finally(() => process.exit(130)));
process.on('SIGTERM', () => void stopAll().finally(() => process.exit(143)));

main()
  .catch((error: Error) => {
    console.log(`[e2e] ✘ ${error.message}`);
    console.log(
      'e2e: 0 passed, 1 failed (the stack or the build did not come up; see test-results/e2e/stack.log)',
    );
    return 1;
  })
  .then(async (code) => {
    clearTimeout(deadline);
    await stopAll();
    process.exit(code);
  });
