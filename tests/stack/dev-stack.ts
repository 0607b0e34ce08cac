import { writeFileSync } from 'node:fs';
import { freePort } from '../../scripts/lib/ports.js';
import { type ComposeCli, run } from '../../scripts/stack/docker.js';
import { assert, type Checks, ComposeProject, http, type TempEdits, waitFor } from './support.js';

const LONG_RUNNING = ['postgres', 'redis', 'api', 'worker', 'web'];
const BOOT_TIMEOUT_MS = 5 * 60_000;
/** The hot runner restarts the API, Vite re-transforms a module: seconds; generous for a loaded 2-core machine. */
const RELOAD_TIMEOUT_MS = 180_000;

export interface DevFigures {
  bootMs?: number;
  apiReloadMs?: number;
  webReloadMs?: number;
}

/**
 * compose.yaml for real: development images with the sources bind-mounted, watchers as commands.
 * Health, published ports, non-root, the observability profile left out, and hot reload of an API file
 * (scripts/dev/hot-runner.ts: a broken save keeps the old process serving, a good one is served) and of a
 * web module (Vite serves the new version) edited in the working tree.
 */
export async function devStack(
  cli: ComposeCli,
  images: Record<string, string>,
  checks: Checks,
  edits: TempEdits,
  register: (p: ComposeProject) => void,
): Promise<DevFigures> {
  const figures: DevFigures = {};
  const ports = {
    PG_PORT: String(await freePort()),
    REDIS_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    WORKER_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
  };
  const project = new ComposeProject(cli, 'compose.yaml', `osint-stacktest-${process.pid}-dev`, {
    ...images,
    ...ports,
  });
  register(project);
  const api = `http://127.0.0.1:${ports.API_PORT}`;
  const web = `http://127.0.0.1:${ports.WEB_PORT}`;
  console.log(`development stack (${project.name}, web on ${web}, api on ${api}):`);

  const started = Date.now();
  const up = await project.compose(['up', '-d', '--no-build'], BOOT_TIMEOUT_MS);
  const booted = await checks.check('dev: stack boots, every service healthy, migrate exited 0', async () => {
    assert(up.code === 0, `compose up failed: ${up.stderr.trim().split('\n').slice(-6).join(' | ')}`);
    await project.waitHealthy(LONG_RUNNING, ['migrate'], BOOT_TIMEOUT_MS - (Date.now() - started));
    figures.bootMs = Date.now() - started;
    return `healthy ${(figures.bootMs / 1000).toFixed(1)} s after \`up\``;
  });
  if (!booted) {
    for (const s of [...LONG_RUNNING, 'migrate']) console.log(`    ${s}: ${await project.logs(s, 6)}`);
    return figures;
  }

  await checks.check(
    'dev: API, worker and Vite answer on 127.0.0.1 ports; Vite proxies /readyz',
    async () => {
      const ready = await http(`${api}/readyz`);
      assert(ready.status === 200, `api /readyz ${ready.status}`);
      const worker = await http(`http://127.0.0.1:${ports.WORKER_PORT}/readyz`);
      assert(worker.status === 200, `worker /readyz ${worker.status}`);
      const page = await http(`${web}/`);
      assert(page.status === 200 && page.body.includes('<div id="root">'), `web / ${page.status}`);
      assert(page.body.includes('/@vite/client'), 'web / is not served by the Vite dev server');
      const proxied = await http(`${web}/readyz`);
      assert(proxied.status === 200, `web /readyz (Vite proxy to api:4000) ${proxied.status}`);
      const bindings: string[] = [];
      for (const c of await project.containers()) {
        const r = await run('docker', ['port', c.id], { timeoutMs: 15_000 });
        bindings.push(...r.stdout.split('\n').filter(Boolean));
      }
      const open = bindings.filter((b) => !/-> 127\.0\.0\.1:/.test(b));
      assert(open.length === 0, `published beyond loopback: ${open.join('; ')}`);
      return `${bindings.length} published ports, all 127.0.0.1`;
    },
  );

  await checks.check('dev: app containers run as uid 10001', async () => {
    const uids: string[] = [];
    for (const s of ['api', 'worker', 'web']) {
      const uid = await project.exec(s, ['id', '-u']);
      assert(uid === '10001', `${s} runs as uid ${uid}`);
      uids.push(`${s} ${uid}`);
    }
    return uids.join(', ');
  });

  await checks.check('dev: the observability profile stays off without --profile', async () => {
    const started = (await project.containers()).map((c) => c.service);
    const extra = started.filter((s) => s === 'prometheus' || s === 'grafana');
    assert(extra.length === 0, `started by default: ${extra.join(', ')}`);
    return `services: ${[...new Set(started)].sort().join(', ')}`;
  });

  const apiReload = await checks.check(
    'dev: API hot reload (edit services/api/src/app.ts → hot runner rebuilds, warm stand-by serves it)',
    async () => {
      const marker = `stacktest${process.pid}x${Date.now()}`;
      const line = `  app.use((_req, res, next) => { res.set('X-Stack-Test', '${marker}'); next(); }); // stack test, reverted`;
      const t0 = Date.now();
      edits.insertAfter('services/api/src/app.ts', 'const app = express();', line);
      await waitFor('API serves the edited code', RELOAD_TIMEOUT_MS, async () => {
        const r = await http(`${api}/healthz`, {}, 3_000);
        return r.headers.get('x-stack-test') === marker ? true : undefined;
      });
      figures.apiReloadMs = Date.now() - t0;
      edits.revertAll();
      await waitFor('API serves the reverted code', RELOAD_TIMEOUT_MS, async () => {
        const r = await http(`${api}/healthz`, {}, 3_000);
        return r.status === 200 && r.headers.get('x-stack-test') === null ? true : undefined;
      });
      return `new header served ${(figures.apiReloadMs / 1000).toFixed(1)} s after the save; revert served too`;
    },
  );
  if (!apiReload) console.log(`    api: ${await project.logs('api', 12)}`);

  await checks.check(
    'dev: a broken save keeps the API serving (hot runner prints the error), the fix is served',
    async () => {
      const marker = `stacktestfix${process.pid}x${Date.now()}`;
      const bad = `  const stackTestBroken = ; // stack test: a syntax error, reverted`;
      edits.insertAfter('services/api/src/app.ts', 'const app = express();', bad);
      try {
        // Whole lines, not project.logs(): that keeps only the last 600 characters, and esbuild's error
        // report follows the runner's line.
        await waitFor('the runner reports the failed build', RELOAD_TIMEOUT_MS, async () => {
          const r = await project.compose(['logs', '--no-color', '--tail', '80', 'api'], 30_000);
          return r.stdout.includes('api does not build') ? true : undefined;
        });
        const during = await http(`${api}/healthz`, {}, 5_000);
        assert(during.status === 200, `API /healthz during the broken save: ${during.status}`);
      } finally {
        edits.revertAll();
      }
      const line = `  app.use((_req, res, next) => { res.set('X-Stack-Test', '${marker}'); next(); }); // stack test, reverted`;
      edits.insertAfter('services/api/src/app.ts', 'const app = express();', line);
      try {
        await waitFor('API serves the fixed code', RELOAD_TIMEOUT_MS, async () => {
          const r = await http(`${api}/healthz`, {}, 3_000);
          return r.headers.get('x-stack-test') === marker ? true : undefined;
        });
      } finally {
        edits.revertAll();
      }
      await waitFor('API serves the reverted code', RELOAD_TIMEOUT_MS, async () => {
        const r = await http(`${api}/healthz`, {}, 3_000);
        return r.status === 200 && r.headers.get('x-stack-test') === null ? true : undefined;
      });
      return '/healthz 200 while the build failed; the next good save served';
    },
  );

  await checks.check(
    'dev: web hot reload (edit a module under web/src → Vite serves the new version)',
    async () => {
      const file = `web/src/stack-test-${process.pid}.ts`;
      const url = `${web}/src/stack-test-${process.pid}.ts`;
      const v1 = `first${Date.now()}`;
      const abs = edits.create(file, `export const stackTestMarker = '${v1}';\n`);
      try {
        await waitFor('Vite serves the new module', RELOAD_TIMEOUT_MS, async () => {
          const r = await http(url, {}, 5_000);
          return r.status === 200 && r.body.includes(v1) ? true : undefined;
        });
        const v2 = `second${Date.now()}`;
        const t0 = Date.now();
        writeFileSync(abs, `export const stackTestMarker = '${v2}';\n`);
        await waitFor('Vite serves the edited module', RELOAD_TIMEOUT_MS, async () => {
          const r = await http(url, {}, 5_000);
          return r.body.includes(v2) ? true : undefined;
        });
        figures.webReloadMs = Date.now() - t0;
      } finally {
        edits.revertAll();
      }
      return `edited module served ${(figures.webReloadMs / 1000).toFixed(1)} s after the save`;
    },
  );

  return figures;
}
