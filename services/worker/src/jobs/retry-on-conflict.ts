/** SQLSTATEs where PostgreSQL aborted our transaction only because of a concurrent one: retrying helps. */
const RETRYABLE = new Set(['40P01', '40001']);

function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

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
