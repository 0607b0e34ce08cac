import { SELECTOR_TYPES } from '@osint/contracts';
import { describe, expect, it } from 'vitest';
import { exactCandidates } from './search.service.js';

describe('exactCandidates', () => {
  it('keeps the text as typed, for every type when none is asked for', () => {
    expect(exactCandidates('1233dc')).toEqual({ types: [...SELECTOR_TYPES], values: ['1233dc'] });
    expect(exactCandidates('example.com')).toEqual({ types: [...SELECTOR_TYPES], values: ['example.com'] });
  });

  it('adds the normalised form when the text reads as a selector', () => {
    expect(exactCandidates('example[.]com').values).toEqual(['example[.]com', 'example.com']);
    expect(exactCandidates('hxxps://Evil.Example/Path').values).toEqual([
      'hxxps://Evil.Example/Path',
      expect.stringContaining('https://evil.example'),
    ]);
  });

  it('keeps to the requested type', () => {
    expect(exactCandidates('example[.]com', 'email')).toEqual({
      types: ['email'],
      values: ['example[.]com'],
    });
    expect(exactCandidates('example[.]com', 'domain')).toEqual({
      types: ['domain'],
      values: ['example[.]com', 'example.com'],
    });
  });
});
