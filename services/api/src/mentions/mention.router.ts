import type { ApiDeps } from '../deps.js';
import type { ApiRoutes } from '../http/route.js';
import {
  documentMentionPage,
  documentMentionParams,
  documentMentionsQuery,
  selectorMentionPage,
  selectorMentionParams,
  selectorMentionsQuery,
} from './mention.schema.js';
import { listDocumentMentions, listSelectorMentions } from './mention.service.js';

/** Where selectors occur in documents: the evidence behind each selector, and a reader's highlights. */
export function mentionRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const tag = 'mentions';

  routes.add({
    method: 'get',
    path: '/investigations/:id/selectors/:selectorId/mentions',
    operationId: 'listSelectorMentions',
    summary: "Every mention of a selector in this investigation's documents, with a context snippet.",
    description:
      'Newest document first, then in text order. Offsets are UTF-16 code units into the document’s ' +
      'extracted text (as JavaScript slices strings); `snippet` carries its own offsets for the mention.',
    tag,
    auth: 'user',
    request: { params: selectorMentionParams, query: selectorMentionsQuery },
    responses: { 200: { description: 'A page of mentions.', schema: selectorMentionPage } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await listSelectorMentions(deps, user.id, params.id, params.selectorId, query));
    },
  });

  routes.add({
    method: 'get',
    path: '/investigations/:id/documents/:documentId/mentions',
    operationId: 'listDocumentMentions',
    summary: 'The mentions inside one document, in text order, for highlighting.',
    description:
      'Only selectors still in the investigation are listed. Pages go up to 1,000 mentions (no snippets: ' +
      'the reader has the text).',
    tag,
    auth: 'user',
    request: { params: documentMentionParams, query: documentMentionsQuery },
    responses: { 200: { description: 'A page of mentions.', schema: documentMentionPage } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await listDocumentMentions(deps, user.id, params.id, params.documentId, query));
    },
  });
}
