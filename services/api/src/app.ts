import { bumpInvestigationVersion } from '@osint/core';
import express, { type Express } from 'express';
import type { Metric } from 'prom-client';
import { auditRoutes } from './audit/audit.router.js';
import { authRoutes } from './auth/auth.router.js';
import { authenticate } from './auth/authenticate.js';
import type { ApiDeps } from './deps.js';
import { documentRoutes } from './documents/document.router.js';
import { entityRoutes } from './entities/entity.router.js';
import { exportRoutes } from './exports/export.router.js';
import { graphRoutes } from './graph/graph.router.js';
import { csrfProtection } from './http/csrf.js';
import { createHttpMetrics } from './http/metrics.js';
import { buildOpenApiDocument, type OpenApiDocument, renderDocsPage } from './http/openapi.js';
import { notFoundHandler, problemHandler } from './http/problem.js';
import { requestContext } from './http/request-context.js';
import { ApiRoutes } from './http/route.js';
import { IMPORT_PATH, importRoutes } from './imports/import.router.js';
import { investigationRoutes } from './investigations/investigation.router.js';
import { jobRoutes } from './jobs/job.router.js';
import { mentionRoutes } from './mentions/mention.router.js';
import { noteRoutes } from './notes/note.router.js';
import { relationshipRoutes } from './relationships/relationship.router.js';
import { healthRouter } from './routes/health.router.js';
import { searchRoutes } from './search/search.router.js';
import { selectorRoutes } from './selectors/selector.router.js';

/** Every /api/v1 route, mounted and documented through one registry. */
export function buildRoutes(deps: ApiDeps): ApiRoutes {
  const routes = new ApiRoutes({
    onInvestigationWrite: (investigationId) =>
      void bumpInvestigationVersion(deps.redis, deps.config.QUEUE_PREFIX, investigationId),
  });
  authRoutes(routes, deps);
  investigationRoutes(routes, deps);
  selectorRoutes(routes, deps);
  documentRoutes(routes, deps);
  mentionRoutes(routes, deps);
  entityRoutes(routes, deps);
  relationshipRoutes(routes, deps);
  noteRoutes(routes, deps);
  auditRoutes(routes, deps);
  jobRoutes(routes, deps);
  searchRoutes(routes, deps);
  graphRoutes(routes, deps);
  exportRoutes(routes, deps);
  importRoutes(routes, deps);

  let document: OpenApiDocument | undefined;
  let page: string | undefined;
  routes.add({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This API as an OpenAPI 3.1 document, generated from the request and response schemas.',
    tag: 'meta',
    auth: 'public',
    responses: { 200: { description: 'The OpenAPI document.' } },
    handler: (_input, _req, res) => {
      document ??= buildOpenApiDocument(routes.registry);
      res.json(document);
    },
  });
  routes.add({
    method: 'get',
    path: '/docs',
    operationId: 'getApiDocsPage',
    summary: 'Browsable HTML rendering of the OpenAPI document (self-contained, no scripts).',
    tag: 'meta',
    auth: 'public',
    responses: { 200: { description: 'HTML page.' } },
    handler: (_input, _req, res) => {
      document ??= buildOpenApiDocument(routes.registry);
      page ??= renderDocsPage(document);
      res
        .type('html')
        .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(page);
    },
  });
  return routes;
}

/**
 * The OpenAPI document without a database, Redis or a listening server: registering the routes reads only
 * `deps.config`, and the handlers that use the rest never run. `npm run api:types` generates the web's
 * types from it; any other dependency touched while registering fails loudly here.
 */
export function describeApi(config: ApiDeps['config']): OpenApiDocument {
  const deps = new Proxy({ config } as ApiDeps, {
    get(target, key) {
      if (key === 'config') return target.config;
      throw new Error(
        `describeApi: registering the routes used deps.${String(key)}; only config is available`,
      );
    },
  });
  return buildOpenApiDocument(buildRoutes(deps).registry);
}

/**
 * Builds the Express app from its dependencies only (no globals, no listening), so tests drive it with
 * Supertest against their own database and Redis, and `main.ts` owns the process concerns.
 */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  const metrics = createHttpMetrics();
  for (const metric of Object.values<Metric<string>>(deps.metrics)) metrics.registry.registerMetric(metric);
  app.disable('x-powered-by');
  // No ETag: every /api/v1 answer is `Cache-Control: no-store`, so no client revalidates it, and hashing each
  // body (SHA-1 over ~20 KB for a page of selectors) was CPU spent on every request for nothing
  // (docs/performance.md#per-request-cpu). Export downloads set their own ETag (the file's SHA-256).
  app.set('etag', false);
  // Only the configured number of proxy hops (TRUST_PROXY_HOPS, default none): any address range would
  // also trust a client inside it, which then picks the address sessions, audit and throttling record.
  app.set('trust proxy', deps.config.TRUST_PROXY_HOPS);
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger));
  app.use(metrics.middleware);
  app.use((_req, res, next) => {
    // During shutdown, ask keep-alive clients to reconnect elsewhere once this response is done.
    if (deps.state.shuttingDown) res.set('Connection', 'close');
    next();
  });
  app.use(healthRouter(deps, metrics.registry));

  const routes = buildRoutes(deps);
  const v1 = express.Router();
  v1.use((_req, res, next) => {
    // API answers are per-user: never cached by shared caches.
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Who is calling, then CSRF (before the body is read), then the JSON body parser (multipart uploads are
  // streamed by the documents route itself).
  v1.use(authenticate(deps));
  v1.use(csrfProtection(deps.config.CSRF_TRUSTED_ORIGINS));
  const json = express.json({ limit: deps.config.BODY_LIMIT, strict: true });
  // The import route reads its (larger) body itself, under IMPORT_MAX_BYTES.
  v1.use((req, res, next) => (req.path === IMPORT_PATH ? next() : json(req, res, next)));
  // Pasted lists ("paste a list" search) may arrive as the raw paste.
  v1.use(express.text({ limit: deps.config.BODY_LIMIT, type: 'text/plain' }));
  v1.use(routes.router);
  app.use('/api/v1', v1);

  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
