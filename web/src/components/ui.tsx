import {
  type ButtonHTMLAttributes,
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';
import { plainMessage } from '../api/client';
import type { InvestigationStatus, MemberRole, Tlp } from '../api/types';

/**
 * The app's small component set. Every control has a visible label (or an aria-label when the context is
 * the label, as in a table row), focus rings come from :focus-visible in styles.css, and nothing relies on
 * colour alone (badges carry their text).
 */

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  busy?: boolean;
};

export function Button({ variant = 'secondary', busy, children, disabled, className, ...rest }: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

interface FieldShell {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
}

function FieldFrame({ id, label, hint, error, children }: FieldShell & { id: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/**
 * The `value` and `onChange` of a text field, text area or select whose value is React state:
 * `<TextField label="Title" {...bindValue(title, setTitle)} />`.
 */
export function bindValue(value: string, set: (value: string) => void) {
  return {
    value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      set(e.target.value),
  };
}

export function TextField({
  label,
  hint,
  error,
  id,
  ...rest
}: FieldShell & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error}>
      <input
        id={fieldId}
        {...rest}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
      />
    </FieldFrame>
  );
}

export function TextArea({
  label,
  hint,
  error,
  id,
  ...rest
}: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error}>
      <textarea
        id={fieldId}
        {...rest}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
      />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  hint,
  error,
  id,
  options,
  ...rest
}: FieldShell &
  SelectHTMLAttributes<HTMLSelectElement> & { options: ReadonlyArray<{ value: string; label: string }> }) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error}>
      <select id={fieldId} {...rest} aria-describedby={describedBy(fieldId, hint, error)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

const TLP_TEXT: Record<Tlp, string> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};

/** TLP 2.0 label in its official colours (FIRST), always with the text. */
export function TlpBadge({ tlp }: { tlp: Tlp }) {
  return (
    <span className={`badge tlp tlp-${tlp.replace('+', '-')}`} title={`Traffic Light Protocol: ${tlp}`}>
      {TLP_TEXT[tlp]}
    </span>
  );
}

export function StatusBadge({ status }: { status: InvestigationStatus | string }) {
  return <span className={`badge status status-${status}`}>{status}</span>;
}

export function RoleBadge({ role }: { role: MemberRole }) {
  return <span className={`badge role role-${role}`}>{role}</span>;
}

/** An API failure in plain words, placed next to the thing that failed. */
export function ErrorNote({
  error,
  action,
  overrides,
}: {
  error: unknown;
  action?: ReactNode;
  /** Context-specific wording per problem `code` (e.g. not_found when adding a member by email). */
  overrides?: Partial<Record<string, string>>;
}) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      <span>{plainMessage(error, overrides)}</span>
      {action}
    </div>
  );
}

/** A query's loading line and its failure, with a Retry button when `retry` is set. */
export function QueryStatus({
  query,
  label,
  retry,
}: {
  query: { isPending: boolean; error: unknown; refetch: () => unknown };
  label?: string;
  retry?: boolean;
}) {
  return (
    <>
      {query.isPending ? <Loading label={label} /> : null}
      <ErrorNote
        error={query.error}
        action={retry ? <Button onClick={() => query.refetch()}>Retry</Button> : undefined}
      />
    </>
  );
}

/** An empty list says what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-next">{children}</div> : null}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ProgressBar({ value, label, status }: { value: number; label: string; status?: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className={`progress progress-${status ?? 'running'}`}>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct}%${status ? `, ${status}` : ''}`}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="progress-text">{pct}%</span>
    </div>
  );
}

/** The part of a TanStack infinite query that pages a list. */
interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/**
 * "Load more" for cursor-paginated lists (the API pages by keyset cursor; see docs/api.md#pagination).
 * `noun` is the plural ("documents"); one item reads "1 document".
 */
export function LoadMore({ pages, shown, noun }: { pages: Pages; shown: number; noun: string }) {
  return (
    <div className="load-more">
      <span className="muted">
        {shown} {shown === 1 ? noun.replace(/s$/, '') : noun}
        {pages.hasNextPage ? ' so far' : ''}
      </span>
      {pages.hasNextPage ? (
        <Button onClick={() => pages.fetchNextPage()} busy={pages.isFetchingNextPage}>
          Load more
        </Button>
      ) : null}
    </div>
  );
}

/** A column heading: its text, or the heading and a class (e.g. "num" to right-align); false leaves it out. */
export type Column = string | { label: ReactNode; className?: string } | false;

/** A scrollable table with column headings; `children` are its rows. */
export function DataTable({
  columns,
  caption,
  testId,
  children,
}: {
  columns: readonly Column[];
  /** Read by screen readers only. */
  caption?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c, i) =>
              c === false ? null : typeof c === 'string' ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                // Headings never reorder, so the position is a stable key.
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed column order
                <th key={i} scope="col" className={c.className}>
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatRelative(iso: string, now = Date.now()): string {
  const diff = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return relative.format(Math.round(diff), 'second');
  if (abs < 45 * 60) return relative.format(Math.round(diff / 60), 'minute');
  if (abs < 22 * 3600) return relative.format(Math.round(diff / 3600), 'hour');
  if (abs < 26 * 86400) return relative.format(Math.round(diff / 86400), 'day');
  if (abs < 320 * 86400) return relative.format(Math.round(diff / (30 * 86400)), 'month');
  return relative.format(Math.round(diff / (365 * 86400)), 'year');
}

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={absolute.format(new Date(iso))}>
      {formatRelative(iso)}
    </time>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
