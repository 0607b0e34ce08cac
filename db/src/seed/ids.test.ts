import { describe, expect, it } from 'vitest';
import { seedId, uuidv5 } from './ids.js';

describe('uuidv5', () => {
  it('matches the RFC 9562 test vector (DNS namespace, "www.example.com")', () => {
    // RFC 9562 appendix A.4.
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('is deterministic and distinguishes names', () => {
    expect(seedId('user', 'alice')).toBe(seedId('user', 'alice'));
    expect(seedId('user', 'alice')).not.toBe(seedId('user', 'bob'));
    expect(seedId('user', 'alice')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
