import { describe, expect, it } from 'vitest';
import { followUpJobId, uuidV5 } from './job-ids.js';

describe('uuidV5', () => {
  it('matches the RFC 9562 test vector', () => {
    // RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('derives stable, distinct follow-up ids', () => {
    const parent = '0b6f3f0e-7d4a-4a53-9f6e-4f1c2b3a4d5e';
    expect(followUpJobId(parent, 'enrich', 0)).toBe(followUpJobId(parent, 'enrich', 0));
    expect(followUpJobId(parent, 'enrich', 0)).not.toBe(followUpJobId(parent, 'enrich', 1));
    expect(followUpJobId(parent, 'enrich', 0)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
