import type { ReactNode } from 'react';

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
  onMark,
}: {
  text: string;
  ranges: Range[];
  onMark?: (range: Range) => void;
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  ranges.forEach((r, i) => {
    if (r.start < at || r.end > text.length) return;
    if (r.start > at) parts.push(text.slice(at, r.start));
    const label = text.slice(r.start, r.end);
    parts.push(
      onMark ? (
        <mark key={r.key ?? i} className={r.current ? 'current' : undefined}>
          <button type="button" className="mark-button" title={r.title} onClick={() => onMark(r)}>
            {label}
          </button>
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
