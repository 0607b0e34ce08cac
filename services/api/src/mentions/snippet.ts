export interface Snippet {
  text: string;
  start: number;
  end: number;
  truncatedBefore: boolean;
  truncatedAfter: boolean;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Cuts the window PostgreSQL returned down to `context` UTF-16 units each side of the mention, without
 * splitting a surrogate pair. `window` starts at UTF-16 offset `windowStart` of the document and reaches at
 * least one character past `end + context` when the document goes on (see the query). When the stored
 * offsets do not match the text (it was re-extracted differently), the raw text stands alone.
 */
export function cutSnippet(
  window: string,
  windowStart: number,
  mention: { start: number; end: number; raw: string },
  context: number,
): Snippet {
  const relStart = mention.start - windowStart;
  const relEnd = mention.end - windowStart;
  if (relStart < 0 || relEnd > window.length || window.slice(relStart, relEnd) !== mention.raw) {
    return {
      text: mention.raw,
      start: 0,
      end: mention.raw.length,
      truncatedBefore: mention.start > 0,
      truncatedAfter: true,
    };
  }
  let from = Math.max(0, relStart - context);
  let to = Math.min(window.length, relEnd + context);
  if (from > 0 && isLow(window.charCodeAt(from)) && isHigh(window.charCodeAt(from - 1))) from += 1;
  if (to < window.length && isHigh(window.charCodeAt(to - 1)) && isLow(window.charCodeAt(to))) to -= 1;
  return {
    text: window.slice(from, to),
    start: relStart - from,
    end: relEnd - from,
    truncatedBefore: windowStart + from > 0,
    truncatedAfter: to < window.length,
  };
}
