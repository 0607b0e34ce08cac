import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './client';
import { keys } from './queries';
import type {
  DocumentMeta,
  DocumentWithText,
  InvestigationSelector,
  Mention,
  Page,
  Relationship,
} from './types';

/** Documents whose text is fetched to show one selector's evidence (the rest are listed by title). */
const MAX_EVIDENCE_DOCUMENTS = 20;
/** Selectors looked up one by one to highlight a document when no bulk source answers. */
const MAX_SELECTOR_LOOKUPS = 100;

export interface LocatedMention {
  documentId: string;
  selectorId: string;
  start: number;
  end: number;
  raw: string;
  /** The selector's normalised value, when known (document view: hover text and the panel link). */
  value?: string;
}

export interface EvidenceAnswer {
  mentions: LocatedMention[];
  /** Document texts by id, for context around each mention. */
  texts: Record<string, { title: string; text: string | null }>;
  /**
   * `api`: offsets as the extractor recorded them. `text-match`: the API has no mentions route, so the
   * browser located the selector in the text itself (defanged forms included); normalised values that
   * were written very differently (a phone number's spacing, an IPv6 compression) may be missed.
   */
  located: 'api' | 'text-match';
  /** Documents that mention the selector but whose text was not fetched (beyond the cap). */
  more: number;
}

const DEFANG: Record<string, string> = {
  '.': String.raw`(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\s(?:dot|DOT)\s)`,
  '@': String.raw`(?:@|\[@\]|\(@\)|\[at\]|\(at\)|\{at\}|\s(?:at|AT)\s)`,
  ':': String.raw`(?:\[:\]|:)`,
  '/': String.raw`(?:\[/\]|/)`,
};

function tolerantPattern(value: string): string {
  let out = '';
  for (const ch of value) out += DEFANG[ch] ?? ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  return out.replace(/^https?/i, (m) => (m.length === 5 ? 'h(?:tt|xx)ps' : 'h(?:tt|xx)p'));
}

/** Every place `value` (or how it was written, `display`) occurs in `text`, defanged forms included. */
export function locate(text: string, value: string, display?: string): { start: number; end: number }[] {
  const alternatives = [...new Set([value, display].filter((v): v is string => !!v && v.length >= 2))]
    .sort((a, b) => b.length - a.length)
    .map(tolerantPattern);
  if (alternatives.length === 0) return [];
  // Not inside a longer token: `example.com` must not light up inside `sub.example.com` or `example.com.au`.
  const re = new RegExp(String.raw`(?<![\w.\]@-])(?:${alternatives.join('|')})(?![\w-]|\.\w|\[\.\])`, 'gi');
  const found: { start: number; end: number }[] = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    found.push({ start: m.index, end: m.index + m[0].length });
  }
  return found;
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

async function documentText(client: QueryClient, investigationId: string, documentId: string) {
  return client.ensureQueryData({
    queryKey: keys.document(investigationId, documentId),
    queryFn: ({ signal }) =>
      api<DocumentWithText>(`/investigations/${investigationId}/documents/${documentId}`, { signal }),
    staleTime: 60_000,
  });
}

async function tryRoute<T>(path: string, query: Record<string, string | number>): Promise<T | null> {
  try {
    return await api<T>(path, { query });
  } catch (error) {
    if (error instanceof ApiError && error.missingRoute) return null;
    throw error;
  }
}

async function tryPost<T>(path: string, json: unknown): Promise<T | null> {
  try {
    return await api<T>(path, { method: 'POST', json });
  } catch (error) {
    if (error instanceof ApiError && (error.missingRoute || error.status === 403)) return null;
    throw error;
  }
}

/** Every mention of one selector in this investigation's documents, with the texts around them. */
export function useSelectorEvidence(investigationId: string, selector: InvestigationSelector | undefined) {
  const client = useQueryClient();
  return useQuery({
    queryKey: keys.mentions(investigationId, 'selector', selector?.id ?? ''),
    enabled: !!selector,
    queryFn: async (): Promise<EvidenceAnswer> => {
      const s = selector as InvestigationSelector;
      const fromApi = await tryRoute<Page<Mention>>(
        `/investigations/${investigationId}/selectors/${s.id}/mentions`,
        {
          limit: 200,
        },
      );
      const texts: EvidenceAnswer['texts'] = {};
      if (fromApi) {
        const docIds = [...new Set(fromApi.items.map((m) => m.documentId))];
        const fetched = docIds.slice(0, MAX_EVIDENCE_DOCUMENTS);
        for (const doc of await Promise.all(fetched.map((d) => documentText(client, investigationId, d)))) {
          texts[doc.id] = { title: doc.title, text: doc.extractedText };
        }
        return {
          located: 'api',
          mentions: fromApi.items.map((m) => ({ ...m, value: s.value })),
          texts,
          more: docIds.length - fetched.length,
        };
      }
      // No mentions route: look in the documents the `mentions` relationships name (the extractor writes
      // one per document and selector) and in the most recent documents (older data may lack the edges).
      const [edges, recent] = await Promise.all([
        api<Page<Relationship>>(`/investigations/${investigationId}/relationships`, {
          query: { objectKind: 'selector', objectId: s.id, type: 'mentions', limit: 200 },
        }),
        api<Page<DocumentMeta>>(`/investigations/${investigationId}/documents`, {
          query: { limit: MAX_EVIDENCE_DOCUMENTS, extractionStatus: 'succeeded' },
        }),
      ]);
      const named = edges.items.filter((r) => r.source.kind === 'document').map((r) => r.source.id);
      const docIds = [...new Set([...named, ...recent.items.map((d) => d.id)])];
      const fetched = docIds.slice(0, MAX_EVIDENCE_DOCUMENTS);
      const mentions: LocatedMention[] = [];
      for (const doc of await Promise.all(fetched.map((d) => documentText(client, investigationId, d)))) {
        const text = doc.extractedText ?? '';
        const found = nonOverlapping(locate(text, s.value, s.displayValue));
        if (found.length > 0) texts[doc.id] = { title: doc.title, text: doc.extractedText };
        for (const r of found) {
          mentions.push({
            documentId: doc.id,
            selectorId: s.id,
            ...r,
            raw: text.slice(r.start, r.end),
            value: s.value,
          });
        }
      }
      const more = named.filter((d) => !fetched.includes(d)).length;
      return { located: 'text-match', mentions, texts, more };
    },
  });
}

interface LookupAnswer {
  items: { value: string; raw: string; found: boolean; selector?: { id: string } | null }[];
}

interface GraphAnswer {
  nodes: { kind: string; id: string; label: string; type: string }[];
}

/** The mentions inside one document, for the reader's highlights. */
export function useDocumentMentions(investigationId: string, document: DocumentWithText | undefined) {
  return useQuery({
    queryKey: keys.mentions(investigationId, 'document', document?.id ?? ''),
    enabled: !!document?.extractedText,
    queryFn: async (): Promise<{ mentions: LocatedMention[]; located: 'api' | 'text-match' }> => {
      const doc = document as DocumentWithText;
      const fromApi = await tryRoute<Page<Mention & { value?: string }>>(
        `/investigations/${investigationId}/documents/${doc.id}/mentions`,
        { limit: 200 },
      );
      if (fromApi) return { located: 'api', mentions: fromApi.items };
      const text = doc.extractedText ?? '';
      // Which selectors the text holds: the server's own extractor through "paste a list" when it exists
      // (it also says how each was written); else the document's `mentions` edges.
      const lookup = await tryPost<LookupAnswer>(`/investigations/${investigationId}/search/lookup`, {
        text,
      });
      let selectors: { id: string; value: string; raw?: string }[] = [];
      if (lookup) {
        selectors = lookup.items
          .filter((i) => i.found && i.selector)
          .map((i) => ({ id: i.selector?.id as string, value: i.value, raw: i.raw }));
      } else {
        const graph = await tryRoute<GraphAnswer>(`/investigations/${investigationId}/graph`, {
          start: `document:${doc.id}`,
          depth: 1,
          types: 'mentions',
          limit: 2000,
        });
        if (graph) {
          selectors = graph.nodes
            .filter((n) => n.kind === 'selector')
            .map((n) => ({ id: n.id, value: n.label }));
        } else {
          const edges = await api<Page<Relationship>>(`/investigations/${investigationId}/relationships`, {
            query: { objectKind: 'document', objectId: doc.id, type: 'mentions', limit: 200 },
          });
          const ids = edges.items.filter((r) => r.target.kind === 'selector').map((r) => r.target.id);
          const found = await Promise.all(
            ids
              .slice(0, MAX_SELECTOR_LOOKUPS)
              .map((id) =>
                api<InvestigationSelector>(`/investigations/${investigationId}/selectors/${id}`).catch(
                  () => null,
                ),
              ),
          );
          selectors = found
            .filter((x): x is InvestigationSelector => !!x)
            .map((x) => ({ id: x.id, value: x.value, raw: x.displayValue }));
        }
      }
      const all: LocatedMention[] = [];
      for (const s of selectors) {
        for (const r of locate(text, s.value, s.raw)) {
          all.push({
            documentId: doc.id,
            selectorId: s.id,
            ...r,
            raw: text.slice(r.start, r.end),
            value: s.value,
          });
        }
      }
      return { located: 'text-match', mentions: nonOverlapping(all) };
    },
  });
}
