import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../shared/errors.js';
import { idParams, safeLine, safeText, validate } from './validate.js';

const fake = (parts: Partial<Pick<Request, 'params' | 'query' | 'body'>>) => parts as Request;

describe('validate', () => {
  const parse = validate({
    params: idParams,
    query: z.object({ limit: z.coerce.number().int().max(10).default(5) }),
    body: z.strictObject({ title: safeLine(10, 1), tags: z.array(z.string()).optional() }),
  });

  it('returns typed, parsed parts', () => {
    const out = parse(
      fake({
        params: { id: '00000000-0000-4000-8000-000000000001' },
        query: { limit: '7' },
        body: { title: ' t ' },
      }),
    );
    expect(out).toEqual({
      params: { id: '00000000-0000-4000-8000-000000000001' },
      query: { limit: 7 },
      body: { title: 't' },
    });
  });

  it('names every bad field across params, query and body at once', () => {
    try {
      parse(
        fake({
          params: { id: 'x' },
          query: { limit: '99' },
          body: { title: '', tags: 'a', extra: 1, more: 2 },
        }),
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const fields = (error as ValidationError).errors.map((e) => e.field).sort();
      expect(fields).toEqual(['extra', 'id', 'limit', 'more', 'tags', 'title']);
      expect((error as ValidationError).errors.find((e) => e.field === 'id')?.message).toBe('must be a UUID');
    }
  });

  it('reports a missing or non-object body as the field "body"', () => {
    expect(() =>
      parse(fake({ params: { id: '00000000-0000-4000-8000-000000000001' }, query: {}, body: [] })),
    ).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'body' })] }));
  });
});

describe('safe text', () => {
  it.each(['a\u0000b', 'x\u001bz', 'lone \ud800'])('refuses %j', (value) => {
    expect(safeText(100).safeParse(value).success).toBe(false);
    expect(safeLine(100).safeParse(value).success).toBe(false);
  });

  it('keeps newlines and tabs in text but not in lines; accepts real Unicode', () => {
    expect(safeText(100).safeParse('a\n\tb').success).toBe(true);
    expect(safeLine(100).safeParse('a\nb').success).toBe(false);
    expect(safeLine(100).safeParse('Zoë 😀 ‮').success).toBe(true);
  });
});
