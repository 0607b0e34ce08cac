import { createHmac, timingSafeEqual } from 'node:crypto';
import { isoMicros } from '@osint/db';
import { and, desc, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgSelect } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { AppError } from './errors.js';

/** Page size bounds: large enough for UIs and exports-by-API, small enough to bound one statement. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** Query parameters every list accepts; spread into a route's query schema. */
export const pageQueryShape = {
  cursor: z.string().max(1024, 'must be at most 1024 characters').optional(),
  limit: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
};

/** The list envelope: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Response schema for a page of `item`. */
export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page.' }),
    })
    .meta({ id: name });
}

export class InvalidCursorError extends AppError {
  constructor() {
    super(400, 'invalid_cursor', 'The cursor is malformed, was altered, or belongs to another list.');
  }
}

/** Truncated HMAC: enough to make forging a cursor impractical while keeping URLs short. */
const MAC_BYTES = 12;

function mac(secret: string, scope: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`cursor:${scope}:${payload}`).digest().subarray(0, MAC_BYTES);
}

/**
 * Opaque keyset cursors: base64url JSON of the last row's sort key plus a MAC over it and the list's
 * scope (route + filters), so a client cannot forge a position or replay a cursor against another list.
 * Cursors carry only sort keys, never authorisation: every page is still filtered by membership.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  encode(scope: string, key: unknown): string {
    const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
    return `${payload}.${mac(this.secret, scope, payload).toString('base64url')}`;
  }

  decode<T>(scope: string, cursor: string, schema: z.ZodType<T>): T {
    const [payload, tag, extra] = cursor.split('.');
    if (!payload || !tag || extra !== undefined) throw new InvalidCursorError();
    const given = Buffer.from(tag, 'base64url');
    const expected = mac(this.secret, scope, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursorError();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError();
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw new InvalidCursorError();
    return result.data;
  }
}

/** The usual sort key: creation time (microsecond text, so no precision is lost in JSON) and id. */
export const timeIdKey = z.tuple([z.string().regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/), z.uuid()]);
export type TimeIdKey = z.infer<typeof timeIdKey>;

/** SQL expression rendering a timestamptz column at full precision, for building cursors. */
export function cursorTime(column: AnyPgColumn): SQL<string> {
  return isoMicros(column);
}

/** Keyset condition for `order by time desc, id desc`: rows strictly after the cursor's row. */
export function beforeKey(time: SQLWrapper, id: SQLWrapper, key: TimeIdKey): SQL {
  return sql`(${time}, ${id}) < (${key[0]}::timestamptz, ${key[1]}::uuid)`;
}

/** Keyset condition for `order by time asc, id asc`. */
export function afterKey(time: AnyPgColumn, id: AnyPgColumn, key: TimeIdKey): SQL {
  return sql`(${time}, ${id}) > (${key[0]}::timestamptz, ${key[1]}::uuid)`;
}

/**
 * Cuts a `limit + 1` result into a page: the extra row only proves there is more, and the last kept row's
 * key becomes the next cursor.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  nextCursor: (last: Row) => string,
): Page<Item> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { items: kept.map(present), nextCursor: more && last !== undefined ? nextCursor(last) : null };
}

/** The part of a list's validated query that pages it. */
export interface PageQuery {
  cursor?: string | undefined;
  limit: number;
}

/**
 * One page of a list ordered newest first by (`time`, `id`), the usual keyset: decodes the caller's cursor
 * for `scope`; `fetch` runs the list's statement (which selects `time` as `t`) under the list's conditions
 * and the cursor's, newest first, one row more than a page; `page` cuts the rows and encodes the next
 * cursor from the last row's `t` and id.
 */
export function newestFirst(
  cursors: CursorCodec,
  scope: string,
  query: PageQuery,
  time: AnyPgColumn,
  id: AnyPgColumn,
) {
  const key = query.cursor ? cursors.decode(scope, query.cursor, timeIdKey) : null;
  return {
    time: cursorTime(time),
    fetch: <Q extends PgSelect>(select: Q, ...conditions: Array<SQL | undefined>) =>
      select
        .where(and(...conditions, key ? beforeKey(time, id, key) : undefined))
        .orderBy(desc(time), desc(id))
        .limit(query.limit + 1),
    page: <Row extends { t: string }, Item>(
      rows: Row[],
      present: (row: Row) => Item,
      idOf: (row: Row) => string,
    ): Page<Item> =>
      toPage(rows, query.limit, present, (last) => cursors.encode(scope, [last.t, idOf(last)])),
  };
}
