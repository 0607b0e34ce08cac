import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { ApiDeps } from '../deps.js';

interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

async function timed(fn: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness, readiness and metrics: unauthenticated, outside /api/v1, cheap. */
export function healthRouter(deps: ApiDeps, registry: Registry): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res) => {
    const timeout = deps.config.READINESS_TIMEOUT_MS;
    const [postgres, redis] = await Promise.all([
      timed(() => deps.sql`select 1`, timeout),
      timed(() => deps.redis.ping(), timeout),
    ]);
    const checks = { postgres, redis };
    const failed = Object.entries(checks)
      .filter(([, c]) => !c.ok)
      .map(([name]) => name);
    if (deps.state.shuttingDown) failed.push('shutting-down');
    res
      .status(failed.length === 0 ? 200 : 503)
      .json({ status: failed.length === 0 ? 'ok' : 'unavailable', failed, checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
