import { createLogger, exitAfterDrainOnSignal, loadConfigOrExit } from '@osint/core';
import { workerConfigSchema } from './config.js';
import { startHealthServer } from './health-server.js';
import { createWorkerRuntime } from './runtime.js';

const config = loadConfigOrExit('worker', workerConfigSchema);
const logger = createLogger('worker', config.LOG_LEVEL);
const runtime = createWorkerRuntime(config, logger);

try {
  const health = await startHealthServer(runtime, config.WORKER_PORT, config.WORKER_HOST);
  logger.info({ port: config.WORKER_PORT, concurrency: config.WORKER_CONCURRENCY }, 'worker ready');
  exitAfterDrainOnSignal(logger, (signal) => {
    health.close();
    return runtime.close(signal);
  });
} catch (error) {
  const err = error as NodeJS.ErrnoException;
  logger.fatal(
    err.code === 'EADDRINUSE'
      ? `port ${config.WORKER_PORT} is already in use: stop the other process or set WORKER_PORT`
      : { err },
    'worker failed to start',
  );
  await runtime.close('startup failure');
  process.exit(1);
}
