import http from 'node:http';
import type { WorkerRuntime } from './runtime.js';

/** The worker's own tiny HTTP server: /healthz, /readyz (PostgreSQL + Redis) and /metrics. */
export function startHealthServer(runtime: WorkerRuntime, port: number, host: string): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const url = req.url?.split('?')[0];
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
    } else if (url === '/readyz') {
      const checks = await runtime.checks();
      const failed = Object.entries(checks)
        .filter(([, c]) => !c.ok)
        .map(([name]) => name);
      res
        .writeHead(failed.length ? 503 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: failed.length ? 'unavailable' : 'ok', failed, checks }));
    } else if (url === '/metrics') {
      res.writeHead(200, { 'content-type': runtime.metrics.registry.contentType });
      res.end(await runtime.metrics.registry.metrics());
    } else {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Not Found', status: 404, code: 'route_not_found' }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
