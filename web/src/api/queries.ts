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
import { ApiError, type ApiQuery, api } from './client';
import type {
  AuditEvent,
  DocumentMeta,
  InvestigationListItem,
  InvestigationSelector,
  InvestigationStatus,
  Me,
  Page,
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
        return await api.get('/auth/me', { signal });
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
/** Rows per page of a paged list. */
const PAGE = 50;

/** A cursor-paginated list as an infinite query: pages are appended by "Load more". */
function pagedQuery<T>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
) {
  return infiniteQueryOptions({
    queryKey,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam ?? undefined, signal),
    getNextPageParam: (last: Page<T>) => last.nextCursor,
  });
}

export function useInvestigations(status?: InvestigationStatus) {
  return useInfiniteQuery(
    pagedQuery<InvestigationListItem>(keys.investigations(status), (cursor, signal) =>
      api.get('/investigations', { query: { status, limit: PAGE, cursor }, signal }),
    ),
  );
}

export const investigationQuery = (id: string) =>
  queryOptions({
    queryKey: keys.investigation(id),
    queryFn: ({ signal }) => api.get('/investigations/{id}', { path: { id }, signal }),
  });

export function useInvestigation(id: string) {
  return useQuery(investigationQuery(id));
}

export function useMembers(id: string) {
  return useQuery({
    queryKey: keys.members(id),
    queryFn: ({ signal }) =>
      api.get('/investigations/{id}/members', { path: { id }, query: { limit: 200 }, signal }),
  });
}

export interface SelectorFilters {
  type?: SelectorType;
  tag?: string;
  falsePositive?: 'true' | 'false';
}

export const selectorsQuery = (id: string, filters: SelectorFilters) =>
  pagedQuery<InvestigationSelector>(keys.selectors(id, filters), (cursor, signal) =>
    api.get('/investigations/{id}/selectors', {
      path: { id },
      query: {
        type: filters.type,
        tag: filters.tag,
        falsePositive: filters.falsePositive,
        limit: PAGE,
        cursor,
      },
      signal,
    }),
  );

export function useSelectors(id: string, filters: SelectorFilters) {
  return useInfiniteQuery(selectorsQuery(id, filters));
}

export function useSelector(id: string, selectorId: string | null) {
  return useQuery({
    queryKey: keys.selector(id, selectorId ?? ''),
    queryFn: ({ signal }) =>
      api.get('/investigations/{id}/selectors/{selectorId}', {
        path: { id, selectorId: selectorId ?? '' },
        signal,
      }),
    enabled: !!selectorId,
  });
}

export function useCorrelations(id: string, selectorId: string) {
  return useQuery({
    queryKey: keys.correlations(id, selectorId),
    queryFn: ({ signal }) =>
      api.get('/investigations/{id}/selectors/{selectorId}/correlations', {
        path: { id, selectorId },
        query: { limit: 50 },
        signal,
      }),
  });
}

export function useDocuments(id: string) {
  return useInfiniteQuery(
    pagedQuery<DocumentMeta>(keys.documents(id), (cursor, signal) =>
      api.get('/investigations/{id}/documents', { path: { id }, query: { limit: PAGE, cursor }, signal }),
    ),
  );
}

export function useDocument(id: string, documentId: string | null) {
  return useQuery({
    queryKey: keys.document(id, documentId ?? ''),
    queryFn: ({ signal }) =>
      api.get('/investigations/{id}/documents/{documentId}', {
        path: { id, documentId: documentId ?? '' },
        signal,
      }),
    enabled: !!documentId,
  });
}

export function useAudit(id: string, filters: { action?: string }) {
  return useInfiniteQuery(
    pagedQuery<AuditEvent>(keys.audit(id, filters), (cursor, signal) =>
      api.get('/investigations/{id}/audit', {
        path: { id },
        query: { ...filters, limit: PAGE, cursor },
        signal,
      }),
    ),
  );
}

export function useJobs(id: string, kind?: string) {
  return useQuery({
    queryKey: keys.jobs(id, kind),
    queryFn: ({ signal }) =>
      api.get('/investigations/{id}/jobs', { path: { id }, query: { kind, limit: 20 }, signal }),
  });
}

export function useRelationships(
  id: string,
  filters: Pick<ApiQuery<'get', '/investigations/{id}/relationships'>, 'objectKind' | 'objectId' | 'type'>,
  enabled = true,
) {
  return useQuery({
    queryKey: keys.relationships(id, filters),
    queryFn: ({ signal }) =>
      api.get('/investigations/{id}/relationships', {
        path: { id },
        query: { ...filters, limit: 200 },
        signal,
      }),
    enabled,
  });
}
