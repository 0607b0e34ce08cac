import {
  infiniteQueryOptions,
  QueryCache,
  QueryClient,
  type QueryKey,
  queryOptions,
  useInfiniteQuery,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiError, api } from './client';
import type {
  AuditEvent,
  Correlation,
  DocumentMeta,
  DocumentWithText,
  Investigation,
  InvestigationListItem,
  InvestigationSelector,
  InvestigationStatus,
  Job,
  Me,
  Member,
  Page,
  Relationship,
  SelectorType,
} from './types';

/** Query keys in one place, so a mutation invalidates exactly what it changed. */
export const keys = {
  me: ['me'] as const,
  investigations: (status?: string) => ['investigations', status ?? 'all'] as const,
  investigation: (id: string) => ['investigation', id] as const,
  /** Everything inside one investigation starts with this, so `invalidate(scope(id))` refreshes it all. */
  scope: (id: string) => ['inv', id] as const,
  members: (id: string) => ['inv', id, 'members'] as const,
  selectors: (id: string, filters: object) => ['inv', id, 'selectors', filters] as const,
  selector: (id: string, selectorId: string) => ['inv', id, 'selector', selectorId] as const,
  correlations: (id: string, selectorId: string) => ['inv', id, 'correlations', selectorId] as const,
  documents: (id: string) => ['inv', id, 'documents'] as const,
  document: (id: string, documentId: string) => ['inv', id, 'document', documentId] as const,
  audit: (id: string, filters: object) => ['inv', id, 'audit', filters] as const,
  jobs: (id: string, kind?: string) => ['inv', id, 'jobs', kind ?? 'all'] as const,
  job: (jobId: string) => ['job', jobId] as const,
  mentions: (id: string, what: string, objectId: string) => ['inv', id, 'mentions', what, objectId] as const,
  relationships: (id: string, filters: object) => ['inv', id, 'relationships', filters] as const,
};

/** How many times a failed read is retried: never for answers that will not change (4xx), twice otherwise. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError) {
    if (error.status === 429 || error.status === 503) return failureCount < 2;
    if (error.status >= 400 && error.status < 500) return false;
  }
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // A 401 anywhere means the session ended: forget the user, and the router sends them to sign in.
      onError: (error, query) => {
        if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'me') {
          client.setQueryData(keys.me, null);
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        gcTime: 5 * 60_000,
        retry: shouldRetry,
        retryDelay: (attempt, error) =>
          error instanceof ApiError && error.retryAfterSeconds !== null
            ? Math.min(error.retryAfterSeconds * 1000, 10_000)
            : Math.min(500 * 2 ** attempt, 5_000),
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
  return client;
}

/** The signed-in user, or null when anonymous (401 is an answer here, not an error). */
export const meQuery = () =>
  queryOptions({
    queryKey: keys.me,
    queryFn: async ({ signal }): Promise<Me | null> => {
      try {
        return await api<Me>('/auth/me', { signal });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });

export function useMe() {
  return useQuery(meQuery());
}

export function useInvalidate() {
  const client = useQueryClient();
  return (...queryKeys: QueryKey[]) =>
    Promise.all(queryKeys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

/** A cursor-paginated list as an infinite query: pages are appended by "Load more". */
function pagedQuery<T>(
  queryKey: QueryKey,
  path: string,
  query: Record<string, string | undefined>,
  limit = 50,
) {
  return infiniteQueryOptions({
    queryKey,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api<Page<T>>(path, { query: { ...query, limit, cursor: pageParam ?? undefined }, signal }),
    getNextPageParam: (last: Page<T>) => last.nextCursor,
  });
}

function usePaged<T>(
  queryKey: QueryKey,
  path: string,
  query: Record<string, string | undefined>,
  limit = 50,
) {
  return useInfiniteQuery(pagedQuery<T>(queryKey, path, query, limit));
}

export function useInvestigations(status?: InvestigationStatus) {
  return usePaged<InvestigationListItem>(keys.investigations(status), '/investigations', { status });
}

export const investigationQuery = (id: string) =>
  queryOptions({
    queryKey: keys.investigation(id),
    queryFn: ({ signal }) => api<Investigation>(`/investigations/${id}`, { signal }),
  });

export function useInvestigation(id: string) {
  return useQuery(investigationQuery(id));
}

export function useMembers(id: string) {
  return useQuery({
    queryKey: keys.members(id),
    queryFn: ({ signal }) =>
      api<Page<Member>>(`/investigations/${id}/members`, { query: { limit: 200 }, signal }),
  });
}

export interface SelectorFilters {
  type?: SelectorType;
  tag?: string;
  falsePositive?: 'true' | 'false';
}

export const selectorsQuery = (id: string, filters: SelectorFilters) =>
  pagedQuery<InvestigationSelector>(keys.selectors(id, filters), `/investigations/${id}/selectors`, {
    type: filters.type,
    tag: filters.tag,
    falsePositive: filters.falsePositive,
  });

export function useSelectors(id: string, filters: SelectorFilters) {
  return useInfiniteQuery(selectorsQuery(id, filters));
}

export function useSelector(id: string, selectorId: string | null) {
  return useQuery({
    queryKey: keys.selector(id, selectorId ?? ''),
    queryFn: ({ signal }) =>
      api<InvestigationSelector>(`/investigations/${id}/selectors/${selectorId}`, { signal }),
    enabled: !!selectorId,
  });
}

export function useCorrelations(id: string, selectorId: string) {
  return useQuery({
    queryKey: keys.correlations(id, selectorId),
    queryFn: ({ signal }) =>
      api<Page<Correlation> & { total: number }>(
        `/investigations/${id}/selectors/${selectorId}/correlations`,
        {
          query: { limit: 50 },
          signal,
        },
      ),
  });
}

export function useDocuments(id: string) {
  return usePaged<DocumentMeta>(keys.documents(id), `/investigations/${id}/documents`, {});
}

export function useDocument(id: string, documentId: string | null) {
  return useQuery({
    queryKey: keys.document(id, documentId ?? ''),
    queryFn: ({ signal }) =>
      api<DocumentWithText>(`/investigations/${id}/documents/${documentId}`, { signal }),
    enabled: !!documentId,
  });
}

export function useAudit(id: string, filters: { action?: string }) {
  return usePaged<AuditEvent>(keys.audit(id, filters), `/investigations/${id}/audit`, filters);
}

export function useJobs(id: string, kind?: string) {
  return useQuery({
    queryKey: keys.jobs(id, kind),
    queryFn: ({ signal }) =>
      api<Page<Job>>(`/investigations/${id}/jobs`, { query: { kind, limit: 20 }, signal }),
  });
}

export function useRelationships(
  id: string,
  filters: { objectKind?: string; objectId?: string; type?: string },
  enabled = true,
) {
  return useQuery({
    queryKey: keys.relationships(id, filters),
    queryFn: ({ signal }) =>
      api<Page<Relationship>>(`/investigations/${id}/relationships`, {
        query: { ...filters, limit: 200 },
        signal,
      }),
    enabled,
  });
}
