import type { Server } from 'node:http';
import type { Express } from 'express';
import { type ApiDeps, closeDeps } from './deps.js';

export interface RunningServer {
  server: Server;
  port: number;
  /** Stop accepting, drain in-flight requests up to the grace period, then close dependencies. */
  shutdown(reason: string): Promise<void>;
}

/** Listens and wires the graceful shutdown sequence; returns once the port is bound. */
export function listen(app: Express, deps: ApiDeps, port: number, host: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      let closing: Promise<void> | null = null;
      const shutdown = (reason: string) => {
        closing ??= drain(server, deps, reason);
        return closing;
      };
      resolve({ server, port: bound, shutdown });
    });
    server.keepAliveTimeout = 65_000; // longer than typical load-balancer idle timeouts (60 s)
    server.headersTimeout = 66_000;
  });
}

async function drain(server: Server, deps: ApiDeps, reason: string): Promise<void> {
  const grace = deps.config.SHUTDOWN_GRACE_MS;
  deps.logger.info({ reason, graceMs: grace }, 'shutting down: refusing new connections, draining');
  deps.state.shuttingDown = true;
  if (deps.config.SHUTDOWN_DELAY_MS > 0)
    await new Promise((r) => setTimeout(r, deps.config.SHUTDOWN_DELAY_MS));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Event streams never finish by themselves: end them now so their clients reconnect to another replica.
  await deps.events.close();
  // Idle keep-alive sockets would hold close() open; busy ones get `Connection: close` on their response.
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), grace);
  });
  const outcome = await Promise.race([closed.then(() => 'drained' as const), deadline]);
  clearInterval(idleSweep);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    deps.logger.warn('grace period over: closing remaining connections');
    server.closeAllConnections();
  }
  await closeDeps(deps);
  deps.logger.info({ outcome }, 'shutdown complete');
}
