import type { Request } from 'express';
import type { ApiDeps } from '../deps.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams, issuesToFieldErrors } from '../http/validate.js';
import { AppError, ValidationError } from '../shared/errors.js';
import {
  lookupBody,
  lookupBodyFor,
  lookupResultSchema,
  searchQuery,
  searchResultSchema,
} from './search.schema.js';
import { lookupPasted, searchEverywhere, searchInvestigation } from './search.service.js';

/**
 * Pasted text arrives as text/plain (the raw paste) or JSON `{ "text": … }`. Longer than `maxChars` is
 * 413 naming the bound: the look-up answers synchronously, so its size is bounded (ADR 0017).
 */
function pastedText(req: Request, maxChars: number): string {
  const plain = typeof req.body === 'string' && req.is('text/plain');
  if (!plain && !req.is('application/json')) {
    throw new AppError(415, 'unsupported_media_type', 'Send the text as text/plain, or JSON { "text": … }.');
  }
  const body: unknown = plain ? { text: req.body } : (req.body ?? {});
  const text = (body as { text?: unknown }).text;
  if (typeof text === 'string' && text.length > maxChars) {
    throw new AppError(
      413,
      'lookup_too_large',
      `A look-up reads at most ${maxChars} characters (LOOKUP_MAX_CHARS); this text has ${text.length}. Add it as a document instead: its extraction runs as a job.`,
      { maxChars, setting: 'LOOKUP_MAX_CHARS' },
    );
  }
  const parsed = lookupBodyFor(maxChars).safeParse(body);
  if (!parsed.success) throw new ValidationError(issuesToFieldErrors(parsed.error.issues, 'body'));
  return parsed.data.text;
}

/** Search inside an investigation, across the caller's investigations, and "paste a list" look-ups. */
export function searchRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/investigations/:id/search',
    operationId: 'searchInvestigation',
    summary:
      'Search selectors (substring/prefix) and documents (full text, highlighted snippets) of one investigation.',
    tag: 'search',
    auth: 'user',
    request: { params: idParams, query: searchQuery },
    responses: {
      200: { description: 'Matches; `X-Search-Cache` says hit or miss.', schema: searchResultSchema },
    },
    handler: async ({ params, query, user }, _req, res) => {
      const { json, cache } = await searchInvestigation(deps, user.id, params.id, query);
      res.set('X-Search-Cache', cache).type('application/json').send(json);
    },
  });

  routes.add({
    method: 'get',
    path: '/search',
    operationId: 'searchEverywhere',
    summary: 'The same search across every investigation the caller is a member of.',
    tag: 'search',
    auth: 'user',
    request: { query: searchQuery },
    responses: {
      200: { description: 'Matches, each naming its investigation.', schema: searchResultSchema },
    },
    handler: async ({ query, user }, _req, res) => {
      const { json, cache } = await searchEverywhere(deps, user.id, query);
      res.set('X-Search-Cache', cache).type('application/json').send(json);
    },
  });

  routes.add({
    method: 'post',
    path: '/investigations/:id/search/lookup',
    operationId: 'lookupPastedList',
    summary: '"Paste a list": extract every selector from the text and say which are in the investigation.',
    tag: 'search',
    auth: 'user',
    request: { params: idParams },
    changesNothingSearchable: true,
    documentedBody: {
      required: true,
      content: {
        'text/plain': { schema: { type: 'string', description: 'The pasted text.' } },
        'application/json': { schema: lookupBody },
      },
    },
    responses: {
      200: { description: 'Found / not found per distinct selector.', schema: lookupResultSchema },
      413: { description: 'Longer than LOOKUP_MAX_CHARS (`maxChars`).' },
      415: { description: 'Neither text/plain nor JSON.' },
      422: {
        description:
          '`extraction_budget_exceeded`: extraction hit a limit (`limit`: time, heap, text_chars; `setting` names it).',
      },
      429: { description: 'RATE_LIMIT_LOOKUPS used up; see Retry-After.' },
    },
    handler: async ({ params, user }, req, res) => {
      const text = pastedText(req, deps.config.LOOKUP_MAX_CHARS);
      await deps.rateLimits.consume('lookup', user.id);
      const { json, cache } = await lookupPasted(deps, user.id, params.id, text);
      res.set('X-Search-Cache', cache).type('application/json').send(json);
    },
  });
}
