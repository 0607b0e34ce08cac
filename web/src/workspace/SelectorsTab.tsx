import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { keys, type SelectorFilters, useInvalidate, useSelectors } from '../api/queries';
import { type InvestigationSelector, SELECTOR_TYPES, type SelectorType } from '../api/types';
import {
  Button,
  bindValue,
  DataTable,
  EmptyState,
  ErrorNote,
  LoadMore,
  QueryStatus,
  SelectField,
  TextField,
  Time,
} from '../components/ui';
import { useSelectorPanel, useWorkspace } from './context';

/** The mark e2e reads for "time to interactive": the first render of the workspace table with rows. */
export const TABLE_RENDERED_MARK = 'osint:workspace-table-rendered';

const FP_OPTIONS = [
  { value: '', label: 'Show all' },
  { value: 'false', label: 'Hide false positives' },
  { value: 'true', label: 'Only false positives' },
];

/** Selectors of the investigation: filters, quick find, false-positive toggle, bulk tagging, the panel. */
export function SelectorsTab() {
  const { inv, canEdit } = useWorkspace();
  const panel = useSelectorPanel();
  const [type, setType] = useState<SelectorType | ''>('');
  const [tagInput, setTagInput] = useState('');
  const [tag, setTag] = useState('');
  const [fp, setFp] = useState<'' | 'true' | 'false'>('');
  const [find, setFind] = useState('');
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const filters: SelectorFilters = {
    type: type || undefined,
    tag: tag || undefined,
    falsePositive: fp || undefined,
  };
  const list = useSelectors(inv.id, filters);
  const all = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const needle = find.trim().toLowerCase();
  const rows = needle
    ? all.filter(
        (s) =>
          s.value.toLowerCase().includes(needle) ||
          s.displayValue.toLowerCase().includes(needle) ||
          s.tags.some((t) => t.toLowerCase().includes(needle)) ||
          (s.note ?? '').toLowerCase().includes(needle),
      )
    : all;
  const knownTags = useMemo(() => [...new Set(all.flatMap((s) => s.tags))].sort(), [all]);
  const marked = useRef(false);

  useEffect(() => {
    if (!marked.current && rows.length > 0) {
      marked.current = true;
      performance.mark(TABLE_RENDERED_MARK);
    }
  }, [rows.length]);

  const filtered = !!(type || tag || fp);
  const toggle = (id: string) =>
    setChecked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allChecked = rows.length > 0 && rows.every((r) => checked.has(r.id));

  return (
    <div>
      <search className="toolbar" aria-label="Filter selectors">
        <SelectField
          label="Type"
          value={type}
          onChange={(e) => setType(e.target.value as SelectorType | '')}
          options={[
            { value: '', label: 'All types' },
            ...SELECTOR_TYPES.map((t) => ({ value: t, label: t })),
          ]}
        />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setTag(tagInput.trim());
          }}
        >
          <TextField
            label="Tag"
            list="known-tags"
            {...bindValue(tagInput, setTagInput)}
            placeholder="e.g. c2"
            onBlur={() => setTag(tagInput.trim())}
          />
          <datalist id="known-tags">
            {knownTags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </form>
        <SelectField
          label="False positives"
          value={fp}
          onChange={(e) => setFp(e.target.value as '' | 'true' | 'false')}
          options={FP_OPTIONS}
        />
        <TextField
          label="Find in list"
          type="search"
          {...bindValue(find, setFind)}
          placeholder="value, tag or note"
          hint={
            list.hasNextPage && needle
              ? `Searching the ${all.length} loaded selectors; load more, or use the Search tab for everything.`
              : undefined
          }
        />
        {canEdit ? <AddSelector investigationId={inv.id} /> : null}
      </search>

      {canEdit && checked.size > 0 ? (
        <BulkBar
          investigationId={inv.id}
          selected={all.filter((s) => checked.has(s.id))}
          onDone={() => setChecked(new Set())}
        />
      ) : null}

      <QueryStatus query={list} label="Loading selectors…" retry />
      {list.isSuccess && all.length === 0 ? (
        filtered ? (
          <EmptyState title="No selectors match these filters.">
            <Button
              onClick={() => {
                setType('');
                setTag('');
                setTagInput('');
                setFp('');
              }}
            >
              Clear filters
            </Button>
          </EmptyState>
        ) : (
          <EmptyState title="No selectors yet.">
            {canEdit ? (
              <p>
                <Link to="../ingest">Ingest a report</Link> to extract selectors from it, or add one by value
                above.
              </p>
            ) : (
              <p>Editors add selectors by ingesting reports; they will show up here.</p>
            )}
          </EmptyState>
        )
      ) : null}
      {list.isSuccess && all.length > 0 && rows.length === 0 ? (
        <EmptyState title={`None of the ${all.length} loaded selectors contains “${find}”.`}>
          <Link to={`../search?q=${encodeURIComponent(find)}`}>Search the whole investigation</Link>
        </EmptyState>
      ) : null}

      {rows.length > 0 ? (
        <DataTable
          testId="selectors-table"
          caption={`Selectors in ${inv.title}`}
          columns={[
            canEdit && {
              label: (
                <input
                  type="checkbox"
                  aria-label="Select all shown selectors"
                  checked={allChecked}
                  onChange={() => setChecked(allChecked ? new Set() : new Set(rows.map((r) => r.id)))}
                />
              ),
            },
            'Value',
            'Type',
            'Tags',
            { label: 'Source', className: 'col-optional' },
            'False positive',
            { label: 'Last seen', className: 'col-optional' },
          ]}
        >
          {rows.map((s) => (
            <SelectorRow
              key={s.id}
              s={s}
              investigationId={inv.id}
              canEdit={canEdit}
              checked={checked.has(s.id)}
              onCheck={() => toggle(s.id)}
              selected={panel.selectedId === s.id}
              onOpen={() => panel.open(s.id)}
            />
          ))}
        </DataTable>
      ) : null}
      {all.length > 0 ? (
        <LoadMore
          pages={list}
          shown={all.length}
          noun={needle ? `selectors loaded (${rows.length} match “${find.trim()}”)` : 'selectors'}
        />
      ) : null}
    </div>
  );
}

function SelectorRow({
  s,
  investigationId,
  canEdit,
  checked,
  onCheck,
  selected,
  onOpen,
}: {
  s: InvestigationSelector;
  investigationId: string;
  canEdit: boolean;
  checked: boolean;
  onCheck: () => void;
  selected: boolean;
  onOpen: () => void;
}) {
  const invalidate = useInvalidate();
  const setFp = useMutation({
    mutationFn: (falsePositive: boolean) =>
      api.patch('/investigations/{id}/selectors/{selectorId}', {
        path: { id: investigationId, selectorId: s.id },
        json: { falsePositive },
      }),
    onSuccess: () => invalidate(['inv', investigationId, 'selectors'], keys.selector(investigationId, s.id)),
  });
  return (
    <tr className={selected ? 'selected' : undefined} data-selector-id={s.id}>
      {canEdit ? (
        <td>
          <input type="checkbox" aria-label={`Select ${s.value}`} checked={checked} onChange={onCheck} />
        </td>
      ) : null}
      <td>
        <button
          type="button"
          className={`value-link${s.falsePositive ? ' fp' : ''}`}
          onClick={onOpen}
          aria-expanded={selected}
          title="Open the evidence panel"
        >
          {s.value}
        </button>
        {s.displayValue !== s.value ? <div className="row-sub mono">as written: {s.displayValue}</div> : null}
      </td>
      <td>
        <span className="badge type-badge">{s.type}</span>
      </td>
      <td>
        {s.tags.map((t) => (
          <span key={t} className={`badge tag${t === 'allow-listed' ? ' tag-allow-listed' : ''}`}>
            {t}
          </span>
        ))}
      </td>
      <td className="muted col-optional">{s.source}</td>
      <td>
        {canEdit ? (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={setFp.isPending ? (setFp.variables ?? s.falsePositive) : s.falsePositive}
              disabled={setFp.isPending}
              onChange={(e) => setFp.mutate(e.target.checked)}
              aria-label={`${s.value} is a false positive`}
            />
            <span className="muted">{s.falsePositive ? 'yes' : 'no'}</span>
          </label>
        ) : s.falsePositive ? (
          'yes'
        ) : (
          <span className="muted">no</span>
        )}
        {setFp.error ? <ErrorNote error={setFp.error} /> : null}
      </td>
      <td className="col-optional">
        <Time iso={s.lastSeenAt} />
      </td>
    </tr>
  );
}

function BulkBar({
  investigationId,
  selected,
  onDone,
}: {
  investigationId: string;
  selected: InvestigationSelector[];
  onDone: () => void;
}) {
  const [tag, setTag] = useState('');
  const invalidate = useInvalidate();
  const [failures, setFailures] = useState<unknown[]>([]);
  const patchAll = useMutation({
    mutationFn: async (change: (s: InvestigationSelector) => Record<string, unknown>) => {
      const results = await Promise.allSettled(
        selected.map((s) =>
          api.patch('/investigations/{id}/selectors/{selectorId}', {
            path: { id: investigationId, selectorId: s.id },
            json: change(s),
          }),
        ),
      );
      return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    },
    onSuccess: (errors) => {
      setFailures(errors);
      if (errors.length === 0) {
        setTag('');
        onDone();
      }
      return invalidate(['inv', investigationId]);
    },
  });
  const addTag = (e: FormEvent) => {
    e.preventDefault();
    const t = tag.trim();
    if (!t) return;
    patchAll.mutate((s) => ({ tags: [...new Set([...s.tags, t])] }));
  };
  return (
    <form className="bulkbar" onSubmit={addTag} aria-label="Change the selected selectors">
      <strong>{selected.length} selected</strong>
      <TextField label="Tag to add" {...bindValue(tag, setTag)} maxLength={100} />
      <Button type="submit" variant="primary" busy={patchAll.isPending} disabled={!tag.trim()}>
        Add tag
      </Button>
      <Button onClick={() => patchAll.mutate(() => ({ falsePositive: true }))} disabled={patchAll.isPending}>
        Mark false positive
      </Button>
      <Button onClick={() => patchAll.mutate(() => ({ falsePositive: false }))} disabled={patchAll.isPending}>
        Clear false positive
      </Button>
      <Button variant="ghost" onClick={onDone}>
        Clear selection
      </Button>
      {failures.length > 0 ? <ErrorNote error={failures[0]} /> : null}
      {failures.length > 1 ? <span className="field-error">{failures.length} changes failed.</span> : null}
      {patchAll.error ? <ErrorNote error={patchAll.error} /> : null}
    </form>
  );
}

function AddSelector({ investigationId }: { investigationId: string }) {
  const [value, setValue] = useState('');
  const invalidate = useInvalidate();
  const panel = useSelectorPanel();
  const add = useMutation({
    mutationFn: () =>
      api.post('/investigations/{id}/selectors', {
        path: { id: investigationId },
        json: { value: value.trim() },
      }),
    onSuccess: (s) => {
      setValue('');
      panel.open(s.id);
      return invalidate(['inv', investigationId, 'selectors']);
    },
  });
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) add.mutate();
      }}
    >
      <TextField
        label="Add a selector"
        {...bindValue(value, setValue)}
        placeholder="hxxps://evil[.]example/x"
      />
      <Button type="submit" busy={add.isPending} disabled={!value.trim()}>
        Add
      </Button>
      <ErrorNote error={add.error} />
    </form>
  );
}
