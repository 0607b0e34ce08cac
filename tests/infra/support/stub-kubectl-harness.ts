/**
 * Harness for the deploy-script tests: a temp PATH with the stub kubectl (support/stub-kubectl.sh), a
 * call log parser, a tiny HTTP server on 127.0.0.1 standing in for an environment's public URL, and an
 * async process runner (the scripts call back into that server, so the test must not block).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './workflow-checks.js';

export const deployDir = path.join(repoRoot, 'scripts', 'deploy');
export const stubKubectl = path.join(repoRoot, 'tests', 'infra', 'support', 'stub-kubectl.sh');

/** The real kubectl, whose embedded kustomize renders the manifests (the stub delegates `kustomize`). */
export const realKubectl = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();

/** Shared by every sandbox of a test run: an overlay with the same digests renders once. */
const kustomizeCache = mkdtempSync(path.join(tmpdir(), 'osint-kustomize-cache-'));

export const hex = (c: string) => c.repeat(64);
export const API = `ghcr.io/acme/osint-api@sha256:${hex('a')}`;
export const WEB = `ghcr.io/acme/osint-web@sha256:${hex('b')}`;
/** The backup CronJob's postgres image (BACKUP_IMAGE), which staging and prod pin at deploy time too. */
export const BACKUP = `docker.io/library/postgres@sha256:${hex('c')}`;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion without blocking the event loop. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A sandbox: temp dir with bin/ (stub kubectl first on PATH), the call log and applied manifests. */
export class Sandbox {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'osint-deploy-test-'));
  readonly bin = path.join(this.dir, 'bin');
  readonly applied = path.join(this.dir, 'applied');
  readonly log = path.join(this.dir, 'kubectl.log');
  readonly summary = path.join(this.dir, 'summary.md');

  constructor() {
    mkdirSync(this.bin);
    mkdirSync(this.applied);
    symlinkSync(stubKubectl, path.join(this.bin, 'kubectl'));
    writeFileSync(this.log, '');
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: `${this.bin}:${process.env.PATH}`,
      HOME: this.dir,
      TMPDIR: this.dir,
      STUB_KUBECTL_LOG: this.log,
      STUB_KUBECTL_DIR: this.applied,
      STUB_REAL_KUBECTL: realKubectl,
      STUB_KUSTOMIZE_CACHE: kustomizeCache,
      GITHUB_STEP_SUMMARY: this.summary,
      SMOKE_ATTEMPTS: '1',
      SMOKE_DELAY: '0',
      SMOKE_TIMEOUT: '5',
      // As deploy.yml passes it (vars.BACKUP_IMAGE); a test unsets it with BACKUP_IMAGE: ''.
      BACKUP_IMAGE: BACKUP,
      ...extra,
    };
  }

  /** The kubectl calls, each as its argument list. */
  calls(): string[][] {
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
  }

  /** The calls as readable one-liners without the `-n <namespace>` prefix and the temp paths. */
  verbs(): string[] {
    return this.calls().map((args) => {
      const a = args[0] === '-n' ? args.slice(2) : args;
      return a
        .map((x) => (x.startsWith(this.dir) || x.startsWith(tmpdir()) ? '<tmp>' : x))
        .join(' ')
        .replace(/ --timeout=\S+/, '');
    });
  }

  /** The manifests passed to each `kubectl apply -f`, with the selector used. */
  appliedManifests(): Array<{ selector: string; yaml: string }> {
    return readdirSync(this.applied)
      .filter((f) => f.endsWith('.yaml'))
      .sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]))
      .map((f) => ({
        selector: readFileSync(path.join(this.applied, f.replace(/\.yaml$/, '.selector')), 'utf8').trim(),
        yaml: readFileSync(path.join(this.applied, f), 'utf8'),
      }));
  }

  summaryText(): string {
    try {
      return readFileSync(this.summary, 'utf8');
    } catch {
      return '';
    }
  }
}

export interface Route {
  status: number;
  body: string;
  type?: string;
}

/** An HTTP server on 127.0.0.1 whose answers a test sets per path; it records the paths requested. */
export class FakeEnvironment {
  routes = new Map<string, Route[]>();
  requests: string[] = [];
  private server: Server | undefined;

  /** Answers `path` with these responses in turn (the last one repeats). */
  on(p: string, ...responses: Route[]): this {
    this.routes.set(p, responses);
    return this;
  }

  /** A healthy API behind the web entry point. */
  healthy(): this {
    return this.on('/readyz', json(200, { status: 'ok', failed: [], checks: {} })).on(
      '/api/v1/openapi.json',
      json(200, { openapi: '3.1.0', info: { title: 'osint', version: '1' }, paths: {} }),
    );
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const p = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push(p);
      const list = this.routes.get(p);
      const route = list?.length
        ? list.length > 1
          ? list.shift()!
          : list[0]!
        : { status: 404, body: 'not found' };
      res.writeHead(route.status, { 'content-type': route.type ?? 'text/plain' });
      res.end(route.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

export const json = (status: number, body: unknown): Route => ({
  status,
  body: JSON.stringify(body),
  type: 'application/json',
});
export const html = (status: number, body = '<!doctype html><title>osint</title>'): Route => ({
  status,
  body,
  type: 'text/html',
});
