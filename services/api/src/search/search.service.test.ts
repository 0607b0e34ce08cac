import { describe, expect, it } from 'vitest';
import { exactLookups } from './search.service.js';

describe('exactLookups', () => {
  it('needs no B-tree lookup when the substring pattern already matches the text as typed', () => {
    expect(exactLookups('example.com')).toEqual([]);
    expect(exactLookups('1233dc')).toEqual([]);
  });

  it('looks the normalised form up by (type, value) when the pattern cannot match it', () => {
    expect(exactLookups('example[.]com')).toEqual([{ type: 'domain', value: 'example.com' }]);
    expect(exactLookups('hxxps://Evil.Example/Path')).toEqual([
      { type: 'url', value: expect.stringContaining('https://evil.example') },
    ]);
  });

  it('drops the normalised form when it is not of the requested type', () => {
    expect(exactLookups('example[.]com', 'email')).toEqual([]);
    expect(exactLookups('example[.]com', 'domain')).toEqual([{ type: 'domain', value: 'example.com' }]);
  });
});
