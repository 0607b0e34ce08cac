import { useMemo, useState } from 'react';
import { useAudit, useMembers } from '../api/queries';
import type { AuditEvent } from '../api/types';
import {
  Button,
  bindValue,
  DataTable,
  EmptyState,
  LoadMore,
  QueryStatus,
  SelectField,
  Time,
} from '../components/ui';
import { useSelectorPanel, useWorkspace } from './context';

/** Filters for the actions people look for most; the API accepts any action name. */
const ACTIONS = [
  'investigation.create',
  'investigation.update',
  'membership.add',
  'membership.update',
  'membership.remove',
  'document.create',
  'document.extract',
  'document.delete',
  'selector.add',
  'selector.readd',
  'selector.update',
  'selector.remove',
  'selector.enrich',
  'relationship.create',
  'note.create',
  'export.create',
];

function describe(e: AuditEvent): string {
  const [object, verb] = e.action.split('.');
  const words: Record<string, string> = {
    create: 'created',
    add: 'added',
    readd: 're-added',
    update: 'changed',
    remove: 'removed',
    delete: 'deleted',
    extract: 'extracted',
    enrich: 'enriched',
    login: 'signed in',
  };
  return `${words[verb ?? ''] ?? verb ?? ''} ${object ?? ''}`.trim();
}

/** The investigation's audit trail, newest first: who did what, when, and what changed. */
export function ActivityTab() {
  const { inv } = useWorkspace();
  const [action, setAction] = useState('');
  const audit = useAudit(inv.id, { action: action || undefined });
  const members = useMembers(inv.id);
  const panel = useSelectorPanel();
  const names = useMemo(
    () => new Map((members.data?.items ?? []).map((m) => [m.userId, m.displayName])),
    [members.data],
  );
  const events = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const actor = (e: AuditEvent) =>
    e.actorType === 'user'
      ? (names.get(e.actorId ?? '') ?? 'a former member')
      : e.actorType === 'job'
        ? 'a background job'
        : 'the platform';

  return (
    <div>
      <div className="toolbar">
        <SelectField
          label="Action"
          {...bindValue(action, setAction)}
          options={[{ value: '', label: 'Everything' }, ...ACTIONS.map((a) => ({ value: a, label: a }))]}
        />
      </div>
      <QueryStatus query={audit} label="Loading the activity…" retry />
      {audit.isSuccess && events.length === 0 ? (
        <EmptyState title={action ? `No “${action}” events.` : 'Nothing has happened here yet.'} />
      ) : null}
      {events.length > 0 ? (
        <DataTable testId="audit-table" columns={['When', 'Who', 'What', 'Details']}>
          {events.map((e) => (
            <tr key={e.id}>
              <td>
                <Time iso={e.at} />
              </td>
              <td>{actor(e)}</td>
              <td>
                {describe(e)} <code className="muted">{e.action}</code>
                {e.objectType === 'selector' && e.objectId ? (
                  <>
                    {' '}
                    <Button
                      className="btn-small"
                      variant="ghost"
                      onClick={() => panel.open(e.objectId ?? '')}
                    >
                      open selector
                    </Button>
                  </>
                ) : null}
              </td>
              <td>
                {e.before !== undefined || e.after !== undefined ? (
                  <details>
                    <summary>changes</summary>
                    {e.before !== undefined && e.before !== null ? (
                      <>
                        <div className="muted">before</div>
                        <pre className="json">{JSON.stringify(e.before, null, 2)}</pre>
                      </>
                    ) : null}
                    {e.after !== undefined && e.after !== null ? (
                      <>
                        <div className="muted">after</div>
                        <pre className="json">{JSON.stringify(e.after, null, 2)}</pre>
                      </>
                    ) : null}
                  </details>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {events.length > 0 ? <LoadMore pages={audit} shown={events.length} noun="events" /> : null}
    </div>
  );
}
