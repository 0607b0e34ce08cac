import { useMutation } from '@tanstack/react-query';
import { type DragEvent, type FormEvent, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, fieldError } from '../api/client';
import { useInvalidate, useJobs } from '../api/queries';
import type { CreatedDocument, ExtractResult, Job } from '../api/types';
import { JobView } from '../components/JobView';
import {
  Button,
  bindValue,
  EmptyState,
  ErrorNote,
  Loading,
  QueryStatus,
  TextArea,
  TextField,
  Time,
} from '../components/ui';
import { useWorkspace } from './context';
import { jobFailureText } from './job-failure';

const ACCEPT = '.txt,.text,.log,.csv,.md,.html,.htm,.pdf,text/plain,text/html,application/pdf';

interface Submitted {
  key: string;
  label: string;
  job?: Job;
  documentId?: string;
  error?: unknown;
}

/** "37 selectors, 5 new, 2 flagged as allow-listed": the extract job's result in one line. */
export function extractSummary(result: unknown): string {
  const r = (result ?? {}) as Partial<ExtractResult>;
  if (typeof r.selectors !== 'number') return 'Extraction finished.';
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const parts = [plural(r.selectors, 'selector'), `${r.selectorsLinked ?? 0} new`];
  parts.push(`${r.allowListed ?? 0} flagged as allow-listed`);
  let line = parts.join(', ');
  if (typeof r.mentions === 'number') line += ` (${plural(r.mentions, 'mention')})`;
  if (r.truncated) line += '; the text had more matches than one job keeps';
  return line;
}

/** Paste text or drop files; each becomes a document and an extract job with a live progress bar. */
export function IngestTab() {
  const { inv, canEdit } = useWorkspace();
  const [submitted, setSubmitted] = useState<Submitted[]>([]);
  const invalidate = useInvalidate();
  const recent = useJobs(inv.id, 'extract');

  const upsert = (key: string, patch: Partial<Submitted>) =>
    setSubmitted((prev) => prev.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  /** Sends one document and follows its job; resolves to whether the API accepted it. */
  const track = async (label: string, send: () => Promise<CreatedDocument>): Promise<boolean> => {
    const key = `${Date.now()}-${Math.random()}`;
    setSubmitted((prev) => [{ key, label }, ...prev]);
    try {
      const created = await send();
      upsert(key, { job: created.job, documentId: created.document.id });
      void invalidate(['inv', inv.id, 'documents'], ['inv', inv.id, 'jobs']);
      return true;
    } catch (error) {
      upsert(key, { error });
      return false;
    }
  };

  if (!canEdit) {
    return (
      <EmptyState title="Only editors and owners can ingest material.">
        <p>Ask an owner of this investigation to make you an editor.</p>
      </EmptyState>
    );
  }

  return (
    <div className="ingest-grid">
      <div>
        <PasteForm
          onSubmit={(title, text, sourceUrl) =>
            track(title, () =>
              api.post('/investigations/{id}/documents', {
                path: { id: inv.id },
                json: { title, text, sourceUrl: sourceUrl || undefined },
              }),
            )
          }
        />
        <DropZone
          onFiles={(files) => {
            for (const file of files) {
              void track(file.name, () => {
                const form = new FormData();
                form.set('file', file);
                form.set('title', file.name);
                return api.post('/investigations/{id}/documents', { path: { id: inv.id }, form });
              });
            }
          }}
        />
      </div>
      <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Extraction jobs</h2>
        {submitted.length === 0 ? (
          <p className="muted">Paste a report or drop files: each one shows its progress here.</p>
        ) : null}
        {submitted.map((s) => (
          <div key={s.key}>
            {s.error ? (
              <div className="job-card" data-testid="job" data-status="refused">
                <div className="job-head">
                  <strong>{s.label}</strong>
                  <span className="muted">Not accepted</span>
                </div>
                <ErrorNote
                  error={s.error}
                  action={<DuplicateLink error={s.error} investigationId={inv.id} />}
                />
              </div>
            ) : s.job ? (
              <JobView
                job={s.job}
                label={s.label}
                canCancel
                onFinished={() => invalidate(['inv', inv.id])}
                summary={(final) => (
                  <>
                    <span data-testid="job-summary">{extractSummary(final.result)}</span>.{' '}
                    <Link to="../selectors">Show selectors</Link> ·{' '}
                    <Link to={`../documents/${s.documentId}`}>Read the document</Link>
                  </>
                )}
              />
            ) : (
              <Loading label={`Uploading ${s.label}…`} />
            )}
          </div>
        ))}
        <h3>Earlier extractions</h3>
        <QueryStatus query={recent} />
        {recent.data && recent.data.items.length === 0 ? <p className="muted">None yet.</p> : null}
        <ul className="plain-list">
          {recent.data?.items
            .filter((j) => !submitted.some((s) => s.job?.id === j.id))
            .slice(0, 10)
            .map((j) => (
              <li key={j.id}>
                <span className={`badge status-${j.status === 'succeeded' ? 'open' : 'closed'}`}>
                  {j.status}
                </span>{' '}
                {j.status === 'succeeded'
                  ? extractSummary(j.result)
                  : j.status === 'failed'
                    ? jobFailureText(j.error)
                    : (j.error ?? `${j.progress}%`)}{' '}
                <span className="muted">
                  · <Time iso={j.finishedAt ?? j.createdAt} />
                </span>
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}

function DuplicateLink({ error, investigationId }: { error: unknown; investigationId: string }) {
  if (!(error instanceof ApiError) || error.code !== 'duplicate_document') return null;
  const existing = error.problem?.existingId;
  return typeof existing === 'string' ? (
    <Link to={`/investigations/${investigationId}/documents/${existing}`}>Open the existing document</Link>
  ) : null;
}

function PasteForm({
  onSubmit,
}: {
  onSubmit: (title: string, text: string, sourceUrl: string) => Promise<boolean>;
}) {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [sourceUrl, setSourceUrl] = useState('');
  const send = useMutation({
    mutationFn: () =>
      onSubmit(title.trim() || `Pasted text, ${new Date().toLocaleString()}`, text, sourceUrl.trim()),
    onSuccess: (accepted) => {
      if (!accepted) return; // the reason shows in the jobs column; keep the text for another try
      setText('');
      setTitle('');
      setSourceUrl('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) send.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="paste-heading">
      <h2 id="paste-heading">Paste text</h2>
      <TextField
        label="Title"
        {...bindValue(title, setTitle)}
        maxLength={500}
        placeholder="Vendor report, 12 March"
      />
      <TextArea
        label="Text"
        rows={10}
        {...bindValue(text, setText)}
        placeholder="Paste a report, an e-mail, a chat log… Defanged indicators like hxxps://evil[.]example are read as well."
        hint="Selectors are extracted in the background; defanged forms are refanged."
      />
      <TextField
        label="Source URL (optional)"
        type="url"
        {...bindValue(sourceUrl, setSourceUrl)}
        error={fieldError(send.error, 'sourceUrl')}
      />
      <Button type="submit" variant="primary" busy={send.isPending} disabled={!text.trim()}>
        Extract selectors
      </Button>
    </form>
  );
}

function DropZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };
  return (
    <section
      className={`card dropzone${over ? ' over' : ''}`}
      aria-labelledby={`${id}-heading`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      style={{ marginTop: '1rem' }}
    >
      <h2 id={`${id}-heading`}>Upload files</h2>
      <p className="muted">
        Drop text, HTML or PDF files here (up to the server's upload limit, 10 MiB by default).
      </p>
      <input
        ref={input}
        id={id}
        type="file"
        multiple
        accept={ACCEPT}
        className="sr-only"
        data-testid="file-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          if (files.length > 0) onFiles(files);
          if (input.current) input.current.value = '';
        }}
      />
      <label htmlFor={id} className="btn btn-secondary">
        Choose files…
      </label>
    </section>
  );
}
