import type { Request } from 'express';
import type { ApiDeps } from '../deps.js';
import { AppError, ValidationError } from '../http/errors.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams, issuesToFieldErrors } from '../http/validate.js';
import { lookupBody, lookupResultSchema, searchQuery, searchResultSchema } from './search.schema.js';
import { lookupPasted, searchEverywhere, searchInvestigation } from './search.service.js';

/** Pasted text arrives as text/plain (the raw paste) or JSON `{ "text": … }`. */
function pastedText(req: Request): string {
  if (typeof req.body === 'string' && req.is('text/plain')) {
    const parsed = lookupBody.safeParse({ text: req.body });
    if (!parsed.success) throw new ValidationError(issuesToFieldErrors(parsed.error.issues, 'body'));
    return parsed.data.text;
  }
  if (!req.is('application/json')) {
    throw new AppError(415, 'unsupported_media_type', 'Send the text as text/plain, or JSON { "text": … }.');
  }
  const parsed = lookupBody.safeParse(req.body ?? {});
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
    handler: async ({ params, query }, req, res) => {
      const { value, cache } = await searchInvestigation(deps, req.auth!.user.id, params.id, query);
      res.set('X-Search-Cache', cache).json(value);
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
    handler: async ({ query }, req, res) => {
      const { value, cache } = await searchEverywhere(deps, req.auth!.user.id, query);
      res.set('X-Search-Cache', cache).json(value);
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
      415: { description: 'Neither text/plain nor JSON.' },
    },
    handler: async ({ params }, req, res) => {
      const text = pastedText(req);
      const { value, cache } = await lookupPasted(deps, req.auth!.user.id, params.id, text);
      res.set('X-Search-Cache', cache).json(value);
    },
  });
}
