/**
 * The SQLSTATE of a PostgreSQL error, looking through Drizzle's wrapper (`cause`). Only an error that
 * PostgreSQL sent counts (it carries a `severity`): Node's socket errors have five-letter codes too
 * (`EPIPE`), and they are not SQLSTATEs.
 */
export function sqlState(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const candidate = e as { code?: unknown; severity?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code) && candidate.severity) {
      return candidate.code;
    }
    e = candidate.cause;
  }
  return undefined;
}

/** SQLSTATE of a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

/** SQLSTATEs where PostgreSQL aborted our transaction only because of a concurrent one: retrying helps. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Runs a transaction again (a few times, with a short random pause) when PostgreSQL aborted it for a
 * deadlock or a serialisation failure. Sorted writes make deadlocks rare, but the (kind, id) triggers take
 * row locks of their own, so two jobs of one investigation can still cross; the job's own retry is the
 * backstop, this just avoids spending a whole attempt on it.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      const state = sqlState(error);
      if (i >= attempts || state === undefined || !RETRYABLE.has(state)) throw error;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 100 * i));
    }
  }
}

/**
 * Rows per set-based statement: each statement takes its rows as one JSON parameter
 * (`jsonb_to_recordset`), so this bounds the parameter (a few MB at most) and each statement's memory,
 * far below PostgreSQL's 65 535-parameter limit.
 */
export const CHUNK = 5_000;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
