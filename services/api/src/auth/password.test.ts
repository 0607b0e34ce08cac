import { describe, expect, it } from 'vitest';
import { passwordWeakness } from './password.js';

describe('passwordWeakness', () => {
  it.each([
    ['short1!', /at least 12/],
    ['x'.repeat(300), /at most 256/],
    ['aaaaaaaaaaaaaaaa', /different characters/],
    ['Password123!!', /commonly used/],
    ['1234567890abcd', /predictable/],
    ['alice-is-the-best-2049', /email/],
  ])('refuses %j', (password, reason) => {
    expect(passwordWeakness(password, 'alice@example.org')).toMatch(reason);
  });

  it('accepts a long, unremarkable passphrase', () => {
    expect(passwordWeakness('Vivid-otter-lantern-2049', 'alice@example.org')).toBeNull();
  });
});
