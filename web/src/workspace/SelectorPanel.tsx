import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useSelectorMentions } from '../api/mentions';
import { keys, useCorrelations, useInvalidate, useSelector } from '../api/queries';
import type { InvestigationSelector, Job } from '../api/types';
import { Highlighted } from '../components/Highlight';
import { JobView } from '../components/JobView';
import {
  Button,
  bindValue,
  ErrorNote,
  LoadMore,
  QueryStatus,
  RoleBadge,
  StatusBadge,
  TextArea,
  TextField,
  Time,
  TlpBadge,
} from '../components/ui';
import type { WorkspaceContext } from './context';

/**
 * Everything about one selector: its forms, enrichment attributes, every mention with the source text
 * highlighted, correlations with the caller's other investigations, and (editors) tags, note, false
 * positive and "Enrich now". Shared by the Selectors, Documents, Graph and Search tabs.
 */
export function SelectorPanel({
  investigation,
  selectorId,
  onClose,
}: {
  investigation: WorkspaceContext;
  selectorId: string;
  onClose: () => void;
}) {
  const { inv, canEdit } = investigation;
  const selector = useSelector(inv.id, selectorId);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const s = selector.data;
  return (
    <aside className="panel" aria-labelledby="panel-heading" data-testid="selector-panel">
      <div className="panel-head">
        <h2 id="panel-heading" ref={heading} tabIndex={-1}>
          {s ? s.value : 'Selector'}
        </h2>
        <Button variant="ghost" onClick={onClose} aria-label="Close the selector panel (Escape)">
          ✕
        </Button>
      </div>
      <QueryStatus query={selector} />
      {s ? (
        <>
          <dl className="facts">
            <dt>Type</dt>
            <dd>
              <span className="badge type-badge">{s.type}</span>
            </dd>
            <dt>Normalised</dt>
            <dd className="mono">{s.value}</dd>
            <dt>As written</dt>
            <dd className="mono">{s.displayValue}</dd>
            <dt>Source</dt>
            <dd>{s.source}</dd>
            <dt>Added</dt>
            <dd>
              <Time iso={s.addedAt} />
            </dd>
            <dt>First / last seen</dt>
            <dd>
              <Time iso={s.firstSeenAt} /> / <Time iso={s.lastSeenAt} />
            </dd>
            <dt>False positive</dt>
            <dd>{s.falsePositive ? 'yes' : 'no'}</dd>
            <dt>Tags</dt>
            <dd>
              {s.tags.length === 0 ? <span className="muted">none</span> : null}
              {s.tags.map((t) => (
                <span key={t} className={`badge tag${t === 'allow-listed' ? ' tag-allow-listed' : ''}`}>
                  {t}
                </span>
              ))}
            </dd>
            {s.note ? (
              <>
                <dt>Note</dt>
                <dd>{s.note}</dd>
              </>
            ) : null}
          </dl>
          <p className="panel-links">
            <Link to={`/investigations/${inv.id}/graph?focus=selector:${s.id}&selector=${s.id}`}>
              Show in graph
            </Link>{' '}
            ·{' '}
            <Link to={`/investigations/${inv.id}/search?q=${encodeURIComponent(s.value)}`}>
              Search for it
            </Link>
          </p>
          {canEdit ? <EditSelector investigationId={inv.id} s={s} /> : null}
          <Evidence investigationId={inv.id} s={s} />
          <Attributes s={s} investigationId={inv.id} canEdit={canEdit} />
          <Correlations investigationId={inv.id} selectorId={s.id} />
        </>
      ) : null}
    </aside>
  );
}

function EditSelector({ investigationId, s }: { investigationId: string; s: InvestigationSelector }) {
  const [tags, setTags] = useState(s.tags.join(', '));
  const [note, setNote] = useState(s.note ?? '');
  const [fp, setFp] = useState(s.falsePositive);
  const invalidate = useInvalidate();
  useEffect(() => {
    setTags(s.tags.join(', '));
    setNote(s.note ?? '');
    setFp(s.falsePositive);
  }, [s]);
  const save = useMutation({
    mutationFn: () =>
      api.patch('/investigations/{id}/selectors/{selectorId}', {
        path: { id: investigationId, selectorId: s.id },
        json: {
          tags: [
            ...new Set(
              tags
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
            ),
          ],
          note: note.trim() || null,
          falsePositive: fp,
        },
      }),
    // The reader's highlights carry the false-positive flag too.
    onSuccess: () =>
      invalidate(
        keys.selector(investigationId, s.id),
        ['inv', investigationId, 'selectors'],
        ['inv', investigationId, 'mentions', 'document'],
      ),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <details>
      <summary>Edit tags, note, false positive</summary>
      <form onSubmit={submit} className="edit-selector">
        <TextField label="Tags" hint="Comma-separated" {...bindValue(tags, setTags)} />
        <TextArea label="Note" rows={2} {...bindValue(note, setNote)} />
        <label className="checkbox">
          <input type="checkbox" checked={fp} onChange={(e) => setFp(e.target.checked)} /> False positive
        </label>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save
          </Button>
          {save.isSuccess && !save.isPending ? <span className="muted">Saved.</span> : null}
        </div>
        <ErrorNote error={save.error} />
      </form>
    </details>
  );
}

function AttributeValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'object') return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
  return <>{String(value)}</>;
}

function Attributes({
  s,
  investigationId,
  canEdit,
}: {
  s: InvestigationSelector;
  investigationId: string;
  canEdit: boolean;
}) {
  const [job, setJob] = useState<Job | null>(null);
  const invalidate = useInvalidate();
  const enrich = useMutation({
    mutationFn: () =>
      api.post('/investigations/{id}/selectors/{selectorId}/enrich', {
        path: { id: investigationId, selectorId: s.id },
        json: {},
      }),
    onSuccess: setJob,
  });
  const entries = Object.entries(s.attributes ?? {});
  return (
    <section aria-labelledby="attr-heading">
      <div className="panel-head">
        <h3 id="attr-heading">Attributes from enrichment</h3>
        {canEdit ? (
          <Button className="btn-small" onClick={() => enrich.mutate()} busy={enrich.isPending}>
            Enrich now
          </Button>
        ) : null}
      </div>
      <ErrorNote error={enrich.error} />
      {job ? (
        <JobView
          job={job}
          label="Enrichment"
          canCancel={canEdit}
          onFinished={() => invalidate(keys.selector(investigationId, s.id), ['inv', investigationId])}
          summary={() => 'Attributes and relationships updated.'}
        />
      ) : null}
      {entries.length === 0 ? (
        <p className="muted">
          No attributes yet.{canEdit ? ' “Enrich now” looks this selector up.' : ' An editor can enrich it.'}
        </p>
      ) : (
        <dl className="facts">
          {entries.map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{k}</dt>
              <dd>
                <AttributeValue value={v} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function Evidence({ investigationId, s }: { investigationId: string; s: InvestigationSelector }) {
  const mentions = useSelectorMentions(investigationId, s.id);
  const first = mentions.data?.pages[0];
  const items = mentions.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="evidence-heading" data-testid="evidence">
      <h3 id="evidence-heading">
        Mentions
        {first ? ` (${first.total} in ${first.documents} document${first.documents === 1 ? '' : 's'})` : ''}
      </h3>
      <QueryStatus query={mentions} label="Finding the mentions…" retry />
      {first && items.length === 0 ? (
        <p className="muted">
          {s.source === 'manual'
            ? 'Added by hand: no document mentions it yet.'
            : 'No document text mentions it (it may come from enrichment).'}
        </p>
      ) : null}
      {items.map((m) => (
        <div className="mention" key={m.id} data-testid="mention">
          <div className="mention-source">
            <Link to={`/investigations/${investigationId}/documents/${m.documentId}?selector=${s.id}`}>
              {m.documentTitle}
            </Link>{' '}
            · offset {m.start}–{m.end}
          </div>
          {m.snippet.truncatedBefore ? '…' : ''}
          <Highlighted text={m.snippet.text} ranges={[{ start: m.snippet.start, end: m.snippet.end }]} />
          {m.snippet.truncatedAfter ? '…' : ''}
        </div>
      ))}
      {mentions.hasNextPage ? <LoadMore pages={mentions} shown={items.length} noun="mentions" /> : null}
    </section>
  );
}

function Correlations({ investigationId, selectorId }: { investigationId: string; selectorId: string }) {
  const correlations = useCorrelations(investigationId, selectorId);
  return (
    <section aria-labelledby="corr-heading">
      <h3 id="corr-heading">
        In your other investigations{correlations.data ? ` (${correlations.data.total})` : ''}
      </h3>
      <QueryStatus query={correlations} />
      {correlations.data && correlations.data.items.length === 0 ? (
        <p className="muted">Seen in no other investigation you are a member of.</p>
      ) : null}
      <ul className="plain-list">
        {correlations.data?.items.map((c) => (
          <li key={c.investigationId}>
            <Link to={`/investigations/${c.investigationId}/selectors?selector=${selectorId}`}>
              {c.title}
            </Link>{' '}
            <StatusBadge status={c.status} /> <TlpBadge tlp={c.tlp} /> <RoleBadge role={c.role} />
            <div className="row-sub">
              {c.mentionCount} mention{c.mentionCount === 1 ? '' : 's'} · {c.source}
              {c.falsePositive ? ' · marked false positive there' : ''}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
