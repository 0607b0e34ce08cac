import { SELECTOR_TYPES } from '@osint/contracts';
import { z } from 'zod';
import { safeLine, safeText } from '../http/validate.js';

/** Largest page of one result kind, and how deep paging may go: search is for finding, lists are for reading. */
export const MAX_SEARCH_LIMIT = 100;
export const MAX_SEARCH_WINDOW = 1_000;
/** Most distinct selectors one "paste a list" look-up resolves. */
export const MAX_LOOKUP_ITEMS = 5_000;

const limit = z.coerce
  .number({ error: 'must be an integer' })
  .int('must be an integer')
  .min(1, 'must be at least 1')
  .max(MAX_SEARCH_LIMIT, `must be at most ${MAX_SEARCH_LIMIT}`)
  .default(20);

export const searchQuery = z.strictObject({
  q: safeLine(200, 1).meta({
    description:
      'Selector values: substring (trigram index) from 3 characters, prefix below that. Documents: web-search syntax (`"exact phrase"`, `or`, `-not`).',
  }),
  kind: z.enum(['selectors', 'documents', 'all']).default('all'),
  type: z.enum(SELECTOR_TYPES).optional().meta({ description: 'Only selectors of this type.' }),
  limit,
  cursor: z.string().max(1024, 'must be at most 1024 characters').optional(),
});
export type SearchQuery = z.output<typeof searchQuery>;

const selectorHit = z.object({
  id: z.uuid(),
  type: z.enum(SELECTOR_TYPES),
  value: z.string(),
  displayValue: z.string(),
  investigationId: z.uuid(),
  investigationTitle: z.string(),
  source: z.string(),
  tags: z.array(z.string()),
  falsePositive: z.boolean(),
  match: z.enum(['exact', 'prefix', 'substring']),
});

const documentHit = z.object({
  id: z.uuid(),
  investigationId: z.uuid(),
  investigationTitle: z.string(),
  title: z.string(),
  mediaType: z.string(),
  rank: z.number(),
  snippet: z.string().meta({ description: 'Plain text around the matches (no markup).' }),
  highlights: z
    .array(z.object({ start: z.number().int(), end: z.number().int() }))
    .meta({ description: 'Matched ranges in `snippet` (UTF-16 offsets, end exclusive).' }),
  snippetHtml: z.string().meta({ description: '`snippet` HTML-escaped, with matches in `<mark>`.' }),
});

const section = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const searchResultSchema = z
  .object({
    query: z.string(),
    kind: z.enum(['selectors', 'documents', 'all']),
    selectors: section(selectorHit).nullable(),
    documents: section(documentHit).nullable(),
  })
  .meta({ id: 'SearchResult' });

/** The look-up body for a LOOKUP_MAX_CHARS bound; the documented one shows the default. */
export const lookupBodyFor = (maxChars: number) =>
  z.strictObject({
    text: safeText(maxChars, 1).meta({
      description:
        'Pasted text: a list, a report, anything. At most LOOKUP_MAX_CHARS characters (default 1,000,000); longer texts answer 413.',
    }),
  });
export const lookupBody = lookupBodyFor(1_000_000);

export const lookupResultSchema = z
  .object({
    items: z.array(
      z.object({
        type: z.enum(SELECTOR_TYPES),
        value: z.string(),
        raw: z.string().meta({ description: 'The first spelling found in the text.' }),
        occurrences: z.number().int(),
        found: z.boolean(),
        selector: selectorHit.omit({ match: true }).nullable(),
      }),
    ),
    found: z.number().int(),
    notFound: z.number().int(),
    truncated: z.boolean().meta({
      description: `More than ${MAX_LOOKUP_ITEMS} distinct selectors: the rest were not looked up.`,
    }),
    unrecognisedLines: z.array(z.string()).meta({
      description: 'Non-empty lines where nothing was recognised (at most 100, each cut at 200 characters).',
    }),
  })
  .meta({ id: 'LookupResult' });
