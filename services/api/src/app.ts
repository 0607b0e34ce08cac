import express, { type Express } from 'express';
import type { ApiDeps } from './deps.js';
import { createHttpMetrics } from './http/metrics.js';
import { notFoundHandler, problemHandler } from './http/problem.js';
import { requestContext } from './http/request-context.js';
import { jobRouter } from './jobs/job.router.js';
import { healthRouter } from './routes/health.router.js';

/**
 * Builds the Express app from its dependencies only (no globals, no listening), so tests drive it with
 * Supertest against their own database and Redis, and `main.ts` owns the process concerns.
 */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  const metrics = createHttpMetrics();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger));
  app.use(metrics.middleware);
  app.use((_req, res, next) => {
    // During shutdown, ask keep-alive clients to reconnect elsewhere once this response is done.
    if (deps.state.shuttingDown) res.set('Connection', 'close');
    next();
  });
  app.use(healthRouter(deps, metrics.registry));
  app.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));

  const v1 = express.Router();
  v1.use(jobRouter(deps));
  app.use('/api/v1', v1);

  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
