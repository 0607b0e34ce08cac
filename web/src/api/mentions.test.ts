import { describe, expect, it } from 'vitest';
import { locate, nonOverlapping } from './mentions';

const text =
  'C2 at hxxps://evil[.]example[.]com/x and sub.example.com, example.com. Mail bob[@]example.com or EXAMPLE.COM';
const found = (value: string, display?: string) =>
  locate(text, value, display).map((r) => text.slice(r.start, r.end));

describe('locate (the browser-side evidence finder)', () => {
  it('finds a value in any case, but not inside a longer name or an e-mail address', () => {
    expect(found('example.com')).toEqual(['example.com', 'EXAMPLE.COM']);
  });

  it('reads defanged dots, at-signs and schemes', () => {
    expect(found('https://evil.example.com/x')).toEqual(['hxxps://evil[.]example[.]com/x']);
    expect(found('bob@example.com')).toEqual(['bob[@]example.com']);
  });

  it('also looks for the form the selector was written in', () => {
    expect(found('evil.example.com', 'Evil[.]Example[.]COM')).toEqual(['evil[.]example[.]com']);
  });

  it('returns UTF-16 offsets that slice back to the match', () => {
    const t = 'naïve 🦊 text then evil.example.net';
    const [r] = locate(t, 'evil.example.net');
    expect(r && t.slice(r.start, r.end)).toBe('evil.example.net');
  });
});

describe('nonOverlapping', () => {
  it('keeps the earlier (and longer) range where two overlap', () => {
    expect(
      nonOverlapping([
        { start: 5, end: 9 },
        { start: 0, end: 10 },
        { start: 10, end: 12 },
        { start: 11, end: 13 },
      ]),
    ).toEqual([
      { start: 0, end: 10 },
      { start: 10, end: 12 },
    ]);
  });
});
