import { describe, expect, it } from 'vitest';
import { CursorCodec, timeIdKey, toPage } from './pagination.js';

const codec = new CursorCodec('x'.repeat(32));
const key = ['2026-01-02T03:04:05.123456Z', '00000000-0000-4000-8000-000000000001'];

describe('CursorCodec', () => {
  it('round-trips a key within its scope', () => {
    const cursor = codec.encode('list:a', key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec.decode('list:a', cursor, timeIdKey)).toEqual(key);
  });

  it.each([
    ['another scope', (c: string) => c, 'list:b'],
    [
      'a changed payload',
      (c: string) => `${Buffer.from('["x"]').toString('base64url')}.${c.split('.')[1]}`,
      'list:a',
    ],
    ['a changed MAC', (c: string) => `${c.split('.')[0]}.${'A'.repeat(16)}`, 'list:a'],
    ['no MAC', (c: string) => c.split('.')[0] ?? '', 'list:a'],
    ['garbage', () => '%%%', 'list:a'],
    ['extra parts', (c: string) => `${c}.x`, 'list:a'],
  ])('refuses %s with invalid_cursor', (_name, mutate, scope) => {
    const cursor = mutate(codec.encode('list:a', key));
    expect(() => codec.decode(scope, cursor, timeIdKey)).toThrow(
      expect.objectContaining({ code: 'invalid_cursor', status: 400 }),
    );
  });

  it('refuses a validly signed payload of the wrong shape', () => {
    expect(() => codec.decode('s', codec.encode('s', { not: 'a tuple' }), timeIdKey)).toThrow(/cursor/);
  });

  it('a different secret cannot read the cursor', () => {
    const other = new CursorCodec('y'.repeat(32));
    expect(() => other.decode('list:a', codec.encode('list:a', key), timeIdKey)).toThrow(/cursor/);
  });
});

describe('toPage', () => {
  it('uses the extra row only to know there is more', () => {
    const page = toPage(
      [1, 2, 3],
      2,
      (n) => n * 10,
      (n) => `after-${n}`,
    );
    expect(page).toEqual({ items: [10, 20], nextCursor: 'after-2' });
    expect(toPage([1, 2], 2, (n) => n, String)).toEqual({ items: [1, 2], nextCursor: null });
  });
});
