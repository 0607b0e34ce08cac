import { describe, expect, it } from 'vitest';
import { chunks, retryOnConflict, sqlState } from './sql-state.js';

describe('sqlState', () => {
  it("reads PostgreSQL's code through Drizzle's wrapper", () => {
    const pg = Object.assign(new Error('duplicate key'), { code: '23505', severity: 'ERROR' });
    expect(sqlState(new Error('Failed query', { cause: pg }))).toBe('23505');
  });

  it("does not take a socket error's five-letter code for a SQLSTATE", () => {
    expect(sqlState(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeUndefined();
    expect(sqlState('23505')).toBeUndefined();
    expect(sqlState(null)).toBeUndefined();
  });

  it('stops following a chain of causes that loops', () => {
    const a: { code?: string; cause?: unknown } = {};
    a.cause = a;
    expect(sqlState(a)).toBeUndefined();
  });
});

describe('retryOnConflict', () => {
  const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01', severity: 'ERROR' });

  it('runs a deadlocked transaction again and returns its result', async () => {
    let calls = 0;
    const out = await retryOnConflict(async () => {
      calls++;
      if (calls < 3) throw deadlock;
      return 'done';
    });
    expect([out, calls]).toEqual(['done', 3]);
  });

  it('gives up after the given attempts, and never retries other errors', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw deadlock;
      }, 2),
    ).rejects.toBe(deadlock);
    expect(calls).toBe(2);
    const unique = Object.assign(new Error('duplicate'), { code: '23505', severity: 'ERROR' });
    calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw unique;
      }),
    ).rejects.toBe(unique);
    expect(calls).toBe(1);
  });
});

describe('chunks', () => {
  it('splits into runs of at most `size`, keeping order, and nothing for nothing', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
    expect(chunks(Array.from({ length: 12_001 }, (_, i) => i)).map((c) => c.length)).toEqual([
      5_000, 5_000, 2_001,
    ]);
  });
});
