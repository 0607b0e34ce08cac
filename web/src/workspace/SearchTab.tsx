import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api } from '../api/client';
import { keys } from '../api/queries';
import { SELECTOR_TYPES, type SearchResult, type SelectorType } from '../api/types';
import { Highlighted } from '../components/Highlight';
import {
  Button,
  bindValue,
  DataTable,
  EmptyState,
  ErrorNote,
  QueryStatus,
  SelectField,
  TextArea,
  TextField,
} from '../components/ui';
import { useSelectorPanel, useWorkspace } from './context';

/** Either half is null when the search did not ask for that kind. */
type SearchAnswer = SearchResult;

/** Search the investigation (or all of yours): selector substrings, document full text, or a pasted list. */
export function SearchTab() {
  const [params, setParams] = useSearchParams();
  const mode = params.get('mode') === 'list' ? 'list' : 'find';
  const setMode = (next: 'find' | 'list') =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (next === 'list') p.set('mode', 'list');
        else p.delete('mode');
        return p;
      },
      { replace: true },
    );
  return (
    <div>
      <fieldset className="segmented">
        <legend className="sr-only">Search mode</legend>
        <button type="button" aria-pressed={mode === 'find'} onClick={() => setMode('find')}>
          Find values and text
        </button>
        <button type="button" aria-pressed={mode === 'list'} onClick={() => setMode('list')}>
          Paste a list
        </button>
      </fieldset>
      <div style={{ marginTop: '1rem' }}>{mode === 'find' ? <Find /> : <PasteList />}</div>
    </div>
  );
}

/** Search one investigation (its id) or, with null, every investigation the caller can read. */
function useHits(
  kind: 'selectors' | 'documents',
  investigationId: string | null,
  query: { q: string; type?: SelectorType },
  enabled: boolean,
) {
  return useInfiniteQuery({
    queryKey: ['search', investigationId ?? 'all', kind, query],
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }): Promise<SearchAnswer> => {
      const page = { ...query, kind, limit: 25, cursor: pageParam ?? undefined };
      return investigationId === null
        ? api.get('/search', { query: page, signal })
        : api.get('/investigations/{id}/search', { path: { id: investigationId }, query: page, signal });
    },
    getNextPageParam: (last) =>
      (kind === 'selectors' ? last.selectors?.nextCursor : last.documents?.nextCursor) ?? null,
    staleTime: 30_000,
  });
}

function Find() {
  const { inv } = useWorkspace();
  const panel = useSelectorPanel();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const everywhere = params.get('scope') === 'all';
  const type = (params.get('type') ?? '') as SelectorType | '';
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const scope = everywhere ? null : inv.id;
  const query = { q, type: type || undefined };
  const enabled = q.trim().length > 0;
  const selectors = useHits('selectors', scope, query, enabled);
  const documents = useHits('documents', scope, { q }, enabled && !type);
  const set = (changes: Record<string, string>) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v) p.set(k, v);
          else p.delete(k);
        }
        return p;
      },
      { replace: true },
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set({ q: draft.trim() });
  };
  const selectorHits = selectors.data?.pages.flatMap((p) => p.selectors?.items ?? []) ?? [];
  const documentHits = documents.data?.pages.flatMap((p) => p.documents?.items ?? []) ?? [];
  const missing =
    (selectors.error instanceof ApiError && selectors.error.missingRoute) ||
    (documents.error instanceof ApiError && documents.error.missingRoute);

  return (
    <>
      <form className="toolbar" onSubmit={submit} aria-label="Search">
        <TextField
          label="Search for"
          type="search"
          {...bindValue(draft, setDraft)}
          placeholder="evil.example, 203.0.113, “exact phrase”"
          hint='Selector values by substring; document text by words, "phrases", or, -not.'
          style={{ minWidth: '22rem' }}
        />
        <SelectField
          label="Selector type"
          value={type}
          onChange={(e) => set({ type: e.target.value })}
          options={[
            { value: '', label: 'Any (and documents)' },
            ...SELECTOR_TYPES.map((t) => ({ value: t, label: t })),
          ]}
        />
        <SelectField
          label="Where"
          value={everywhere ? 'all' : ''}
          onChange={(e) => set({ scope: e.target.value })}
          options={[
            { value: '', label: 'This investigation' },
            { value: 'all', label: 'All my investigations' },
          ]}
        />
        <Button type="submit" variant="primary" disabled={!draft.trim()}>
          Search
        </Button>
      </form>
      {missing ? (
        <EmptyState title="Search needs the API's search endpoint, which this server does not offer yet." />
      ) : null}
      {!enabled ? (
        <EmptyState title="Type a value, part of one, or words from a document, then press Search." />
      ) : null}
      {enabled && !missing ? (
        <div className="search-results">
          <HitSection
            kind="selector"
            query={selectors}
            count={selectorHits.length}
            none={<>No selector value contains “{q}”.</>}
          >
            {selectorHits.length > 0 ? (
              <DataTable columns={['Value', 'Type', 'Match', everywhere && 'Investigation', 'Tags']}>
                {selectorHits.map((h) => (
                  <tr key={`${h.investigationId}:${h.id}`}>
                    <td>
                      {h.investigationId === inv.id ? (
                        <button
                          type="button"
                          className={`value-link${h.falsePositive ? ' fp' : ''}`}
                          onClick={() => panel.open(h.id)}
                        >
                          {h.value}
                        </button>
                      ) : (
                        <Link
                          className="value-link"
                          to={`/investigations/${h.investigationId}/selectors?selector=${h.id}`}
                        >
                          {h.value}
                        </Link>
                      )}
                    </td>
                    <td>
                      <span className="badge type-badge">{h.type}</span>
                    </td>
                    <td className="muted">{h.match}</td>
                    {everywhere ? <td>{h.investigationTitle}</td> : null}
                    <td>
                      {h.tags.map((t) => (
                        <span key={t} className="badge tag">
                          {t}
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </DataTable>
            ) : null}
          </HitSection>
          {!type ? (
            <HitSection
              kind="document"
              query={documents}
              count={documentHits.length}
              none={<>No document text matches “{q}”.</>}
            >
              <ul className="plain-list">
                {documentHits.map((d) => (
                  <li key={d.id}>
                    <Link to={`/investigations/${d.investigationId}/documents/${d.id}`} className="row-title">
                      {d.title}
                    </Link>
                    {everywhere ? <span className="muted"> · {d.investigationTitle}</span> : null}
                    <div className="snippet">
                      <Highlighted text={d.snippet} ranges={d.highlights} />
                    </div>
                  </li>
                ))}
              </ul>
            </HitSection>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

/** One kind of search hit: its heading, loading and failure, a line when nothing matched, the hits and "More". */
function HitSection({
  kind,
  query,
  count,
  none,
  children,
}: {
  kind: 'selector' | 'document';
  query: {
    isPending: boolean;
    isSuccess: boolean;
    error: unknown;
    refetch: () => unknown;
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => unknown;
  };
  count: number;
  none: ReactNode;
  children: ReactNode;
}) {
  const noun = `${kind}s`;
  const id = `${kind}-hits`;
  return (
    <section aria-labelledby={`${id}-heading`} data-testid={id}>
      <h2 id={`${id}-heading`}>{kind === 'selector' ? 'Selectors' : 'Documents'}</h2>
      <QueryStatus query={query} label={`Searching ${noun}…`} />
      {query.isSuccess && count === 0 ? <p className="muted">{none}</p> : null}
      {children}
      {query.hasNextPage ? (
        <Button onClick={() => query.fetchNextPage()} busy={query.isFetchingNextPage}>
          {`More ${noun}`}
        </Button>
      ) : null}
    </section>
  );
}

function PasteList() {
  const { inv } = useWorkspace();
  const panel = useSelectorPanel();
  const [text, setText] = useState('');
  const lookup = useMutation({
    mutationKey: keys.scope(inv.id),
    mutationFn: () =>
      api.post('/investigations/{id}/search/lookup', { path: { id: inv.id }, json: { text } }),
  });
  const data = lookup.data;
  return (
    <div className="ingest-grid">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) lookup.mutate();
        }}
      >
        <TextArea
          label="Paste a list of indicators"
          rows={12}
          {...bindValue(text, setText)}
          placeholder={'one per line, or any text:\nevil[.]example\n203.0.113.7\nbob@example.org'}
          hint="Every selector in the text is looked up in this investigation; nothing is saved."
        />
        <Button type="submit" variant="primary" busy={lookup.isPending} disabled={!text.trim()}>
          Look up
        </Button>
        {lookup.error instanceof ApiError && lookup.error.missingRoute ? (
          <p className="field-error">This server's API does not offer “paste a list” yet.</p>
        ) : (
          <ErrorNote error={lookup.error} />
        )}
      </form>
      <section aria-labelledby="lookup-heading" data-testid="lookup-results">
        <h2 id="lookup-heading">Results</h2>
        {!data ? <p className="muted">Paste indicators and press Look up.</p> : null}
        {data ? (
          <p>
            <strong>{data.found}</strong> in this investigation, <strong>{data.notFound}</strong> not
            {data.truncated ? ' (the list was cut: look up fewer at a time)' : ''}.
          </p>
        ) : null}
        {data && data.items.length > 0 ? (
          <DataTable columns={['Value', 'Type', 'Here?', { label: 'Times in the list', className: 'num' }]}>
            {data.items.map((i) => (
              <tr key={`${i.type}:${i.value}`}>
                <td>
                  {i.found && i.selector ? (
                    <button
                      type="button"
                      className="value-link"
                      onClick={() => panel.open(i.selector?.id ?? '')}
                    >
                      {i.value}
                    </button>
                  ) : (
                    <span className="mono">{i.value}</span>
                  )}
                  {i.raw !== i.value ? <div className="row-sub mono">as written: {i.raw}</div> : null}
                </td>
                <td>
                  <span className="badge type-badge">{i.type}</span>
                </td>
                <td>
                  {i.found ? (
                    <span className="badge status-open">found</span>
                  ) : (
                    <span className="muted">no</span>
                  )}
                </td>
                <td className="num">{i.occurrences}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
        {data && data.unrecognisedLines.length > 0 ? (
          <details>
            <summary>
              {data.unrecognisedLines.length === 1 ? 'One line' : `${data.unrecognisedLines.length} lines`}{' '}
              held no selector
            </summary>
            <pre className="json">{data.unrecognisedLines.join('\n')}</pre>
          </details>
        ) : null}
      </section>
    </div>
  );
}
