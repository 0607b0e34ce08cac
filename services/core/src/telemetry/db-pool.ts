/**
 * Pool usage for a postgres.js client, which keeps its pool state private (no stats API in 3.4): the
 * tracker counts what this process asks of the pool instead — statements in flight through `sql.unsafe`
 * (every Drizzle query goes through it) and open transactions (`sql.begin`, one connection each for their
 * whole life). postgres.js hands work to an idle or not-yet-opened connection before it pipelines onto a
 * busy one, so up to the pool size each unit of work has a connection to itself; beyond it, work waits
 * (queued, or pipelined behind another statement). Statements written with the raw tag (`sql\`…\``, only
 * readiness probes do) are not counted.
 */
export interface PoolStats {
  /** The pool's maximum size (`DB_POOL_MAX`). */
  size: number;
  /** Connections held by a statement or a transaction. */
  busy: number;
  /** Pool slots not in use (connections idle, or not opened yet: postgres.js opens them lazily). */
  free: number;
  /** Statements and transactions waiting for a connection. */
  waiting: number;
}

export interface PoolTracker {
  stats(): PoolStats;
}

interface Settleable {
  handle?: () => unknown;
}

/** The parts of a postgres.js `Sql` the tracker wraps (typed structurally: core does not depend on postgres). */
export interface TrackableSql {
  // biome-ignore lint/suspicious/noExplicitAny: postgres.js overloads; the wrapper passes arguments through.
  unsafe: (...args: any[]) => any;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  begin: (...args: any[]) => Promise<any>;
}

/** Wraps `sql.unsafe` and `sql.begin` in place (Drizzle reads them at call time) and returns the counter. */
export function trackPool(sql: TrackableSql, size: number): PoolTracker {
  let demand = 0;
  let insideBegin = 0;
  const release = () => {
    demand -= 1;
  };
  const unsafe = sql.unsafe;
  sql.unsafe = function trackedUnsafe(this: unknown, ...args: unknown[]) {
    const query = unsafe.apply(sql, args) as Settleable & PromiseLike<unknown>;
    // The statement `begin` sends for a transaction is the transaction's, already counted.
    if (insideBegin > 0 || typeof query?.handle !== 'function') return query;
    const handle = query.handle;
    let started = false;
    // A query runs when first awaited (or executed): count it from then until it settles. A query that is
    // only built (a fragment) never runs and is never counted.
    query.handle = function trackedHandle(this: unknown) {
      if (!started) {
        started = true;
        demand += 1;
        // The base Promise's then: postgres.js's own then would call handle again.
        Promise.prototype.then.call(query, release, release);
      }
      return handle.call(query);
    };
    return query;
  };
  const begin = sql.begin;
  sql.begin = function trackedBegin(this: unknown, ...args: unknown[]) {
    demand += 1;
    insideBegin += 1;
    let transaction: Promise<unknown>;
    try {
      transaction = begin.apply(sql, args);
    } catch (error) {
      release();
      throw error;
    } finally {
      insideBegin -= 1;
    }
    transaction.then(release, release);
    return transaction;
  };
  return {
    stats() {
      const busy = Math.min(demand, size);
      return { size, busy, free: size - busy, waiting: Math.max(0, demand - size) };
    },
  };
}
