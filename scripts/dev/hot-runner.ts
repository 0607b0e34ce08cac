/**
 * The development runner of the API and the worker (`npm start`), replacing `tsx watch`.
 *
 *   node --conditions=source --import tsx scripts/dev/hot-runner.ts --name api services/api/src/main.ts
 *
 * Why: under `tsx watch` a save restarted the whole process: Node, the TypeScript loader and every
 * package again, 2–3 s on this machine, and the issue asks for under one second. This runner
 *   1. bundles the service's own TypeScript (and the workspace packages it imports) with esbuild into one
 *      JavaScript file, third-party packages left as imports; an incremental rebuild takes tens of ms;
 *   2. keeps two warm stand-by processes (standby.mjs) that have already imported those packages;
 *   3. on a save: rebuilds; if the output is unchanged (a test file, a comment) nothing restarts; if the
 *      build fails, the error is printed and the running process keeps serving; otherwise it stops the
 *      running process (SIGTERM: the service's graceful shutdown), tells a stand-by to import the new
 *      bundle, and starts the next stand-by.
 * Source maps point stack traces at the TypeScript files. `import.meta.url` in a bundled file is
 * rewritten to that file's own URL, so paths computed from it (the repository root, the migrations
 * folder) stay right.
 *
 * Signals: SIGTERM/SIGINT stop the running process gracefully and the stand-by at once; the runner exits
 * when they are gone. All three share the runner's process group, which the supervisor signals.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, type FSWatcher, mkdirSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, out: { type: 'string' } },
});
const entry = positionals[0];
if (!entry) {
  console.error('usage: hot-runner.ts --name <service> <entry.ts>');
  process.exit(64);
}
const name = values.name ?? path.basename(path.dirname(path.dirname(entry)));
const outDir = values.out ?? path.join(repoRoot, 'node_modules', '.cache', 'osint-dev');
const outfile = path.join(outDir, `${name}.mjs`);
const say = (line: string) => console.log(`[hot] ${line}`);

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

let active: ChildProcess | null = null;
let current: Built | null = null;
let stopping = false;

/** Promotes a (preferably warm) stand-by to running the latest bundle, then tops the stand-bys up. */
function promote(): void {
  const next = takeStandby();
  active = next;
  const runsAt = Date.now();
  next.once('exit', (code, signal) => {
    if (active === next && !stopping) {
      active = null;
      const ranFor = Date.now() - runsAt;
      say(
        `${name} exited (${signal ?? `code ${code}`}) after ${(ranFor / 1000).toFixed(1)} s; waiting for a change`,
      );
    }
  });
  next.send({ go: pathToFileURL(outfile).href });
  topUpStandbys();
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
      if (built.hash === current?.hash && active) continue;
      const buildMs = performance.now() - started;
      current = built;
      watchRoots(built.roots);
      const stopStarted = performance.now();
      const previous = active;
      active = null; // its exit is expected now
      await stop(previous);
      if (stopping) return;
      say(
        `restarting ${name}: build ${buildMs.toFixed(0)} ms, stop ${(performance.now() - stopStarted).toFixed(0)} ms`,
      );
      promote();
    } while (again);
  })().finally(() => {
    rebuilding = null;
  });
  return rebuilding;
}

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
  for (const watcher of watchers.values()) watcher.close();
  const spares = standbys.splice(0);
  for (const spare of spares) spare.kill('SIGKILL');
  if (active && active.exitCode === null && active.signalCode === null) active.kill(signal);
  const timer = setTimeout(() => active?.kill('SIGKILL'), graceMs);
  await Promise.all([active ? exited(active) : undefined, ...spares.map(exited)]);
  clearTimeout(timer);
  await context.dispose();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

const first = await build();
if (!first) {
  say('fix the error and save: the runner is watching');
  // Watch the entry's own workspace until the first build succeeds.
  watchRoots([path.resolve(repoRoot, path.dirname(entry))]);
} else {
  current = first;
  watchRoots(first.roots);
  promote();
}
