import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';
import type { DocumentMention, Page } from './types';

/** Mentions per page in the selector panel ("Load more" fetches the next). */
export const SELECTOR_MENTIONS_PAGE = 25;
/** Characters of context the API cuts around each mention for the panel (about one line each side). */
export const SNIPPET_CONTEXT = 90;
/** The API's largest page of a document's mentions (small rows, no snippet). */
const DOCUMENT_MENTIONS_PAGE = 1000;
/**
 * Highlights a reader fetches at most: five pages. Beyond that the reader says how many it shows; a
 * document with more mentions is a data dump, better searched than read.
 */
export const MAX_DOCUMENT_HIGHLIGHTS = 5000;

/**
 * Every mention of one selector in this investigation's documents, newest document first, each with the
 * document's title and the text around it as the API cut it at the extractor's offsets.
 */
export function useSelectorMentions(investigationId: string, selectorId: string) {
  return useInfiniteQuery({
    queryKey: keys.mentions(investigationId, 'selector', selectorId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get('/investigations/{id}/selectors/{selectorId}/mentions', {
        path: { id: investigationId, selectorId },
        query: { limit: SELECTOR_MENTIONS_PAGE, context: SNIPPET_CONTEXT, cursor: pageParam ?? undefined },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export interface DocumentHighlights {
  mentions: DocumentMention[];
  /** More mentions exist than were fetched (see MAX_DOCUMENT_HIGHLIGHTS). */
  capped: boolean;
}

/** The mentions inside one document, in text order, for the reader's highlights. */
export function useDocumentMentions(investigationId: string, documentId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.mentions(investigationId, 'document', documentId),
    enabled,
    queryFn: async ({ signal }): Promise<DocumentHighlights> => {
      const all: DocumentMention[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<DocumentMention> = await api.get(
          '/investigations/{id}/documents/{documentId}/mentions',
          {
            path: { id: investigationId, documentId },
            query: { limit: DOCUMENT_MENTIONS_PAGE, cursor: cursor ?? undefined },
            signal,
          },
        );
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && all.length < MAX_DOCUMENT_HIGHLIGHTS);
      return { mentions: nonOverlapping(all), capped: cursor !== null };
    },
  });
}

/** Sorted, non-overlapping (earlier and longer wins), so they can be rendered as <mark>s. */
export function nonOverlapping<T extends { start: number; end: number }>(ranges: T[]): T[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: T[] = [];
  let until = -1;
  for (const r of sorted) {
    if (r.start >= until) {
      out.push(r);
      until = r.end;
    }
  }
  return out;
}
