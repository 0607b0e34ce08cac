import { SELECTOR_TYPES } from '@osint/contracts';
import { z } from 'zod';
import { uuidSchema } from '../http/validate.js';
import { MAX_PAGE_SIZE, pageQueryShape } from '../shared/pagination.js';

/**
 * Characters of context on each side of a mention in a snippet, by default and at most. 80 is about one
 * line of a report on each side, which is what the selector panel shows; 400 bounds the response size at
 * 200 mentions a page (about 160 KB of snippets).
 */
export const DEFAULT_SNIPPET_CONTEXT = 80;
export const MAX_SNIPPET_CONTEXT = 400;

/**
 * A document's highlights are small rows (no snippet), and a reader wants them all: pages go up to 1,000
 * (five times the usual cap) so a typical report is one request.
 */
export const MAX_DOCUMENT_MENTIONS_PAGE = 1000;

const offsets = {
  id: z.uuid(),
  documentId: z.uuid(),
  selectorId: z.uuid(),
  start: z
    .number()
    .int()
    .meta({ description: "Start in the document's extracted text (UTF-16 code units, inclusive)." }),
  end: z.number().int().meta({ description: 'End (UTF-16 code units, exclusive).' }),
  raw: z.string().meta({ description: 'The text as written in the document (defanged, odd case…).' }),
};

export const snippetSchema = z
  .object({
    text: z.string().meta({ description: 'Plain text around the mention (no markup).' }),
    start: z.number().int().meta({ description: 'Where the mention starts in `text` (UTF-16).' }),
    end: z.number().int().meta({ description: 'Where it ends in `text` (UTF-16, exclusive).' }),
    truncatedBefore: z.boolean().meta({ description: 'The document goes on before `text`.' }),
    truncatedAfter: z.boolean().meta({ description: 'The document goes on after `text`.' }),
  })
  .meta({ id: 'MentionSnippet' });

export const selectorMentionSchema = z
  .object({
    ...offsets,
    documentTitle: z.string(),
    extractorVersion: z.string(),
    snippet: snippetSchema,
  })
  .meta({ id: 'SelectorMention' });

export const selectorMentionPage = z
  .object({
    items: z.array(selectorMentionSchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page.' }),
    total: z
      .number()
      .int()
      .meta({ description: "Mentions of this selector in this investigation's documents." }),
    documents: z.number().int().meta({ description: 'How many documents those mentions are in.' }),
  })
  .meta({ id: 'SelectorMentionPage' });

export const documentMentionSchema = z
  .object({
    ...offsets,
    selectorType: z.enum(SELECTOR_TYPES),
    selectorValue: z.string().meta({ description: "The selector's normalised value." }),
    falsePositive: z.boolean().meta({ description: 'Marked false positive in this investigation.' }),
  })
  .meta({ id: 'DocumentMention' });

export const documentMentionPage = z
  .object({
    items: z.array(documentMentionSchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page.' }),
  })
  .meta({ id: 'DocumentMentionPage' });

export const selectorMentionsQuery = z.object({
  ...pageQueryShape,
  context: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(0, 'must be at least 0')
    .max(MAX_SNIPPET_CONTEXT, `must be at most ${MAX_SNIPPET_CONTEXT}`)
    .default(DEFAULT_SNIPPET_CONTEXT)
    .meta({ description: 'Characters of context on each side of the mention in `snippet`.' }),
});

export const documentMentionsQuery = z.object({
  ...pageQueryShape,
  limit: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_DOCUMENT_MENTIONS_PAGE, `must be at most ${MAX_DOCUMENT_MENTIONS_PAGE}`)
    .default(MAX_PAGE_SIZE),
});

export const selectorMentionParams = z.object({ id: uuidSchema(), selectorId: uuidSchema() });
export const documentMentionParams = z.object({ id: uuidSchema(), documentId: uuidSchema() });
