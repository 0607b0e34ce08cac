import { describe, expect, it } from 'vitest';
import { scrub } from './audit.js';

describe('scrub (the audit writer, whoever the actor)', () => {
  it('drops secrets at any depth, whatever their case, and document bytes', () => {
    const out = scrub({
      email: 'a@example.test',
      passwordHash: 'x',
      nested: [
        { Token: 't', tokenHash: 'h', keep: 1 },
        { sessionId: 's', Cookie: 'c', secret: 'z' },
      ],
      content: 'raw bytes',
      bytes: Buffer.from('b'),
      at: new Date('2026-01-02T03:04:05.000Z'),
      none: undefined,
    });
    expect(out).toEqual({
      email: 'a@example.test',
      nested: [{ keep: 1 }, {}],
      at: '2026-01-02T03:04:05.000Z',
      none: null,
    });
  });

  it('keeps what a job reports: counts and ids', () => {
    const summary = { documentId: 'd', mentions: 3, enrichJobIds: 2, truncated: false };
    expect(scrub(summary)).toEqual(summary);
  });
});
