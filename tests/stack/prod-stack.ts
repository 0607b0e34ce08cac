import { randomBytes } from 'node:crypto';
import { freePort } from '../../scripts/lib/ports.js';
import { type ComposeCli, run } from '../../scripts/stack/docker.js';
import { assert, type Checks, ComposeProject, http, waitFor } from './support.js';

const LONG_RUNNING = ['postgres', 'redis', 'api', 'worker', 'web'];
const BOOT_TIMEOUT_MS = 5 * 60_000;
const JOB_TIMEOUT_MS = 90_000;

export interface ProdFigures {
  bootMs?: number;
  rebootMs?: number;
}

/**
 * The administrator the check creates with `create-admin` (the production stack has no seed and no default
 * account), for when job creation needs a signed-in user. A fresh random password per run.
 */
const ADMIN = { email: 'stack-admin@example.org', password: randomBytes(18).toString('base64url') };

/**
 * compose.prod.yaml for real: production images, read-only root filesystems, only web published.
 * Health, the web proxy, migrations, API → queue → worker → PostgreSQL, non-root, read-only, SIGTERM,
 * and persistence across `down` + `up`.
 */
export async function prodStack(
  cli: ComposeCli,
  images: Record<string, string>,
  checks: Checks,
  register: (p: ComposeProject) => void,
): Promise<ProdFigures> {
  const figures: ProdFigures = {};
  const webPort = await freePort();
  const project = new ComposeProject(cli, 'compose.prod.yaml', `osint-stacktest-${process.pid}`, {
    ...images,
    OSINT_IMAGE_TAG: 'latest',
    WEB_PORT: String(webPort),
    POSTGRES_PASSWORD: randomBytes(16).toString('hex'),
    DB_OWNER_PASSWORD: randomBytes(16).toString('hex'),
    DB_APP_PASSWORD: randomBytes(16).toString('hex'),
    DB_BACKUP_PASSWORD: randomBytes(16).toString('hex'),
    SESSION_SECRET: randomBytes(32).toString('hex'),
  });
  register(project);
  const web = `http://127.0.0.1:${webPort}`;
  console.log(`production-like stack (${project.name}, web on ${web}):`);

  const upStarted = Date.now();
  const up = await project.compose(['up', '-d', '--no-build'], BOOT_TIMEOUT_MS);
  const booted = await checks.check(
    'prod: stack boots, every service healthy, migrate exited 0',
    async () => {
      assert(up.code === 0, `compose up failed: ${up.stderr.trim().split('\n').slice(-6).join(' | ')}`);
      await project.waitHealthy(LONG_RUNNING, ['migrate'], BOOT_TIMEOUT_MS - (Date.now() - upStarted));
      await waitFor('web /readyz 200', 60_000, async () =>
        (await http(`${web}/readyz`)).status === 200 ? 1 : undefined,
      );
      figures.bootMs = Date.now() - upStarted;
      return `healthy ${(figures.bootMs / 1000).toFixed(1)} s after \`up\``;
    },
  );
  if (!booted) {
    for (const s of [...LONG_RUNNING, 'migrate']) console.log(`    ${s}: ${await project.logs(s, 6)}`);
    return figures;
  }

  await checks.check('prod: /readyz through the web container is 200 (PostgreSQL + Redis ok)', async () => {
    const r = await http(`${web}/readyz`);
    const body = r.json<{ status: string; checks: Record<string, { ok: boolean }> }>();
    assert(r.status === 200 && body.status === 'ok', `${r.status} ${r.body.slice(0, 200)}`);
    return Object.keys(body.checks).join(' + ');
  });

  await checks.check('prod: /api/v1 through the web container reaches the API', async () => {
    const r = await http(`${web}/api/v1/jobs/00000000-0000-4000-8000-000000000000`);
    const type = r.headers.get('content-type') ?? '';
    assert([401, 403, 404].includes(r.status), `status ${r.status}: ${r.body.slice(0, 200)}`);
    assert(type.includes('application/problem+json'), `content-type ${type}`);
    return `GET /api/v1/jobs/<unknown> → ${r.status} problem+json`;
  });

  await checks.check('prod: web serves the SPA, hashed assets cached immutable, /healthz local', async () => {
    const index = await http(`${web}/investigations/some/deep/link`);
    assert(index.status === 200 && index.body.includes('<div id="root">'), `index: ${index.status}`);
    assert(
      index.headers.get('cache-control') === 'no-cache',
      `index cache-control ${index.headers.get('cache-control')}`,
    );
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    assert(asset, 'index.html references no /assets/*.js');
    const js = await http(`${web}${asset}`);
    assert(js.status === 200, `${asset}: ${js.status}`);
    assert(
      (js.headers.get('cache-control') ?? '').includes('immutable'),
      `asset cache-control ${js.headers.get('cache-control')}`,
    );
    const health = await http(`${web}/healthz`);
    assert(health.status === 200, `/healthz ${health.status}`);
    return `${asset} ${js.body.length} bytes`;
  });

  await checks.check('prod: published ports bound to 127.0.0.1 only (web)', async () => {
    const all = await project.containers();
    const bindings: string[] = [];
    for (const c of all) {
      const r = await run('docker', ['port', c.id], { timeoutMs: 15_000 });
      for (const line of r.stdout.split('\n').filter(Boolean)) bindings.push(`${c.service} ${line}`);
    }
    assert(bindings.length > 0, 'nothing published');
    const open = bindings.filter((b) => !/-> 127\.0\.0\.1:/.test(b));
    assert(open.length === 0, `not loopback: ${open.join('; ')}`);
    assert(
      bindings.every((b) => b.startsWith('web ')),
      `more than web published: ${bindings.join('; ')}`,
    );
    return bindings.join('; ');
  });

  await checks.check('prod: migrations applied (drizzle.__drizzle_migrations = journal)', async () => {
    const applied = Number(
      await project.exec('postgres', [
        'psql',
        '-U',
        'postgres',
        '-d',
        'osint',
        '-Atc',
        'select count(*) from drizzle.__drizzle_migrations',
      ]),
    );
    const journal = Number(
      await project.exec('api', [
        'node',
        '-e',
        "process.stdout.write(String(require('/app/db/migrations/meta/_journal.json').entries.length))",
      ]),
    );
    assert(applied === journal && journal > 0, `${applied} applied, ${journal} in the image's journal`);
    return `${applied} of ${journal}`;
  });

  let jobUrl: string | undefined;
  let auth: Record<string, string> = {};
  await checks.check('prod: a job enqueued by the API is processed by the worker', async () => {
    const origin = { origin: web };
    const enqueue = () =>
      http(`${web}/api/v1/diagnostics/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...origin, ...auth },
        body: '{}',
      });
    let r = await enqueue();
    let how = 'anonymous';
    if (r.status === 401 || r.status === 403) {
      // Admin-only: create the first administrator as an operator would (README, "Signing in"), then sign in.
      const created = await project.compose(
        [
          'run',
          '--rm',
          '--no-deps',
          '-e',
          `ADMIN_EMAIL=${ADMIN.email}`,
          '-e',
          `ADMIN_PASSWORD=${ADMIN.password}`,
          'api',
          'node',
          'services/api/dist/cli/create-admin.js',
        ],
        300_000,
      );
      assert(
        created.code === 0,
        `create-admin failed: ${created.stderr.trim().split('\n').slice(-4).join(' | ')}`,
      );
      const login = await http(`${web}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...origin },
        body: JSON.stringify(ADMIN),
      });
      assert(login.status === 200, `login ${login.status}: ${login.body.slice(0, 200)}`);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      assert(cookie, 'login set no cookie');
      auth = { cookie };
      how = `signed in as ${ADMIN.email} made by create-admin`;
      r = await enqueue();
    }
    assert(r.status === 202, `POST /api/v1/diagnostics/jobs → ${r.status}: ${r.body.slice(0, 200)}`);
    const url = r.json<{ url: string }>().url;
    assert(url, 'no url in the 202 body');
    jobUrl = url;
    const started = Date.now();
    const final = await waitFor(`job ${url} succeeded`, JOB_TIMEOUT_MS, async () => {
      const j = await http(`${web}${url}`, { headers: auth });
      const status = j.status === 200 ? j.json<{ status: string }>().status : `HTTP ${j.status}`;
      if (status === 'failed') throw new Error(`job failed: ${j.body.slice(0, 300)}`);
      if (status !== 'succeeded') throw new Error(`status ${status}`);
      return status;
    });
    return `${final} in ${((Date.now() - started) / 1000).toFixed(1)} s (${how})`;
  });

  await checks.check('prod: containers run as non-root (every process)', async () => {
    const found: string[] = [];
    for (const c of await project.containers()) {
      if (c.state !== 'running') continue;
      const top = await run('docker', ['top', c.id, '-o', 'pid,uid,comm'], { timeoutMs: 15_000 });
      const uids = top.stdout
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.trim().split(/\s+/)[1]);
      assert(uids.length > 0, `${c.service}: no processes listed`);
      assert(!uids.includes('0'), `${c.service} has processes as root: ${top.stdout}`);
      found.push(`${c.service} ${[...new Set(uids)].join('/')}`);
    }
    for (const s of ['api', 'worker']) {
      const uid = await project.exec(s, ['node', '-e', 'process.stdout.write(String(process.getuid()))']);
      assert(uid === '10001', `${s} runs as uid ${uid}`);
    }
    const webUid = await project.exec('web', ['bash', '-c', 'echo $EUID']);
    assert(webUid === '10001', `web runs as uid ${webUid}`);
    for (const s of ['postgres', 'redis']) {
      const uid = await project.exec(s, ['id', '-u']);
      assert(uid === '999', `${s}: \`exec id -u\` is ${uid}`);
    }
    return found.join(', ');
  });

  await checks.check('prod: root filesystems read-only, /tmp writable (api, web)', async () => {
    const probe =
      "const fs=require('fs');let ro=false;try{fs.writeFileSync('/app/probe','x')}catch(e){ro=e.code==='EROFS'}" +
      "fs.writeFileSync('/tmp/probe','x');process.stdout.write(String(ro))";
    assert((await project.exec('api', ['node', '-e', probe])) === 'true', 'api can write /app');
    const webProbe = await project.exec('web', [
      'bash',
      '-c',
      '( : >/usr/share/nginx/html/probe ) 2>/dev/null && echo writable || echo ro; : >/tmp/probe && echo tmp-ok',
    ]);
    assert(webProbe === 'ro\ntmp-ok', `web: ${webProbe}`);
    return 'EROFS outside /tmp';
  });

  // Persistence: a marker in Redis (AOF volume) next to the job row in PostgreSQL.
  const marker = `stacktest-${process.pid}-${Date.now()}`;
  await project.exec('redis', ['redis-cli', 'SET', 'osint:stacktest:marker', marker]).catch(() => '');

  await checks.check('prod: api and worker stop on SIGTERM with exit 0 (tini → node drain)', async () => {
    await project.must(['stop', '--timeout', '20', 'web', 'api', 'worker'], 120_000);
    const codes = (await project.containers())
      .filter((c) => ['api', 'worker', 'web'].includes(c.service))
      .map((c) => `${c.service} ${c.exitCode}`);
    assert(
      codes.filter((c) => /^(api|worker) /.test(c)).every((c) => c.endsWith(' 0')),
      `exit codes: ${codes.join(', ')}`,
    );
    return codes.join(', ');
  });

  await checks.check('prod: data survives `down` + `up` (PostgreSQL job row, Redis AOF key)', async () => {
    const left = await project.down(false);
    assert(left.length === 0, `down left ${left.join(', ')}`);
    const again = Date.now();
    await project.must(['up', '-d', '--no-build'], BOOT_TIMEOUT_MS);
    await project.waitHealthy(LONG_RUNNING, ['migrate'], BOOT_TIMEOUT_MS);
    figures.rebootMs = Date.now() - again;
    assert(jobUrl, 'no job from the earlier check to look for');
    const j = await http(`${web}${jobUrl}`, { headers: auth });
    assert(
      j.status === 200 && j.json<{ status: string }>().status === 'succeeded',
      `job after restart: ${j.status} ${j.body.slice(0, 120)}`,
    );
    const value = await project.exec('redis', ['redis-cli', 'GET', 'osint:stacktest:marker']);
    assert(value === marker, `redis marker after restart: '${value}'`);
    const migrate = await project.logs('migrate', 3);
    return `job still succeeded, redis key kept; healthy again in ${(figures.rebootMs / 1000).toFixed(1)} s (${migrate.includes('"applied":0') ? 'migrate applied 0' : 'migrate ran'})`;
  });

  return figures;
}
