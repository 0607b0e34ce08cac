import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@osint/core';
import type { ApiConfig } from './config.js';

/** PostgreSQL connections one replica holds when DB_POOL_MAX is not set, whatever API_PROCESSES is. */
export const REPLICA_POOL = 10;

/** Each process's share of REPLICA_POOL, at least 2 (one slow statement must not stall a process). */
export function poolPerProcess(processes: number): number {
  return Math.max(2, Math.ceil(REPLICA_POOL / processes));
}

/**
 * The primary of API_PROCESSES > 1 (docs/decisions/0024-api-processes.md): forks the workers, which share
 * the listening socket (the primary accepts and hands connections out round-robin), restarts a worker
 * that dies after it started serving, and on SIGTERM/SIGINT passes the signal on and exits once every
 * worker has drained (each runs the usual graceful shutdown), or kills them after the grace period.
 * A worker that fails during start-up (port in use, database refused) stops the whole group with its
 * exit code, as a single process would have.
 */
export function runPrimary(opts: {
  processes: number;
  exec: string;
  config: Pick<ApiConfig, 'SHUTDOWN_GRACE_MS' | 'SHUTDOWN_DELAY_MS'>;
  logger: Logger;
}): void {
  const { logger } = opts;
  cluster.setupPrimary({ exec: opts.exec });
  let stopping = false;
  let exitCode = 0;
  const listening = new Set<number>();

  // One replica's connection budget stays DB_POOL_MAX's default (10) however many processes share it,
  // unless DB_POOL_MAX is set, which is then per process (docs/operations.md's connection budget).
  const env = process.env.DB_POOL_MAX ? {} : { DB_POOL_MAX: String(poolPerProcess(opts.processes)) };
  const fork = () => {
    cluster.fork(env);
  };
  const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

  const stop = (signal: NodeJS.Signals, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info({ signal, workers: live().length }, 'stopping the API workers');
    for (const worker of live()) worker.process.kill(signal);
    const limit = opts.config.SHUTDOWN_DELAY_MS + opts.config.SHUTDOWN_GRACE_MS + 5_000;
    setTimeout(() => {
      for (const worker of live()) worker.process.kill('SIGKILL');
    }, limit).unref();
    if (live().length === 0) process.exit(exitCode);
  };

  cluster.on('listening', (worker) => {
    listening.add(worker.id);
    if (listening.size === opts.processes)
      logger.info({ processes: opts.processes }, 'api workers listening');
  });
  cluster.on('exit', (worker, code, signal) => {
    const served = listening.delete(worker.id);
    if (stopping) {
      if (code !== 0 && code !== null) exitCode ||= code;
      if (live().length === 0) process.exit(exitCode);
      return;
    }
    // One that never listened would only fail again (port in use, bad configuration): stop, as one process would.
    if (!served) {
      logger.fatal({ worker: worker.id, code, signal }, 'an API worker failed during start-up: stopping');
      stop('SIGTERM', code || 1);
      return;
    }
    logger.error({ worker: worker.id, code, signal }, 'an API worker died: starting another');
    fork();
  });
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  for (let i = 0; i < opts.processes; i++) fork();
}
