import { createLogger, loadConfigOrExit, redactUrl } from '@osint/core';
import { createApp } from './app.js';
import { apiConfigSchema } from './config.js';
import { createDeps } from './deps.js';
import { listen } from './server.js';

const config = loadConfigOrExit('api', apiConfigSchema);
const logger = createLogger('api', config.LOG_LEVEL);
const deps = createDeps(config, logger);
const app = createApp(deps);

try {
  const running = await listen(app, deps, config.API_PORT, config.API_HOST);
  logger.info(
    { port: running.port, database: redactUrl(config.DATABASE_URL), redis: redactUrl(config.REDIS_URL) },
    'api listening',
  );
  // A second signal (a process group signalled twice, an impatient operator) must not cut the drain short.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.shutdown(signal).then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') {
    logger.fatal(`port ${config.API_PORT} is already in use: stop the other process or set API_PORT`);
  } else {
    logger.fatal({ err }, 'api failed to start');
  }
  process.exit(1);
}
