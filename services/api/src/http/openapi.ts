import { type OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** Generates the OpenAPI 3.1 document from the registered zod schemas (one source of truth). */
export function buildOpenApiDocument(registry: OpenAPIRegistry): OpenApiDocument {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'OSINT platform API',
      version: '1.0.0',
      description:
        'Investigations, selectors, documents, entities, relationships, notes and the audit trail. ' +
        'Errors are RFC 9457 application/problem+json; lists use opaque cursors. See docs/api.md.',
    },
    servers: [{ url: '/' }],
  });
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

/**
 * A self-contained, script-free HTML rendering of the document: air-gapped installs and tests reach no CDN,
 * so Swagger UI is not an option; this lists every operation with its parameters, body and responses.
 */
export function renderDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${esc(p.name)}</code> <span class="in">${esc(p.in)}</span>${p.required ? ' <b>required</b>' : ''}</li>`,
        )
        .join('');
      const body = Object.entries(op.requestBody?.content ?? {})
        .map(
          ([type, media]) =>
            `<details><summary>body: ${esc(type)}</summary><pre>${esc(JSON.stringify(media.schema, null, 2))}</pre></details>`,
        )
        .join('');
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><code>${esc(status)}</code> ${esc(r.description)}</li>`)
        .join('');
      const auth = op.security && op.security.length === 0 ? 'public' : 'signed in';
      const html = `<section class="op" id="${esc(op.operationId)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> <small>${auth}</small></h3>
<p>${esc(op.summary)}</p>${op.description ? `<p class="d">${esc(op.description)}</p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}${body}
<h4>Responses</h4><ul>${responses}</ul></section>`;
      const list = byTag.get(tag) ?? [];
      list.push(html);
      byTag.set(tag, list);
    }
  }
  const tags = [...byTag.keys()].sort();
  const nav = tags.map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join(' · ');
  const sections = tags
    .map((t) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${(byTag.get(t) ?? []).join('\n')}`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
code,pre{font-family:ui-monospace,monospace}pre{background:#f4f4f4;padding:.5rem;overflow:auto;max-height:24rem}
.op{border:1px solid #ddd;border-radius:6px;padding:.25rem 1rem;margin:.75rem 0}
.m{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;padding:0 .4rem}
.get{background:#2f6fb0}.post{background:#2e8540}.patch{background:#9a6700}.put{background:#6b4fbb}.delete{background:#b42318}
.in{color:#666}small{color:#666;font-weight:normal}
</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
<nav>${nav}</nav>
${sections}
</body></html>`;
}
