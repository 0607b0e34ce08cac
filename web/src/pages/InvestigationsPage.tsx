import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInvestigations } from '../api/queries';
import { INVESTIGATION_STATUSES, type InvestigationListItem, type InvestigationStatus } from '../api/types';
import {
  Button,
  DataTable,
  EmptyState,
  LoadMore,
  QueryStatus,
  RoleBadge,
  SelectField,
  StatusBadge,
  Time,
  TlpBadge,
} from '../components/ui';
import { CreateInvestigation, ImportExport } from './NewInvestigation';

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
