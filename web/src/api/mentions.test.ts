import { describe, expect, it } from 'vitest';
import { nonOverlapping } from './mentions';

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
