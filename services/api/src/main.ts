import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { createLogger, exitAfterDrainOnSignal, loadConfigOrExit } from '@osint/core';
// The module alone: a cluster primary loads no database code.
import { redactUrl } from '@osint/db/url';
import { runPrimary } from './cluster.js';
import { apiConfigSchema } from './config.js';
import { resolveProcesses } from './processes.js';

const config = loadConfigOrExit('api', apiConfigSchema);
const logger = createLogger('api', config.LOG_LEVEL);
const processes = resolveProcesses(config.API_PROCESSES);

// API_PROCESSES > 1: this process only forks and supervises that many workers, which share the listening
// socket (Node's cluster module; docs/decisions/0024-api-processes.md). Workers run this same file.
if (cluster.isPrimary && processes > 1) {
  runPrimary({ processes, exec: fileURLToPath(import.meta.url), config, logger });
} else {
  await serve();
}

async function serve(): Promise<void> {
  // Imported here, not at the top: a primary never loads the application, only its workers do.
  const [{ createApp }, { createDeps }, { listen }] = await Promise.all([
    import('./app.js'),
    import('./deps.js'),
    import('./server.js'),
  ]);
  const deps = createDeps(config, logger);
  const app = createApp(deps);
  try {
    const running = await listen(app, deps, config.API_PORT, config.API_HOST);
    logger.info(
      {
        port: running.port,
        database: redactUrl(config.DATABASE_URL),
        redis: redactUrl(config.REDIS_URL),
        ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}),
      },
      'api listening',
    );
    exitAfterDrainOnSignal(logger, (signal) => running.shutdown(signal));
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      logger.fatal(`port ${config.API_PORT} is already in use: stop the other process or set API_PORT`);
    } else {
      logger.fatal({ err }, 'api failed to start');
    }
    process.exit(1);
  }
}
