import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface Range {
  start: number;
  end: number;
  title?: string;
  key?: string;
  current?: boolean;
}

/**
 * Renders `text` with each range wrapped in <mark>. Ranges must be sorted and non-overlapping (offsets are
 * UTF-16 indices, as the API stores them, which is also how JavaScript slices strings).
 */
export function Highlighted({
  text,
  ranges,
  linkFor,
}: {
  text: string;
  ranges: Range[];
  /** Makes each mark a link (e.g. to `?selector=<id>`, which opens the selector panel). */
  linkFor?: (range: Range) => string;
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  ranges.forEach((r, i) => {
    if (r.start < at || r.end > text.length) return;
    if (r.start > at) parts.push(text.slice(at, r.start));
    const label = text.slice(r.start, r.end);
    parts.push(
      linkFor ? (
        <mark key={r.key ?? i} className={r.current ? 'current' : undefined}>
          <Link className="mark-link" title={r.title} to={linkFor(r)}>
            {label}
          </Link>
        </mark>
      ) : (
        <mark key={r.key ?? i} className={r.current ? 'current' : undefined} title={r.title}>
          {label}
        </mark>
      ),
    );
    at = r.end;
  });
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

/** A window of `radius` characters around [start, end), with ellipses where it was cut. */
export function excerpt(text: string, start: number, end: number, radius = 90) {
  const from = Math.max(0, start - radius);
  const to = Math.min(text.length, end + radius);
  const lead = from > 0 ? '…' : '';
  const tail = to < text.length ? '…' : '';
  const body = text.slice(from, to);
  return {
    text: `${lead}${body}${tail}`,
    start: lead.length + start - from,
    end: lead.length + end - from,
  };
}
