import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, fieldError } from '../api/client';
import { keys, useInvestigations } from '../api/queries';
import {
  INVESTIGATION_STATUSES,
  type InvestigationListItem,
  type InvestigationStatus,
  TLP_LEVELS,
  type Tlp,
} from '../api/types';
import {
  Button,
  DataTable,
  EmptyState,
  ErrorNote,
  LoadMore,
  QueryStatus,
  RoleBadge,
  SelectField,
  StatusBadge,
  TextArea,
  TextField,
  Time,
  TlpBadge,
} from '../components/ui';

const STATUS_FILTERS = [
  { value: '', label: 'All statuses' },
  ...INVESTIGATION_STATUSES.map((s) => ({ value: s, label: s })),
];

/** The caller's investigations, filterable by status, with TLP, members and last activity; and creation. */
export function InvestigationsPage() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') || undefined) as InvestigationStatus | undefined;
  const list = useInvestigations(status);
  const [creating, setCreating] = useState(false);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  useEffect(() => {
    document.title = 'Investigations · OSINT Platform';
  }, []);

  return (
    <section aria-labelledby="inv-heading">
      <div className="page-head">
        <h1 id="inv-heading">Investigations</h1>
        <div className="page-actions">
          <SelectField
            label="Status"
            value={status ?? ''}
            options={STATUS_FILTERS}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('status', e.target.value);
              else next.delete('status');
              setParams(next, { replace: true });
            }}
          />
          <ImportExport />
          {!creating ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New investigation
            </Button>
          ) : null}
        </div>
      </div>
      {creating ? <CreateInvestigation onClose={() => setCreating(false)} /> : null}
      <QueryStatus query={list} label="Loading investigations…" retry />
      {list.isSuccess && items.length === 0 ? (
        <EmptyState title={status ? `No ${status} investigations.` : 'You are not in any investigation yet.'}>
          {status ? (
            <Link to="/">Show all statuses</Link>
          ) : (
            <p>
              Create one with <strong>New investigation</strong>, or ask an owner to add you to theirs.
            </p>
          )}
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <DataTable
          testId="investigations-table"
          columns={['Title', 'Status', 'TLP', 'Your role', 'Members', 'Last activity']}
        >
          {items.map((inv) => (
            <InvestigationRow key={inv.id} inv={inv} />
          ))}
        </DataTable>
      ) : null}
      {items.length > 0 ? <LoadMore pages={list} shown={items.length} noun="investigations" /> : null}
    </section>
  );
}

function InvestigationRow({ inv }: { inv: InvestigationListItem }) {
  return (
    <tr>
      <td>
        <Link to={`/investigations/${inv.id}`} className="row-title">
          {inv.title}
        </Link>
        {inv.description ? <div className="row-sub clamp">{inv.description}</div> : null}
      </td>
      <td>
        <StatusBadge status={inv.status} />
      </td>
      <td>
        <TlpBadge tlp={inv.tlp} />
      </td>
      <td>
        <RoleBadge role={inv.role} />
      </td>
      <td className="num" data-testid="member-count">
        {inv.memberCount}
      </td>
      <td data-testid="last-activity">
        <Time iso={inv.lastActivityAt} />
      </td>
    </tr>
  );
}

/** Reads a JSON export (Export tab) back into a new investigation owned by the caller. */
function ImportExport() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const id = useId();
  const importFile = useMutation({
    mutationFn: async (file: File) =>
      api.post('/investigations/import', {
        raw: { body: await file.text(), type: 'application/json' },
      }),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['investigations'] });
      navigate(`/investigations/${result.investigationId}/selectors`);
    },
  });
  return (
    <div className="import-export">
      <input
        id={id}
        type="file"
        accept="application/json,.json"
        className="sr-only"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) importFile.mutate(file);
          e.target.value = '';
        }}
      />
      <label htmlFor={id} className="btn btn-secondary" aria-busy={importFile.isPending || undefined}>
        {importFile.isPending ? 'Importing…' : 'Import a JSON export…'}
      </label>
      <ErrorNote
        error={importFile.error}
        overrides={{
          validation_failed: 'That file is not a JSON export of this platform.',
          malformed_json: 'That file is not JSON.',
        }}
      />
    </div>
  );
}

function CreateInvestigation({ onClose }: { onClose: () => void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [region, setRegion] = useState('');
  const titleRef = useRef<HTMLInputElement>(null);
  const client = useQueryClient();
  const navigate = useNavigate();
  useEffect(() => titleRef.current?.focus(), []);
  const create = useMutation({
    mutationFn: () =>
      api.post('/investigations', {
        json: {
          title: title.trim(),
          description: description.trim() || undefined,
          tlp,
          defaultRegion: region.trim() ? region.trim().toUpperCase() : undefined,
        },
      }),
    onSuccess: (inv) => {
      client.setQueryData(keys.investigation(inv.id), inv);
      void client.invalidateQueries({ queryKey: ['investigations'] });
      navigate(`/investigations/${inv.id}/ingest`);
    },
  });
  const errorOf = (name: string) => fieldError(create.error, name);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="card create-form" onSubmit={submit} aria-labelledby="create-heading">
      <h2 id="create-heading">New investigation</h2>
      <div className="form-grid">
        <TextField
          ref={titleRef}
          label="Title"
          required
          maxLength={500}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={errorOf('title')}
        />
        <SelectField
          label="TLP"
          value={tlp}
          onChange={(e) => setTlp(e.target.value as Tlp)}
          options={TLP_LEVELS.map((t) => ({ value: t, label: `TLP:${t.toUpperCase()}` }))}
          hint="Who may see what you export from it."
        />
        <TextField
          label="Default region"
          value={region}
          maxLength={2}
          placeholder="GB"
          onChange={(e) => setRegion(e.target.value)}
          hint="Two-letter country code, used to read phone numbers written without +."
          error={errorOf('defaultRegion')}
        />
      </div>
      <TextArea
        label="Description"
        rows={3}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errorOf('description')}
      />
      <ErrorNote error={create.error} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!title.trim()}>
          Create and start ingesting
        </Button>
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
