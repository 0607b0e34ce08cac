/**
 * `npm run bench:loop` — how long the inner loop takes on this machine, as `npm start` runs it:
 *
 *   API: save → new code answering. The API runs under the hot runner (scripts/dev/hot-runner.ts) as
 *        `npm start` runs it; the script changes the /healthz response in
 *        services/api/src/routes/health.router.ts, polls /healthz every 10 ms until the new answer
 *        arrives, puts the file back and waits for the old answer again.
 *   Web: save → HMR update. Vite's dev server with a client on its HMR WebSocket (the protocol the
 *        browser's /@vite/client speaks); the script appends a comment to a React component and times
 *        the write → the `update` message naming that module.
 *
 *   npm run bench:loop -- [--edits 7] [--only api|web] [--back-to-back]
 *
 * Medians over the edits (≥ 5). The edited files are restored byte for byte after each edit; if someone
 * else changed a file meanwhile, their version is kept and the run stops. Loopback only, bounded.
 */

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../lib/ports.js';
import { percentile } from './scenarios.js';
import { repoRoot, startApi, startBackends } from './stack.js';

const say = (line: string) => console.log(`[bench:loop] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const API_FILE = path.join(repoRoot, 'services', 'api', 'src', 'routes', 'health.router.ts');
const API_NEEDLE = "res.json({ status: 'ok',";
const WEB_FILE = path.join(repoRoot, 'web', 'src', 'components', 'Highlight.tsx');

/**
 * Edits a file for one measurement and restores it. Refuses to restore over someone else's change made
 * in between (then throws, keeping theirs).
 */
class TemporaryEdit {
  private readonly original: string;
  private written = '';
  constructor(private readonly file: string) {
    this.original = readFileSync(file, 'utf8');
  }
  write(content: string): void {
    this.written = content;
    writeFileSync(this.file, content);
  }
  restore(): void {
    const now = readFileSync(this.file, 'utf8');
    if (now === this.original) return;
    if (now !== this.written) {
      throw new Error(
        `${path.relative(repoRoot, this.file)} was changed by someone else during the run; left as is`,
      );
    }
    writeFileSync(this.file, this.original);
  }
  get text(): string {
    return this.original;
  }
}

async function healthBody(url: string): Promise<string> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    return await res.text();
  } catch {
    return '';
  }
}

async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number, pollMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await predicate()) return true;
    await sleep(pollMs);
  }
  return false;
}

/**
 * Edits wait for the runner's stand-bys to be warm (it says so with HOT_DEBUG=1): the cadence of a person
 * saving, reading the answer and saving again. `--back-to-back` edits 300 ms after the previous answer
 * instead, which can outrun the stand-bys' preload; `spacing` is how long each wait for warmth took.
 */
async function measureApi(
  edits: number,
  backToBack: boolean,
): Promise<{ times: number[]; spacing: number[] }> {
  const source = readFileSync(API_FILE, 'utf8');
  if (!source.includes(API_NEEDLE))
    throw new Error(`${API_FILE} no longer contains ${API_NEEDLE}: update bench:loop`);
  const backends = await startBackends(path.join(repoRoot, '.data', 'bench-seed'), say);
  const api = await startApi({
    databaseUrl: backends.databaseUrl,
    redisUrl: backends.redisUrl,
    watch: true,
    env: { HOT_DEBUG: '1' },
  });
  const edit = new TemporaryEdit(API_FILE);
  const times: number[] = [];
  const spacing: number[] = [];
  const warm = () => {
    const out = api.output();
    const at = out.lastIndexOf('stand-bys warm');
    return at >= 0 && at > out.lastIndexOf('restarting api');
  };
  try {
    for (let i = 1; i <= edits; i++) {
      const marker = `bench-loop-${Date.now()}-${i}`;
      const waitStarted = performance.now();
      await sleep(300); // let the watcher settle after the previous restore
      if (!backToBack) {
        if (!(await waitFor(async () => warm(), 120_000, 20)))
          throw new Error(
            `the hot runner's stand-bys did not get warm within 120 s:\n${api.output().slice(-1500)}`,
          );
        spacing.push(performance.now() - waitStarted);
      }
      const started = performance.now();
      edit.write(edit.text.replace(API_NEEDLE, `res.json({ benchLoop: '${marker}', status: 'ok',`));
      const ok = await waitFor(async () => (await healthBody(api.url)).includes(marker), 60_000);
      const took = performance.now() - started;
      edit.restore();
      if (!ok)
        throw new Error(`the API did not answer with the edit within 60 s:\n${api.output().slice(-1500)}`);
      times.push(took);
      say(`api edit ${i}: ${took.toFixed(0)} ms`);
      if (
        !(await waitFor(
          async () =>
            /"status":"ok"/.test(await healthBody(api.url)) &&
            !(await healthBody(api.url)).includes('benchLoop'),
          60_000,
        ))
      ) {
        throw new Error('the API did not come back after restoring the file');
      }
    }
  } finally {
    edit.restore();
    await api.stop();
    await backends.stop();
  }
  return { times, spacing };
}

async function measureWeb(edits: number): Promise<number[]> {
  if (typeof WebSocket === 'undefined')
    throw new Error('no WebSocket in this Node: run with --experimental-websocket (npm run bench:loop does)');
  const port = await freePort();
  const vite = spawn(
    path.join(repoRoot, 'node_modules', '.bin', 'vite'),
    ['--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: path.join(repoRoot, 'web'),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, API_URL: 'http://127.0.0.1:9', FORCE_COLOR: '0' },
    },
  );
  let output = '';
  vite.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  vite.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const stopVite = () =>
    new Promise<void>((resolve) => {
      if (vite.exitCode !== null || vite.pid === undefined) return resolve();
      vite.once('exit', () => resolve());
      try {
        process.kill(-vite.pid, 'SIGTERM');
      } catch {
        resolve();
      }
    });
  const edit = new TemporaryEdit(WEB_FILE);
  const relative = `/${path.relative(path.join(repoRoot, 'web'), WEB_FILE).split(path.sep).join('/')}`;
  const times: number[] = [];
  let socket: WebSocket | undefined;
  try {
    const base = `http://127.0.0.1:${port}`;
    if (
      !(await waitFor(
        async () =>
          await fetch(base).then(
            (r) => r.ok,
            () => false,
          ),
        60_000,
        200,
      ))
    ) {
      throw new Error(`Vite did not start:\n${output.slice(-1500)}`);
    }
    // What a browser does first: load the page, the client and the modules, so they are in Vite's graph.
    for (const url of ['/', '/@vite/client', '/src/main.tsx', relative])
      await (await fetch(`${base}${url}`)).text();
    socket = new WebSocket(`ws://127.0.0.1:${port}/`, 'vite-hmr');
    const messages: Array<{ at: number; data: string }> = [];
    socket.addEventListener('message', (event) =>
      messages.push({ at: performance.now(), data: String(event.data) }),
    );
    if (!(await waitFor(async () => messages.some((m) => m.data.includes('"connected"')), 10_000))) {
      throw new Error('no HMR connection');
    }
    for (let i = 1; i <= edits; i++) {
      await sleep(300);
      const from = messages.length;
      const started = performance.now();
      edit.write(`${edit.text}\n// bench-loop ${Date.now()} ${i}\n`);
      const updated = () =>
        messages.slice(from).find((m) => m.data.includes('"update"') && m.data.includes(relative));
      const ok = await waitFor(async () => updated() !== undefined, 10_000, 2);
      edit.restore();
      if (!ok)
        throw new Error(
          `no HMR update for ${relative} within 10 s; messages: ${messages
            .slice(from)
            .map((m) => m.data)
            .join(' | ')
            .slice(0, 500)}`,
        );
      const took = (updated()?.at ?? started) - started;
      times.push(took);
      say(`web edit ${i}: ${took.toFixed(0)} ms`);
      // The restore is an edit too: wait for its update before the next one.
      const after = messages.length;
      await waitFor(async () => messages.slice(after).some((m) => m.data.includes('"update"')), 5_000, 5);
    }
  } finally {
    socket?.close();
    edit.restore();
    await stopVite();
  }
  return times;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      edits: { type: 'string', default: '7' },
      only: { type: 'string' },
      'back-to-back': { type: 'boolean', default: false },
    },
  });
  const edits = Math.max(5, Number(values.edits));
  for (const file of [API_FILE, WEB_FILE]) if (!existsSync(file)) throw new Error(`${file} is missing`);
  say(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${cpus().length} cores; ${edits} edits each`,
  );
  const summary: string[] = [];
  if (values.only !== 'web') {
    const backToBack = values['back-to-back'] === true;
    const measured = await measureApi(edits, backToBack);
    const api = measured.times.sort((a, b) => a - b);
    const spacing = measured.spacing.sort((a, b) => a - b);
    summary.push(
      `API reload (save → new response, hot runner, ${backToBack ? 'saves 300 ms after the previous answer' : 'warm stand-bys'}): median ${percentile(api, 50).toFixed(0)} ms, min ${api[0]?.toFixed(0)} ms, max ${api.at(-1)?.toFixed(0)} ms over ${api.length} edits (goal ≤ 1000 ms)`,
    );
    if (spacing.length > 0)
      summary.push(
        `API stand-bys warm again after a reload + undo: median ${percentile(spacing, 50).toFixed(0)} ms, max ${spacing.at(-1)?.toFixed(0)} ms (saves closer together than this wait for a preload)`,
      );
  }
  if (values.only !== 'api') {
    const web = (await measureWeb(edits)).sort((a, b) => a - b);
    summary.push(
      `Web HMR (save → Vite update message): median ${percentile(web, 50).toFixed(0)} ms, min ${web[0]?.toFixed(0)} ms, max ${web.at(-1)?.toFixed(0)} ms over ${web.length} edits (goal ≤ 200 ms)`,
    );
  }
  for (const line of summary) say(line);
}

main().catch((error) => {
  console.error(`✘ bench:loop failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
