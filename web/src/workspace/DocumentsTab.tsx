import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { useDocumentMentions } from '../api/mentions';
import { useDocument, useDocuments, useInvalidate } from '../api/queries';
import { Highlighted } from '../components/Highlight';
import {
  Button,
  EmptyState,
  ErrorNote,
  formatBytes,
  Loading,
  LoadMore,
  QueryStatus,
  Time,
} from '../components/ui';
import { useSelectorPanel, useWorkspace } from './context';

const STATUS_LABEL: Record<string, string> = {
  pending: 'waiting',
  running: 'extracting',
  succeeded: 'extracted',
  failed: 'failed',
};

/** The investigation's documents, and a reader with every mention highlighted (click one for its panel). */
export function DocumentsTab() {
  const { inv, canEdit } = useWorkspace();
  const { documentId } = useParams();
  const list = useDocuments(inv.id);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const panel = useSelectorPanel();
  const search = panel.selectedId ? `?selector=${panel.selectedId}` : '';

  return (
    <div className="docs-grid">
      <nav aria-label="Documents" className="card doc-list">
        <QueryStatus query={list} label="Loading documents…" retry />
        {list.isSuccess && items.length === 0 ? (
          <EmptyState title="No documents yet.">
            {canEdit ? (
              <Link to="../ingest">Paste or upload a report</Link>
            ) : (
              'Editors add documents on the Ingest tab.'
            )}
          </EmptyState>
        ) : null}
        <ul className="plain-list">
          {items.map((d) => (
            <li key={d.id}>
              <Link
                to={`/investigations/${inv.id}/documents/${d.id}${search}`}
                aria-current={d.id === documentId ? 'page' : undefined}
              >
                <div className="row-title">{d.title}</div>
                <div className="row-sub">
                  {d.mediaType.split(';')[0]} · {formatBytes(d.sizeBytes)} ·{' '}
                  {STATUS_LABEL[d.extractionStatus]} · <Time iso={d.createdAt} />
                </div>
              </Link>
            </li>
          ))}
        </ul>
        {items.length > 0 ? <LoadMore pages={list} shown={items.length} noun="documents" /> : null}
      </nav>
      {documentId ? (
        <Reader key={documentId} investigationId={inv.id} documentId={documentId} canEdit={canEdit} />
      ) : items.length > 0 ? (
        <EmptyState title="Choose a document to read it with its selectors highlighted." />
      ) : null}
    </div>
  );
}

function Reader({
  investigationId,
  documentId,
  canEdit,
}: {
  investigationId: string;
  documentId: string;
  canEdit: boolean;
}) {
  const doc = useDocument(investigationId, documentId);
  const mentions = useDocumentMentions(investigationId, documentId, !!doc.data?.extractedText);
  const panel = useSelectorPanel();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const textRef = useRef<HTMLDivElement>(null);
  const remove = useMutation({
    mutationFn: () =>
      api.delete('/investigations/{id}/documents/{documentId}', {
        path: { id: investigationId, documentId },
      }),
    onSuccess: () => {
      navigate(`/investigations/${investigationId}/documents`);
      return invalidate(['inv', investigationId]);
    },
  });

  useEffect(() => {
    // Bring the first mention of the selected selector into view.
    if (mentions.data && panel.selectedId) {
      textRef.current?.querySelector('mark.current')?.scrollIntoView({ block: 'center' });
    }
  }, [mentions.data, panel.selectedId]);

  if (doc.isPending) return <Loading label="Opening the document…" />;
  if (!doc.data) return <ErrorNote error={doc.error} />;
  const d = doc.data;
  const text = d.extractedText;
  const ranges =
    mentions.data?.mentions.map((m) => ({
      start: m.start,
      end: m.end,
      key: `${m.selectorId}:${m.start}`,
      title: `${m.selectorValue}${m.falsePositive ? ' (marked false positive)' : ''} — open its panel`,
      current: m.selectorId === panel.selectedId,
      selectorId: m.selectorId,
    })) ?? [];
  return (
    <article className="card" aria-labelledby="doc-title" data-testid="document-reader">
      <div className="panel-head">
        <div>
          <h2 id="doc-title">{d.title}</h2>
          <p className="muted">
            {d.mediaType.split(';')[0]} · {formatBytes(d.sizeBytes)} · added <Time iso={d.createdAt} />
            {d.sourceUrl ? (
              <>
                {' '}
                · source{' '}
                <a href={d.sourceUrl} rel="noreferrer noopener" target="_blank">
                  {d.sourceUrl}
                </a>
              </>
            ) : null}
          </p>
        </div>
        {canEdit ? (
          <Button
            variant="danger"
            className="btn-small"
            busy={remove.isPending}
            onClick={() => {
              if (
                window.confirm(`Delete “${d.title}” and its mentions? Selectors stay in the investigation.`)
              ) {
                remove.mutate();
              }
            }}
          >
            Delete
          </Button>
        ) : null}
      </div>
      <ErrorNote error={remove.error} />
      {d.extractionStatus === 'failed' ? (
        <p className="field-error">Extraction failed: {d.error ?? 'no reason given'}.</p>
      ) : null}
      {text === null ? (
        <EmptyState
          title={
            d.extractionStatus === 'failed'
              ? 'No text could be extracted from this document.'
              : 'The text appears here once extraction has finished.'
          }
        />
      ) : (
        <>
          <p className="muted" data-testid="reader-status">
            {mentions.isPending
              ? 'Highlighting the selectors…'
              : mentions.data
                ? mentions.data.mentions.length === 0
                  ? 'No selectors were found in this text.'
                  : `${mentions.data.mentions.length} mentions highlighted${
                      mentions.data.capped ? ' (the first ones only: this document has more)' : ''
                    }; select one to open its selector.`
                : null}
          </p>
          <ErrorNote error={mentions.error} />
          <div className="reader" ref={textRef}>
            <Highlighted
              text={text}
              ranges={ranges}
              linkFor={(r) => `?selector=${(r as (typeof ranges)[number]).selectorId}`}
            />
          </div>
        </>
      )}
    </article>
  );
}
