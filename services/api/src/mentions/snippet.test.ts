import { describe, expect, it } from 'vitest';
import { cutSnippet } from './snippet.js';

/** A window as the query returns it: `text` from UTF-16 offset `from`, and the mention inside `text`. */
function windowOf(text: string, from: number, raw: string) {
  const start = text.indexOf(raw);
  return { window: text.slice(from), windowStart: from, mention: { start, end: start + raw.length, raw } };
}

describe('cutSnippet', () => {
  const text = 'alpha beta gamma evil[.]example[.]com delta epsilon zeta';

  it('keeps `context` UTF-16 units each side and says where the text was cut', () => {
    const { window, windowStart, mention } = windowOf(text, 3, 'evil[.]example[.]com');
    const s = cutSnippet(window, windowStart, mention, 6);
    expect(s).toEqual({
      text: 'gamma evil[.]example[.]com delta',
      start: 6,
      end: 26,
      truncatedBefore: true,
      truncatedAfter: true,
    });
  });

  it('does not mark the ends of the text as cut', () => {
    const { window, windowStart, mention } = windowOf(text, 0, 'evil[.]example[.]com');
    const s = cutSnippet(window, windowStart, mention, 100);
    expect(s).toMatchObject({ text, truncatedBefore: false, truncatedAfter: false });
  });

  it('never splits a surrogate pair at either end', () => {
    const t = 'ab🦊x.example🔥cd';
    const { window, windowStart, mention } = windowOf(t, 0, 'x.example');
    const s = cutSnippet(window, windowStart, mention, 1);
    // One unit each side would cut 🦊 and 🔥 in half: both are left out instead.
    expect(s.text).toBe('x.example');
    expect(s).toMatchObject({ start: 0, end: 9, truncatedBefore: true, truncatedAfter: true });
    const two = cutSnippet(window, windowStart, mention, 2);
    expect(two.text).toBe('🦊x.example🔥');
    expect(two.text.slice(two.start, two.end)).toBe('x.example');
  });

  it('falls back to the raw text alone when the offsets do not match the window', () => {
    const s = cutSnippet('something else entirely', 0, { start: 3, end: 8, raw: 'x.org' }, 10);
    expect(s).toEqual({ text: 'x.org', start: 0, end: 5, truncatedBefore: true, truncatedAfter: true });
  });
});
