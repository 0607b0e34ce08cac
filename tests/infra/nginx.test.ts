/**
 * Proof for the web image's nginx (docker/nginx/*.conf), which proxies /api/ to the API in compose.prod.yaml
 * and k8s: every body the API accepts gets through (IMPORT_MAX_BYTES, 32 MiB, is the largest), and the
 * Server-Sent Events routes of the API (job progress) are not buffered and may stay open.
 *
 * 1. Static, always: which location nginx selects for each API route (nginx's own rules, reimplemented in
 *    support/nginx-config.ts) and its directives, against the limits in .env.example and the routes in the
 *    API's source; each rule fires on a broken copy.
 * 2. Live, where an nginx binary exists (NGINX_BIN, `nginx` on PATH, or /usr/sbin/nginx; Debian's `nginx`
 *    package, or `apt-get download nginx` + `dpkg -x`): the real configuration, with only paths and ports
 *    changed, in front of a stand-in API on 127.0.0.1 that sends no X-Accel-Buffering: an event frame
 *    reaches the client while the stream is open and the stream outlives a silence (and does not with the
 *    stream location's timeout cut), a 20 MiB import passes, 34 MiB gets nginx's 413. (nginx 1.22 passes a
 *    small frame through even with proxy_buffering on, so the test cannot tell the buffering setting apart;
 *    the static check holds it, and it keeps nginx from spooling a long stream to a temp file.)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './support/k8s-render.js';
import {
  locations,
  nginxProxyErrors,
  nginxSeconds,
  nginxSize,
  selectLocation,
} from './support/nginx-config.js';

const read = (...p: string[]) => readFileSync(path.join(repoRoot, ...p), 'utf8');
const NGINX_DIR = path.join('docker', 'nginx');
const conf = () => read(NGINX_DIR, 'nginx.conf');
const includes = () => ({
  'osint-proxy.conf': read(NGINX_DIR, 'osint-proxy.conf'),
  'osint-headers.conf': read(NGINX_DIR, 'osint-headers.conf'),
  'mime.types': '',
  'nginx-upstream.conf': '',
});

/** A documented default of .env.example, checked against the API's zod default (`positiveInt(a * b)`). */
function limit(name: string): number {
  const documented = Number(new RegExp(`^${name}=(\\d+)$`, 'm').exec(read('.env.example'))?.[1]);
  const source = new RegExp(`${name}: positiveInt\\(([\\d_ *]+)\\)`).exec(
    read('services', 'api', 'src', 'config.ts'),
  )?.[1];
  const coded = (source ?? 'NaN')
    .replaceAll('_', '')
    .split('*')
    .reduce((a, b) => a * Number(b.trim()), 1);
  expect(documented, `${name} in .env.example`).toBe(coded);
  return documented;
}

const ID = '0b7c3f52-8d6e-4f2a-9a51-3c2d1e0f9a8b';
/** The API's event-stream routes, from its router (mounted under /api/v1). */
function streamUris(): string[] {
  const router = read('services', 'api', 'src', 'jobs', 'job.router.ts');
  return [...router.matchAll(/path: '([^']*\/events)'/g)].map(
    (m) => `/api/v1${m[1]?.replaceAll(/:\w+/g, ID)}`,
  );
}
const PLAIN = [
  '/api/v1/investigations/import',
  `/api/v1/investigations/${ID}/documents`,
  '/api/v1/jobs',
  '/readyz',
];

const options = () => ({
  bodyLimits: {
    IMPORT_MAX_BYTES: limit('IMPORT_MAX_BYTES'),
    DOCUMENT_MAX_BYTES: limit('DOCUMENT_MAX_BYTES'),
  },
  streamUris: streamUris(),
  plainUris: PLAIN,
});

describe('nginx configuration (static)', () => {
  it('finds the API event-stream routes it must serve unbuffered', () => {
    expect(streamUris()).toEqual([`/api/v1/jobs/${ID}/events`, `/api/v1/investigations/${ID}/jobs/events`]);
    expect(read('services', 'api', 'src', 'jobs', 'job-stream.ts')).toContain("'text/event-stream");
  });

  it('lets every body the API accepts through, and streams events unbuffered with a long read timeout', () => {
    expect(nginxProxyErrors(locations(conf(), includes()), options())).toEqual([]);
    const stream = selectLocation(locations(conf(), includes()), streamUris()[0] ?? '');
    expect(stream?.directives.get('proxy_buffering')).toBe('off');
    expect(nginxSize(stream?.directives.get('client_max_body_size'))).toBeGreaterThanOrEqual(32 * 2 ** 20);
  });

  it('selects locations as nginx does: exact, then ^~ prefix, then the first regex, then the longest prefix', () => {
    const all = locations(
      'location / {a 1;} location /api/ {a 2;} location = /readyz {a 3;} location ^~ /assets/ {a 4;} location ~ ^/api/v1/x$ {a 5;} location ~ \\.js$ {a 6;}',
      {},
    );
    const pick = (uri: string) => selectLocation(all, uri)?.directives.get('a');
    expect([
      pick('/readyz'),
      pick('/api/v1/x'),
      pick('/api/v1/y'),
      pick('/assets/a.js'),
      pick('/b.js'),
      pick('/z'),
    ]).toEqual(['3', '5', '2', '4', '6', '1']);
    expect([
      nginxSize('12m'),
      nginxSize('512k'),
      nginxSize('7'),
      nginxSeconds('1h'),
      nginxSeconds('60s'),
    ]).toEqual([12 * 2 ** 20, 512 * 1024, 7, 3600, 60]);
  });

  const SSE_LOCATION = /location ~ \^\/api\/v1\/[^{]*\/events\$ \{[^}]*\}/;
  it.each([
    [
      'the old 12m body limit',
      (c: string, i: Record<string, string>) =>
        [
          c,
          {
            ...i,
            'osint-proxy.conf': i['osint-proxy.conf']!.replace(
              /client_max_body_size \S+;/,
              'client_max_body_size 12m;',
            ),
          },
        ] as const,
      `/api/v1/investigations/import: client_max_body_size ${12 * 2 ** 20} bytes is below IMPORT_MAX_BYTES (${32 * 2 ** 20})`,
    ],
    [
      'a limit far above the API’s',
      (c: string, i: Record<string, string>) =>
        [
          c,
          {
            ...i,
            'osint-proxy.conf': i['osint-proxy.conf']!.replace(
              /client_max_body_size \S+;/,
              'client_max_body_size 1g;',
            ),
          },
        ] as const,
      `/readyz: client_max_body_size ${2 ** 30} bytes is far above IMPORT_MAX_BYTES (${32 * 2 ** 20})`,
    ],
    [
      'no event-stream location',
      (c: string, i: Record<string, string>) => [c.replace(SSE_LOCATION, ''), i] as const,
      `/api/v1/jobs/${ID}/events: an event stream is buffered (needs proxy_buffering off)`,
    ],
    [
      'an event-stream location that misses the per-investigation stream',
      (c: string, i: Record<string, string>) =>
        [c.replace('(?:jobs/[^/]+|investigations/[^/]+/jobs)', 'jobs/[^/]+'), i] as const,
      `/api/v1/investigations/${ID}/jobs/events: proxy_read_timeout 60s is shorter than 600s`,
    ],
    [
      'the default read timeout on event streams',
      (c: string, i: Record<string, string>) => [c.replace('proxy_read_timeout 1h;', ''), i] as const,
      `/api/v1/jobs/${ID}/events: proxy_read_timeout 60s is shorter than 600s`,
    ],
    [
      'a client-supplied X-Forwarded-For appended to (the API would believe it)',
      (c: string, i: Record<string, string>) =>
        [
          c,
          {
            ...i,
            'osint-proxy.conf': i['osint-proxy.conf']!.replace(
              'X-Forwarded-For $remote_addr',
              'X-Forwarded-For $proxy_add_x_forwarded_for',
            ),
          },
        ] as const,
      '/api/v1/jobs: X-Forwarded-For must be set to $remote_addr, not $proxy_add_x_forwarded_for',
    ],
    [
      'buffering switched off for every API route',
      (c: string, i: Record<string, string>) =>
        [c, { ...i, 'osint-proxy.conf': `${i['osint-proxy.conf']}\nproxy_buffering off;\n` }] as const,
      '/api/v1/jobs: ordinary API responses should stay buffered (only event streams are not)',
    ],
  ])('fires on %s', (_what, breakIt, expected) => {
    expect(conf()).toMatch(SSE_LOCATION);
    const [c, i] = breakIt(conf(), includes());
    expect(nginxProxyErrors(locations(c, i), options())).toContain(expected);
  });
});

describe('Content-Security-Policy of the web app', () => {
  const policyIn = (text: string, re: RegExp) => re.exec(text)?.[1] ?? '';
  const nginxPolicy = () =>
    policyIn(read(NGINX_DIR, 'osint-headers.conf'), /Content-Security-Policy "([^"]+)"/);
  const directives = (policy: string) =>
    new Map(
      policy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...sources]) => [name ?? '', sources] as const),
    );

  it("is strict: default-src and script-src 'self', nothing inline or evaluated, no framing", () => {
    const csp = directives(nginxPolicy());
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(nginxPolicy()).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('vite preview (what the browser suite drives) sends the same policy', () => {
    expect(policyIn(read('web', 'vite.config.ts'), /CONTENT_SECURITY_POLICY =\s*"([^"]+)"/)).toBe(
      nginxPolicy(),
    );
  });

  it('web/index.html has no inline script, style or event handler', () => {
    const html = read('web', 'index.html');
    for (const script of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) {
      expect(script, 'scripts are external').toMatch(/^<script\b[^>]*\ssrc="[^"]+"[^>]*><\/script>$/);
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});

describe('the Ingress in front (ingress-nginx, staging and prod)', () => {
  const ANNOTATION = 'nginx.ingress.kubernetes.io/proxy-body-size';
  /** ingress-nginx's body limit for an Ingress: its annotation, else the controller's 1m default. */
  const ingressErrors = (
    overlay: string,
    ingress: { metadata: { annotations?: Record<string, string> } },
  ) => {
    const body = nginxSize(ingress.metadata.annotations?.[ANNOTATION] ?? '1m');
    const largest = limit('IMPORT_MAX_BYTES');
    return body >= largest && body <= largest * 1.25
      ? []
      : [`${overlay}: Ingress body limit ${body} bytes does not fit IMPORT_MAX_BYTES (${largest})`];
  };
  const ingressOf = (overlay: string) =>
    parse(read('k8s', 'overlays', overlay, 'ingress.yaml')) as {
      metadata: { annotations?: Record<string, string> };
    };

  it.each(['staging', 'prod'])('%s lets imports through to the API', (overlay) => {
    expect(ingressErrors(overlay, ingressOf(overlay))).toEqual([]);
  });

  it('fires without the annotation (the controller default is 1m)', () => {
    const ingress = ingressOf('prod');
    delete ingress.metadata.annotations?.[ANNOTATION];
    expect(ingressErrors('prod', ingress)).toEqual([
      `prod: Ingress body limit ${2 ** 20} bytes does not fit IMPORT_MAX_BYTES (${32 * 2 ** 20})`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------

function findNginx(): string | undefined {
  if (process.env.NGINX_BIN) return process.env.NGINX_BIN;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined;
  }
}
const nginxBin = findNginx();
if (!nginxBin) {
  console.warn(
    'SKIPPING the live nginx proxy test: no nginx binary (set NGINX_BIN, or `apt-get download nginx && dpkg -x nginx_*.deb DIR`)',
  );
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * The repository's nginx configuration in a scratch prefix: the same files, with only the absolute paths
 * (/etc/nginx, /tmp, the web root) and the listen port changed, and the upstream file the entrypoint
 * would render for API_UPSTREAM=http://127.0.0.1:<api port>.
 */
function scratchConfig(
  dir: string,
  listen: number,
  api: number,
  edit: (c: string) => string = (c) => c,
): string {
  const etc = path.join(dir, 'etc');
  mkdirSync(path.join(dir, 'html'), { recursive: true });
  mkdirSync(etc, { recursive: true });
  writeFileSync(path.join(dir, 'html', 'index.html'), '<!doctype html><title>osint</title>');
  writeFileSync(path.join(etc, 'mime.types'), 'types { text/html html; application/javascript js; }\n');
  for (const f of ['osint-proxy.conf', 'osint-headers.conf'])
    writeFileSync(path.join(etc, f), read(NGINX_DIR, f));
  writeFileSync(
    path.join(dir, 'nginx-upstream.conf'),
    `upstream osint_api_static { server 127.0.0.1:${api}; keepalive 16; }\nmap $host $osint_api { default http://osint_api_static; }\n`,
  );
  const text = edit(conf())
    .replaceAll('/tmp/', `${dir}/`)
    .replaceAll('/etc/nginx/', `${etc}/`)
    .replace('root /usr/share/nginx/html;', `root ${dir}/html;`)
    .replace('listen 8080;', `listen 127.0.0.1:${listen};`)
    .replace('access_log /dev/stdout main;', 'access_log off;');
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, text);
  return file;
}

/** The stand-in API: an event stream that stays open until released, and a body counter. */
class FakeApi {
  server: Server = createServer((req, res) => {
    if (req.url?.endsWith('/events')) {
      // As services/api/src/jobs/job-stream.ts answers (X-Accel-Buffering must reach an ingress in front).
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      res.write(`event: progress\ndata: {"n":1}\n\n`);
      this.open.push(() => res.end(`event: progress\ndata: {"n":2}\n\n`));
      return;
    }
    let bytes = 0;
    req.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    req.on('end', () => {
      // nginx acts on X-Accel-* headers and drops them, except where told to pass one on (streams).
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Accel-Buffering': 'yes' });
      res.end(
        req.url?.endsWith('/whoami')
          ? JSON.stringify({ forwardedFor: req.headers['x-forwarded-for'] ?? null })
          : JSON.stringify({ bytes }),
      );
    });
  });
  open: Array<() => void> = [];
  port = 0;
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }
  release() {
    for (const end of this.open.splice(0)) end();
  }
}

/** Starts nginx on a scratch prefix and waits until it answers /healthz. */
async function startNginx(bin: string, dir: string, file: string, port: number): Promise<ChildProcess> {
  execFileSync(bin, ['-t', '-q', '-p', dir, '-c', file, '-e', 'stderr'], { stdio: 'pipe' });
  const child = spawn(bin, ['-p', dir, '-c', file, '-e', 'stderr', '-g', 'daemon off;'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('nginx did not start');
}

/**
 * Reads an event stream through nginx: after the first frame the stand-in API stays silent for `silenceMs`
 * and then sends the last frame and ends. Resolves with every frame the client received.
 */
function stream(
  api: FakeApi,
  port: number,
  uri: string,
  silenceMs: number,
): Promise<{ frames: string[]; accel?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: uri, headers: { Accept: 'text/event-stream' } },
      (res) => {
        let text = '';
        let released = false;
        const done = () =>
          resolve({
            frames: text.split('\n\n').filter((f) => f.includes('data:')),
            accel: res.headers['x-accel-buffering'] as string | undefined,
          });
        const guard = setTimeout(() => req.destroy(), silenceMs + 5000);
        res.on('data', (d: Buffer) => {
          text += d.toString();
          if (!released && text.includes('\n\n')) {
            released = true;
            setTimeout(() => api.release(), silenceMs);
          }
        });
        res.on('end', () => {
          clearTimeout(guard);
          done();
        });
        res.on('error', () => {
          clearTimeout(guard);
          done();
        });
      },
    );
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
  });
}

describe.skipIf(!nginxBin)('nginx configuration (live, the real nginx in front of a stand-in API)', () => {
  const api = new FakeApi();
  const running: ChildProcess[] = [];
  const scratchDirs: string[] = [];
  beforeAll(async () => {
    await api.start();
  });
  afterAll(async () => {
    for (const c of running) c.kill();
    for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
    api.release();
    await new Promise((r) => api.server.close(r));
  });

  async function nginx(edit?: (c: string) => string): Promise<number> {
    const dir = mkdtempSync(path.join(tmpdir(), 'osint-nginx-'));
    scratchDirs.push(dir);
    const port = await freePort();
    running.push(await startNginx(nginxBin as string, dir, scratchConfig(dir, port, api.port, edit), port));
    return port;
  }

  it('event streams pass frame by frame and outlive a silence; their own location sets the read timeout', async () => {
    // The frame arrives while the stream is open (the API is silent until it has been read), and the
    // stream outlives a 2 s silence; with the event-stream location's timeout cut to 1 s it does not,
    // which shows the location (not the /api/ default) governs these routes.
    const port = await nginx();
    for (const uri of streamUris()) {
      expect(await stream(api, port, uri, 2000), uri).toEqual({
        frames: ['event: progress\ndata: {"n":1}', 'event: progress\ndata: {"n":2}'],
        accel: 'no',
      });
    }
    const cut = await nginx((c) => c.replace('proxy_read_timeout 1h;', 'proxy_read_timeout 1s;'));
    expect((await stream(api, cut, streamUris()[0] ?? '', 2000)).frames).toEqual([
      'event: progress\ndata: {"n":1}',
    ]);
    // An ordinary API route does not forward it (nginx consumes X-Accel-* headers by default).
    const plain = await fetch(`http://127.0.0.1:${port}/api/v1/jobs`);
    expect(plain.headers.get('x-accel-buffering')).toBeNull();
  });

  it("replaces a client's X-Forwarded-For with the address nginx saw (the API trusts one hop)", async () => {
    const port = await nginx();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/whoami`, {
      headers: { 'X-Forwarded-For': '203.0.113.66, 198.51.100.1' },
    });
    expect(await res.json()).toEqual({ forwardedFor: '127.0.0.1' });
  });

  it('a 20 MiB import reaches the API; a 34 MiB one gets nginx’s 413', async () => {
    const port = await nginx();
    const post = (bytes: number) =>
      fetch(`http://127.0.0.1:${port}/api/v1/investigations/import`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: new Uint8Array(bytes),
      });
    const ok = await post(20 * 2 ** 20);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ bytes: 20 * 2 ** 20 });
    expect((await post(34 * 2 ** 20)).status).toBe(413);
  });
});
