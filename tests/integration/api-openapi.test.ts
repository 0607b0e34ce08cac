import { describeApi } from '@osint/api';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildRoutes } from '../../services/api/src/app.js';
import { createTestApi } from '../support/api.js';
import { as, serverOf } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';

const api = await createTestApi();
const world = await buildWorld(api);
const { app } = world;

const res = await request(serverOf(app)).get('/api/v1/openapi.json').expect(200);
const doc = res.body as {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

/** Every (METHOD, /api/v1/path) Express actually serves, read from the mounted router's stack. */
function expressRoutes(): string[] {
  const routes = buildRoutes(api.deps);
  const stack = (
    routes.router as unknown as {
      stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }>;
    }
  ).stack;
  return stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map(
          (m) => `${m.toUpperCase()} /api/v1${layer.route!.path.replace(/:([A-Za-z]+)/g, '{$1}')}`,
        )
      : [],
  );
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

describe('OpenAPI document', () => {
  it('is JSON for OpenAPI 3.1.x with info, components and security schemes', () => {
    expect(res.headers['content-type']).toContain('application/json');
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.components.securitySchemes).toHaveProperty('cookieAuth');
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
    expect(doc.components.schemas).toHaveProperty('Problem');
  });

  it('is the document describeApi() builds without services (the web types are generated from it)', () => {
    expect(describeApi(api.deps.config)).toEqual(doc);
  });

  it('lists every route the API serves, and nothing else', () => {
    const served = expressRoutes().sort();
    expect(served.length).toBeGreaterThanOrEqual(45);
    expect(documentedRoutes().sort()).toEqual(served);
  });

  it('gives every operation a unique operationId and documented responses', () => {
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('every $ref resolves and every component is a valid JSON Schema 2020-12', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(name && doc.components.schemas[name], ref).toBeTruthy();
    }
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'openapi.json', components: doc.components });
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.getSchema(`openapi.json#/components/schemas/${name}`), name).not.toThrow();
    }
  });

  it('real responses match their documented schemas', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'openapi.json', components: doc.components });
    const inv = `/api/v1/investigations/${world.investigationId}`;
    const o = as(app, world.owner);
    const checks: Array<[string, string]> = [
      [inv, 'Investigation'],
      ['/api/v1/investigations', 'InvestigationPage'],
      [`${inv}/members`, 'MemberPage'],
      [`${inv}/selectors`, 'InvestigationSelectorPage'],
      [`${inv}/selectors/${world.selectorId}`, 'InvestigationSelector'],
      [`${inv}/selectors/${world.selectorId}/correlations`, 'CorrelationPage'],
      [`${inv}/documents`, 'DocumentPage'],
      [`${inv}/documents/${world.documentId}`, 'DocumentWithText'],
      [`${inv}/entities`, 'EntityPage'],
      [`${inv}/relationships`, 'RelationshipPage'],
      [`${inv}/notes`, 'NotePage'],
      [`${inv}/audit`, 'AuditEventPage'],
      [`/api/v1/jobs/${world.jobId}`, 'Job'],
      [`${inv}/jobs`, 'JobPage'],
      [`${inv}/search?q=example`, 'SearchResult'],
      ['/api/v1/search?q=exam', 'SearchResult'],
      [`${inv}/graph?start=selector:${world.selectorId}`, 'Graph'],
      [`${inv}/graph`, 'Graph'],
      ['/api/v1/auth/me', 'Me'],
      ['/api/v1/auth/tokens', 'ApiTokenPage'],
      [`${inv}/nope-not-a-route`, 'Problem'],
    ];
    for (const [url, schema] of checks) {
      const got = await o.get(url);
      const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`);
      expect(validate, schema).toBeDefined();
      const ok = validate!(got.body);
      expect(ok, `${url} vs ${schema}: ${JSON.stringify(validate!.errors)}`).toBe(true);
    }
  });

  it('the docs page is self-contained HTML listing every operation', async () => {
    const page = await request(serverOf(app)).get('/api/v1/docs').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).not.toMatch(/<script|https?:\/\/(?!osint-platform\.dev)[a-z]/i);
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) expect(page.text).toContain(`id="${op.operationId}"`);
    }
  });
});
