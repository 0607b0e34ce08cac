/**
 * The development runner of the API and the worker (`npm start`, and the dev containers: Compose, Tilt),
 * replacing `tsx watch`.
 *
 *   node --conditions=source --import tsx scripts/dev/hot-runner.ts --name api services/api/src/main.ts
 *
 * Why: under `tsx watch` a save restarted the whole process: Node, the TypeScript loader and every
 * package again, 2–3 s on this machine, and the issue asks for under one second. This runner
 *   1. bundles the service's own TypeScript (and the workspace packages it imports) with esbuild into one
 *      JavaScript file, third-party packages left as imports; an incremental rebuild takes tens of ms;
 *   2. keeps two warm stand-by processes (standby.mjs) that have already imported those packages;
 *   3. owns the service's listening socket (API_PORT / WORKER_PORT) and forwards each connection to the
 *      process currently serving, which listens on a private loopback port of its own;
 *   4. on a save: rebuilds; if the output is unchanged (a test file, a comment) nothing restarts; if the
 *      build fails, the error is printed and the running process keeps serving; otherwise a stand-by
 *      imports the new bundle on a fresh private port, and only once its readiness endpoint answers
 *      (/readyz: 200) do new connections go to it and the previous process get SIGTERM (its graceful
 *      shutdown drains what it was serving). A new process that crashes at start-up, or is not ready in
 *      time, is stopped, and the previous one never stopped serving (ADR 0014).
 * While nothing serves (the first build, or after the process died on its own) the socket answers 503
 * saying why. Source maps point stack traces at the TypeScript files. `import.meta.url` in a bundled file
 * is rewritten to that file's own URL, so paths computed from it (the repository root, the migrations
 * folder) stay right.
 *
 * Signals: SIGTERM/SIGINT stop the serving process gracefully and the stand-bys at once; the runner exits
 * when they are gone. All share the runner's process group, which the supervisor signals.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, type FSWatcher, mkdirSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    out: { type: 'string' },
    'port-env': { type: 'string' },
    'host-env': { type: 'string' },
    ready: { type: 'string' },
  },
});
const entry = positionals[0];
if (!entry) {
  console.error(
    'usage: hot-runner.ts --name <service> [--port-env VAR --host-env VAR --ready /path] <entry.ts>',
  );
  process.exit(64);
}
const name = values.name ?? path.basename(path.dirname(path.dirname(entry)));
const outDir = values.out ?? path.join(repoRoot, 'node_modules', '.cache', 'osint-dev');
const outfile = path.join(outDir, `${name}.mjs`);
const say = (line: string) => console.log(`[hot] ${line}`);

/**
 * Where each service listens and how it says it is ready: the variables and defaults of its config
 * (services/api/src/config.ts, services/worker/src/config.ts; ports in docs/conventions.md). Flags
 * override them (the integration test's fixture service uses its own).
 */
const SERVICES: Record<string, { portEnv: string; hostEnv: string; defaultPort: number; ready: string }> = {
  api: { portEnv: 'API_PORT', hostEnv: 'API_HOST', defaultPort: 4000, ready: '/readyz' },
  worker: { portEnv: 'WORKER_PORT', hostEnv: 'WORKER_HOST', defaultPort: 4001, ready: '/readyz' },
};
const known = SERVICES[name];
const portEnv = values['port-env'] ?? known?.portEnv;
const hostEnv = values['host-env'] ?? known?.hostEnv;
const readyPath = values.ready ?? known?.ready ?? '/readyz';
if (!portEnv || !hostEnv) {
  console.error(`hot-runner: ${name} is not a known service: pass --port-env and --host-env`);
  process.exit(64);
}
const publicPort = Number(process.env[portEnv] ?? known?.defaultPort);
const publicHost = process.env[hostEnv] ?? '0.0.0.0';
if (!Number.isInteger(publicPort) || publicPort <= 0 || publicPort > 65_535) {
  console.error(`hot-runner: ${portEnv} must be a port number, got ${JSON.stringify(process.env[portEnv])}`);
  process.exit(78);
}
/** How long a new process may take to answer its readiness endpoint before it is given up. */
const readyTimeoutMs = Number(process.env.HOT_READY_TIMEOUT_MS ?? 60_000);

/**
 * Third-party packages stay imports (and get preloaded by the stand-by); the workspace packages
 * (@osint/*) are bundled from source. Declared as esbuild `external` patterns rather than a resolve
 * plugin, so a rebuild never calls back into JavaScript per import.
 */
function thirdPartyPackages(): string[] {
  const names = new Set<string>();
  const manifests = [path.join(repoRoot, 'package.json')];
  const root = JSON.parse(readFileSync(manifests[0] as string, 'utf8')) as { workspaces?: string[] };
  for (const workspace of root.workspaces ?? [])
    manifests.push(path.join(repoRoot, workspace, 'package.json'));
  for (const manifest of manifests) {
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string>>;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'])
      for (const dep of Object.keys(json[field] ?? {})) if (!dep.startsWith('@osint/')) names.add(dep);
  }
  return [...names].flatMap((dep) => [dep, `${dep}/*`]);
}

/**
 * `import.meta.url` means the file it is written in, not the bundle: rewritten in the files that use it
 * (found once at start; the filter keeps esbuild from calling this plugin for any other file).
 */
function importMetaFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) {
        if (item.name !== 'node_modules' && item.name !== 'dist' && !item.name.startsWith('.')) walk(full);
      } else if (/\.[cm]?ts$/.test(item.name) && !item.name.endsWith('.test.ts')) {
        if (readFileSync(full, 'utf8').includes('import.meta.url')) found.push(full);
      }
    }
  };
  const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const roots = new Set((root.workspaces ?? []).map((workspace) => path.join(repoRoot, workspace, 'src')));
  roots.add(path.dirname(path.resolve(repoRoot, entry as string)));
  for (const src of roots) if (existsSync(src)) walk(src);
  return [...new Set(found)];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const metaFiles = importMetaFiles();
const rewriteImportMeta: esbuild.Plugin = {
  name: 'import-meta-url',
  setup(build) {
    if (metaFiles.length === 0) return;
    const filter = new RegExp(`^(${metaFiles.map(escapeRegExp).join('|')})$`);
    build.onLoad({ filter }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: 'ts',
    }));
  },
};

/** What the stand-by preloads: the packages the last build imports. */
const externals = new Set<string>();

mkdirSync(outDir, { recursive: true });
const context = await esbuild.context({
  absWorkingDir: repoRoot, // metafile paths are relative to this, whatever the cwd
  entryPoints: [path.resolve(repoRoot, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'silent',
  external: thirdPartyPackages(),
  plugins: [rewriteImportMeta],
});

interface Built {
  hash: string;
  roots: string[];
}

/** Builds; null (after printing why) when the code does not compile. */
async function build(): Promise<Built | null> {
  try {
    const result = await context.rebuild();
    const inputs = Object.keys(result.metafile?.inputs ?? {}).filter((f) => !f.includes('node_modules'));
    // Watch each workspace's src/ that the bundle reads from.
    const roots = new Set<string>();
    for (const input of inputs) {
      const absolute = path.resolve(repoRoot, input);
      const marker = `${path.sep}src${path.sep}`;
      const at = absolute.indexOf(marker);
      roots.add(at >= 0 ? absolute.slice(0, at + marker.length - 1) : path.dirname(absolute));
    }
    const output = Object.entries(result.metafile?.outputs ?? {}).find(([file]) =>
      file.endsWith('.mjs'),
    )?.[1];
    for (const imported of output?.imports ?? [])
      if (imported.external && !imported.path.startsWith('node:')) externals.add(imported.path);
    const hash = createHash('sha256').update(readFileSync(outfile)).digest('hex');
    return { hash, roots: [...roots] };
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const messages = failure.errors?.length
      ? await esbuild.formatMessages(failure.errors, { kind: 'error', color: false })
      : [String(error)];
    say(
      `${name} does not build; the running process keeps serving the previous code:\n${messages.join('\n')}`,
    );
    return null;
  }
}

function spawnStandby(): ChildProcess {
  const child = fork(path.join(here, 'standby.mjs'), [], {
    cwd: repoRoot,
    execArgv: ['--enable-source-maps'],
    env: { ...process.env, HOT_PRELOAD: JSON.stringify([...externals]) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('error', (error) => say(`stand-by failed: ${error.message}`));
  child.on('message', (message: { ready?: boolean }) => {
    if (!message?.ready) return;
    warm.add(child);
    // bench:loop waits for this line before each edit (HOT_DEBUG=1).
    if (process.env.HOT_DEBUG && standbys.length === STANDBYS && standbys.every((c) => warm.has(c)))
      say(`stand-bys warm (${STANDBYS})`);
  });
  child.once('exit', () => {
    const at = standbys.indexOf(child);
    if (at >= 0) standbys.splice(at, 1);
  });
  return child;
}

/**
 * Two stand-bys: a save and the save that follows it (an edit, then an undo) both find one that has
 * finished preloading. Topped up at once after each promotion, on the second core while the promoted
 * process boots on the first.
 */
const STANDBYS = 2;
const standbys: ChildProcess[] = [];
const warm = new WeakSet<ChildProcess>();
function topUpStandbys(): void {
  while (!stopping && standbys.length < STANDBYS) standbys.push(spawnStandby());
}
function takeStandby(): ChildProcess {
  const at = standbys.findIndex((child) => warm.has(child));
  const [taken] = standbys.splice(Math.max(at, 0), 1);
  return taken ?? spawnStandby();
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

const graceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000) + 2_000;

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** A running service process and the private loopback port it listens on. */
interface Serving {
  child: ChildProcess;
  port: number;
  hash: string;
  /** When the stand-by began importing the bundle (after its preload): the start-up clock starts here. */
  importingAt?: number;
}

let active: Serving | null = null;
/** Processes given SIGTERM after a newer one took over, still draining. */
const retiring = new Set<ChildProcess>();
let stopping = false;
/** Why nothing serves, for the 503 the socket answers meanwhile. */
let idleReason = `${name} is starting`;

/** A free loopback port for the next process (bound and released; the process binds it at once). */
function privatePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the latest bundle in a (preferably warm) stand-by, on its own private port. */
async function launch(built: Built): Promise<Serving> {
  const port = await privatePort();
  const child = takeStandby();
  const serving: Serving = { child, port, hash: built.hash };
  child.on('message', (message: { importing?: boolean }) => {
    if (message?.importing) serving.importingAt = Date.now();
  });
  child.send({
    go: pathToFileURL(outfile).href,
    // One process per service under the runner: it owns the public socket and swaps processes on save,
    // which an API cluster primary would fight (docs/decisions/0024-api-processes.md).
    env: { [portEnv as string]: String(port), [hostEnv as string]: '127.0.0.1', API_PROCESSES: '1' },
  });
  topUpStandbys();
  return serving;
}

type Outcome = { ready: true } | { ready: false; why: string };

/**
 * Waits until the new process answers its readiness endpoint with 200, it exits, or the time is up. When
 * nothing else serves, any HTTP answer will do and there is no time limit: a process that listens beats
 * none, and a slow first start (cold caches, a loaded machine) is still a start.
 */
async function readiness(next: Serving, nothingServes: boolean): Promise<Outcome> {
  const anyAnswer = nothingServes;
  // The limit counts from the import of the bundle: a stand-by still preloading is the runner's delay.
  const deadline = () =>
    nothingServes || next.importingAt === undefined
      ? Number.POSITIVE_INFINITY
      : next.importingAt + readyTimeoutMs;
  let last = 'no answer';
  let exited: string | null = null;
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    exited = signal ?? `code ${code}`;
  };
  next.child.once('exit', onExit);
  try {
    while (!stopping && Date.now() < deadline()) {
      if (exited || next.child.exitCode !== null || next.child.signalCode !== null)
        return {
          ready: false,
          why: `crashed at start-up (${exited ?? next.child.signalCode ?? `code ${next.child.exitCode}`})`,
        };
      try {
        const res = await fetch(`http://127.0.0.1:${next.port}${readyPath}`, {
          signal: AbortSignal.timeout(2_000),
        });
        await res.arrayBuffer();
        if (res.status === 200 || anyAnswer) return { ready: true };
        last = `${readyPath} answered ${res.status}`;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return { ready: false, why: `was not ready within ${(readyTimeoutMs / 1000).toFixed(0)} s (${last})` };
  } finally {
    next.child.off('exit', onExit);
  }
}

/** Watches the serving process: if it dies on its own, nothing serves until the next good save. */
function watchServing(serving: Serving): void {
  const since = Date.now();
  serving.child.once('exit', (code, signal) => {
    if (active !== serving || stopping) return;
    active = null;
    const ranFor = ((Date.now() - since) / 1000).toFixed(1);
    idleReason = `${name} exited (${signal ?? `code ${code}`}) after ${ranFor} s; save a fix to start it again`;
    say(`${name} exited (${signal ?? `code ${code}`}) after ${ranFor} s; waiting for a change`);
  });
}

function retire(child: ChildProcess | undefined): void {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  retiring.add(child);
  void stop(child).finally(() => retiring.delete(child));
}

let rebuilding: Promise<void> | null = null;
let again = false;

async function onChange(): Promise<void> {
  if (rebuilding) {
    again = true;
    return rebuilding;
  }
  rebuilding = (async () => {
    do {
      again = false;
      const started = performance.now();
      const built = await build();
      if (!built || stopping) continue;
      if (built.hash === active?.hash) continue;
      const buildMs = performance.now() - started;
      watchRoots(built.roots);
      // bench:loop reads this line (the stand-bys are topped up after it).
      say(`restarting ${name}: build ${buildMs.toFixed(0)} ms`);
      const readyStarted = performance.now();
      const next = await launch(built);
      const outcome = await readiness(next, active === null);
      if (stopping) {
        next.child.kill('SIGKILL');
        return;
      }
      if (!outcome.ready) {
        retire(next.child);
        say(
          active
            ? `${name} ${outcome.why}; the running process keeps serving the previous code`
            : `${name} ${outcome.why}; nothing serves until the next good save`,
        );
        if (!active) idleReason = `${name} ${outcome.why}`;
        continue;
      }
      const previous = active;
      active = next;
      watchServing(next);
      say(
        `${name} ready in ${(performance.now() - readyStarted).toFixed(0)} ms (pid ${next.child.pid}); ` +
          (previous ? 'the previous process drains and stops' : 'serving'),
      );
      retire(previous?.child);
    } while (again);
  })().finally(() => {
    rebuilding = null;
  });
  return rebuilding;
}

/**
 * The service's public socket: each connection is piped to the process serving when it arrives (kept
 * there until either side closes it, so a draining process finishes its requests and streams). With
 * nothing serving, an HTTP 503 says why.
 */
const sockets = new Set<net.Socket>();
const front = net.createServer((client) => {
  sockets.add(client);
  client.once('close', () => sockets.delete(client));
  client.on('error', () => client.destroy());
  const target = active;
  if (!target) {
    const body = `${idleReason}\n`;
    client.end(
      `HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\nretry-after: 1\r\n\r\n${body}`,
    );
    return;
  }
  const upstream = net.connect(target.port, '127.0.0.1');
  sockets.add(upstream);
  upstream.once('close', () => sockets.delete(upstream));
  upstream.on('error', () => client.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
});
front.on('error', (error: NodeJS.ErrnoException) => {
  say(
    error.code === 'EADDRINUSE'
      ? `port ${publicPort} is already in use: stop the other process or set ${portEnv}`
      : `cannot listen on ${publicHost}:${publicPort}: ${error.message}`,
  );
  process.exit(1);
});

const watchers = new Map<string, FSWatcher>();
let debounce: NodeJS.Timeout | undefined;
const skipDir = (name: string) => name === 'node_modules' || name === 'dist' || name.startsWith('.');

/**
 * Watches every directory under the roots, one non-recursive watcher each: a directory's watch sees
 * its files written in place and replaced by rename (editors' atomic saves), which per-file watches
 * (Node 20's recursive mode on Linux) can lose. New directories are watched as they appear.
 */
function watchRoots(roots: string[]): void {
  for (const root of roots) if (existsSync(root)) watchDir(root);
}
function watchDir(dir: string): void {
  if (watchers.has(dir)) return;
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, (_event, file) => {
      const changed = String(file ?? '');
      const full = path.join(dir, changed);
      if (changed && !skipDir(changed) && !path.extname(changed) && existsSync(full)) {
        try {
          if (statSync(full).isDirectory()) watchDir(full);
        } catch {
          // gone again
        }
      }
      if (!/\.(c|m)?tsx?$|\.json$/.test(changed) || /\.test\.tsx?$/.test(changed)) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => void onChange(), 25);
    });
  } catch (error) {
    say(`cannot watch ${dir}: ${(error as Error).message}`);
    return;
  }
  watcher.on('error', () => {
    watcher.close();
    watchers.delete(dir);
  });
  watchers.set(dir, watcher);
  for (const item of readdirSync(dir, { withFileTypes: true }))
    if (item.isDirectory() && !skipDir(item.name)) watchDir(path.join(dir, item.name));
}

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearTimeout(debounce);
  front.close();
  for (const watcher of watchers.values()) watcher.close();
  const spares = standbys.splice(0);
  for (const spare of spares) spare.kill('SIGKILL');
  const serving = active?.child;
  if (serving && serving.exitCode === null && serving.signalCode === null) serving.kill(signal);
  const timer = setTimeout(() => {
    serving?.kill('SIGKILL');
    for (const child of retiring) child.kill('SIGKILL');
  }, graceMs);
  await Promise.all([
    serving ? exited(serving) : undefined,
    ...[...retiring].map(exited),
    ...spares.map(exited),
  ]);
  clearTimeout(timer);
  for (const socket of sockets) socket.destroy();
  await context.dispose();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await new Promise<void>((resolve) => front.listen(publicPort, publicHost, resolve));
const first = await build();
if (!first) {
  idleReason = `${name} does not build; fix the error and save`;
  say('fix the error and save: the runner is watching');
  // Watch the entry's own workspace until the first build succeeds.
  watchRoots([path.resolve(repoRoot, path.dirname(entry))]);
} else {
  // The first start goes through the same path as a save (a build whose hash nothing serves yet).
  watchRoots(first.roots);
  void onChange();
}
