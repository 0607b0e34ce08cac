import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ComposeCli, type RunResult, repoRoot, run, tail } from '../../scripts/stack/docker.js';

/** Pass/fail bookkeeping; every check prints one line as it finishes. */
export class Checks {
  readonly results: Array<{ name: string; ok: boolean; detail: string }> = [];

  record(name: string, ok: boolean, detail = ''): boolean {
    this.results.push({ name, ok, detail });
    console.log(`${ok ? '  ✔' : '  ✘'} ${name}${detail ? ` — ${detail}` : ''}`);
    return ok;
  }

  /** Runs fn; a throw is a failure with its message. */
  async check(name: string, fn: () => Promise<string | undefined>): Promise<boolean> {
    try {
      return this.record(name, true, (await fn()) ?? '');
    } catch (error) {
      return this.record(name, false, (error as Error).message);
    }
  }

  get passed() {
    return this.results.filter((r) => r.ok).length;
  }

  get failed() {
    return this.results.filter((r) => !r.ok).length;
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns a value other than undefined, or throws the last reason after timeoutMs. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  fn: () => Promise<T | undefined>,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s${last ? ` (last: ${last})` : ''}`);
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
  json<T = unknown>(): T;
}

export async function http(url: string, init: RequestInit = {}, timeoutMs = 10_000): Promise<HttpResult> {
  const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body) };
}

export interface ContainerInfo {
  id: string;
  service: string;
  state: string;
  health: string;
  exitCode: number;
}

/** One Compose project (a unique -p name, so runs never touch anyone else's containers or volumes). */
export class ComposeProject {
  constructor(
    readonly cli: ComposeCli,
    readonly file: string,
    readonly name: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  compose(args: string[], timeoutMs: number): Promise<RunResult> {
    return run(
      this.cli.argv[0] as string,
      [...this.cli.argv.slice(1), '-f', this.file, '-p', this.name, ...args],
      { timeoutMs, env: this.env, cwd: repoRoot },
    );
  }

  async must(args: string[], timeoutMs: number): Promise<RunResult> {
    const r = await this.compose(args, timeoutMs);
    if (r.code !== 0) {
      throw new Error(`compose ${args.join(' ')} failed${r.timedOut ? ' (timed out)' : ''}: ${tail(r, 12)}`);
    }
    return r;
  }

  /** Every container of the project (Compose labels are the same in v1 and v2). */
  async containers(): Promise<ContainerInfo[]> {
    const ls = await run(
      'docker',
      ['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${this.name}`],
      { timeoutMs: 15_000 },
    );
    const ids = ls.stdout.split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    // Whole JSON, not a --format template: a container without a health check has no State.Health,
    // which makes Go templates fail for the whole list on newer CLIs.
    const r = await run('docker', ['inspect', ...ids], { timeoutMs: 15_000 });
    const list = JSON.parse(r.stdout || '[]') as Array<{
      Id: string;
      Config: { Labels: Record<string, string> };
      State: { Status: string; ExitCode: number; Health?: { Status: string } };
    }>;
    return list.map((c) => ({
      id: c.Id,
      service: c.Config.Labels['com.docker.compose.service'] ?? '',
      state: c.State.Status,
      health: c.State.Health?.Status ?? 'none',
      exitCode: c.State.ExitCode,
    }));
  }

  async container(service: string): Promise<ContainerInfo> {
    const c = (await this.containers()).find((x) => x.service === service);
    assert(c, `no ${service} container in ${this.name}`);
    return c;
  }

  /** Waits until the long-running services are healthy and the one-shots exited 0. */
  async waitHealthy(services: string[], oneShots: string[], timeoutMs: number): Promise<void> {
    await waitFor(`${this.name}: ${services.join(', ')} healthy`, timeoutMs, async () => {
      const all = await this.containers();
      for (const s of oneShots) {
        const c = all.find((x) => x.service === s);
        if (c?.state === 'exited' && c.exitCode !== 0) {
          throw new Error(`${s} exited ${c.exitCode}: ${await this.logs(s, 5)}`);
        }
        if (c?.state !== 'exited') throw new Error(`${s} ${c?.state ?? 'missing'}`);
      }
      const waiting: string[] = [];
      for (const s of services) {
        const c = all.find((x) => x.service === s);
        if (c && (c.state === 'exited' || c.state === 'dead')) {
          throw new Error(`${s} ${c.state} (exit ${c.exitCode}): ${await this.logs(s, 5)}`);
        }
        if (c?.health !== 'healthy') waiting.push(`${s} ${c ? `${c.state}/${c.health}` : 'missing'}`);
      }
      if (waiting.length > 0) throw new Error(waiting.join(', '));
      return true;
    });
  }

  async logs(service: string, lines: number): Promise<string> {
    const r = await this.compose(['logs', '--no-color', '--tail', String(lines), service], 30_000);
    return tail(r, lines).replace(/\s+/g, ' ').slice(-600);
  }

  /** `compose exec -T`; returns stdout (trimmed) or throws with the output. */
  async exec(service: string, command: string[], timeoutMs = 60_000): Promise<string> {
    const r = await this.compose(['exec', '-T', service, ...command], timeoutMs);
    if (r.code !== 0) throw new Error(`exec ${service} ${command.join(' ')}: exit ${r.code}: ${tail(r, 4)}`);
    return r.stdout.trim();
  }

  /** Removes containers, networks and (with volumes) the named volumes; reports anything left behind. */
  async down(volumes: boolean): Promise<string[]> {
    const args = ['--profile', 'seed', 'down', '--remove-orphans', '--timeout', '20'];
    if (volumes) args.push('--volumes');
    await this.compose(args, 180_000);
    return this.leftovers(volumes);
  }

  async leftovers(includeVolumes: boolean): Promise<string[]> {
    const label = `label=com.docker.compose.project=${this.name}`;
    const left: string[] = [];
    const c = await run('docker', ['ps', '-a', '-q', '--filter', label], { timeoutMs: 15_000 });
    left.push(
      ...c.stdout
        .split('\n')
        .filter(Boolean)
        .map((id) => `container ${id.slice(0, 12)}`),
    );
    const n = await run('docker', ['network', 'ls', '-q', '--filter', label], { timeoutMs: 15_000 });
    left.push(
      ...n.stdout
        .split('\n')
        .filter(Boolean)
        .map((id) => `network ${id.slice(0, 12)}`),
    );
    if (includeVolumes) {
      const v = await run('docker', ['volume', 'ls', '-q', '--filter', label], { timeoutMs: 15_000 });
      left.push(
        ...v.stdout
          .split('\n')
          .filter(Boolean)
          .map((name) => `volume ${name}`),
      );
    }
    return left;
  }

  /** Last resort after a failed `down`: remove by label whatever is left of this project. */
  async forceRemove(): Promise<void> {
    const label = `label=com.docker.compose.project=${this.name}`;
    const ids = async (kind: string[]) =>
      (await run('docker', [...kind, '-q', '--filter', label], { timeoutMs: 15_000 })).stdout
        .split('\n')
        .filter(Boolean);
    const containers = await ids(['ps', '-a']);
    if (containers.length) await run('docker', ['rm', '-f', '-v', ...containers], { timeoutMs: 60_000 });
    const networks = await ids(['network', 'ls']);
    if (networks.length) await run('docker', ['network', 'rm', ...networks], { timeoutMs: 30_000 });
    const vols = await ids(['volume', 'ls']);
    if (vols.length) await run('docker', ['volume', 'rm', '-f', ...vols], { timeoutMs: 30_000 });
  }
}

/**
 * Temporary edits of files in the working tree, undone exactly: the undo removes only what was added,
 * so a concurrent edit by someone else in the same file survives.
 */
export class TempEdits {
  private readonly undo: Array<() => void> = [];

  /** Inserts `line` after the first line containing `anchor`. */
  insertAfter(file: string, anchor: string, line: string): void {
    const abs = path.join(repoRoot, file);
    const text = readFileSync(abs, 'utf8');
    const at = text.indexOf(anchor);
    assert(at >= 0, `${file} no longer contains "${anchor}"; update tests/stack/dev-stack.ts`);
    const eol = text.indexOf('\n', at);
    const cut = eol < 0 ? text.length : eol + 1;
    writeFileSync(abs, `${text.slice(0, cut)}${line}\n${text.slice(cut)}`);
    this.undo.push(() => {
      const now = readFileSync(abs, 'utf8');
      writeFileSync(abs, now.replace(`${line}\n`, ''));
    });
  }

  /** Appends `line` at the end of the file. */
  append(file: string, line: string): void {
    const abs = path.join(repoRoot, file);
    const text = readFileSync(abs, 'utf8');
    const sep = text.endsWith('\n') ? '' : '\n';
    writeFileSync(abs, `${text}${sep}${line}\n`);
    this.undo.push(() => {
      const now = readFileSync(abs, 'utf8');
      writeFileSync(abs, now.replace(`${sep}${line}\n`, ''));
    });
  }

  /** Creates a new file (it must not exist); the undo deletes it. Rewrite it with writeFileSync. */
  create(file: string, text: string): string {
    const abs = path.join(repoRoot, file);
    assert(!existsSync(abs), `${file} exists already`);
    writeFileSync(abs, text);
    this.undo.push(() => rmSync(abs, { force: true }));
    return abs;
  }

  revertAll(): void {
    while (this.undo.length > 0) {
      try {
        this.undo.pop()?.();
      } catch (error) {
        console.error(`could not revert a temporary edit: ${(error as Error).message}`);
      }
    }
  }
}
