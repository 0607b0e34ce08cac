/**
 * `npm run perf:seed` — loads a large, realistic data set for the performance figures: one investigation
 * ("Bench: 1M selectors", owned by the seed's alice) holding N selectors of five types (domains, IPv4,
 * e-mails, URLs, SHA-256 hashes), tagged like analysts tag (a few percent), added over a year, plus
 * relationships between them (domain resolves-to IPv4).
 *
 *   npm run perf:seed -- [--selectors 1000000] [--relationships 100000] [--url postgres://…]
 *                        [--upsert-sessions 2] [--upsert-batch 50000] [--force]
 *
 * Fast path, and what each phase measures (rows/s is printed):
 *   1. COPY: rows generated in Node, streamed with `COPY … FROM STDIN` (postgres.js) into an UNLOGGED
 *      staging table — the client → server transfer rate;
 *   2. upsert: `INSERT INTO selectors … SELECT … ORDER BY type, value ON CONFLICT (type, value) DO UPDATE`
 *      in sorted batches over one session per core (bulkUpsertSelectors) — the bulk selector upsert (unique
 *      index + trigram GIN maintained), the figure the issue's ≥ 20k/s goal is about, with the backends'
 *      CPU time (rows per CPU-second does not depend on what else the machine runs);
 *   3. links: investigation_selectors rows joined back on (type, value);
 *   4. relationships: set-based INSERT … SELECT (the (kind, id) reference triggers run per row).
 * Idempotent: a second run finds the investigation complete and does nothing (--force reloads it).
 * Values are deterministic (`bench-<n>` hashed), so scripts/bench/run.ts and pgbench can derive search
 * terms that match a known number of rows without asking the database.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createDbClient, runMigrations, seedDevelopment } from '@osint/db';
import postgres from 'postgres';

/** Fixed id so every tool finds the bench investigation without a lookup by title. */
export const BENCH_INVESTIGATION_ID = '00000000-0000-4000-8000-00000000be9c';
export const BENCH_TITLE = 'Bench: 1M selectors';
export const BENCH_USER_EMAIL = 'alice@example.com';

const TYPES = ['domain', 'ipv4', 'email', 'url', 'sha256'] as const;

/** The hex digest every generated value is built from: md5('bench-<n>'); pgbench computes the same. */
export function benchHash(n: number): string {
  return createHash('md5').update(`bench-${n}`).digest('hex');
}

/**
 * A search term that matches selector n (and, being 6 hex characters out of a random 32, about one other
 * row in a million): what an analyst types when they remember part of an indicator.
 */
export function benchTerm(n: number): string {
  return benchHash(n).slice(1, 7);
}

/** Selector n: type by n mod 5, value derived from its hash, normalised like core would. */
export function benchSelector(n: number): { type: (typeof TYPES)[number]; value: string } {
  const h = benchHash(n);
  const type = TYPES[n % TYPES.length] ?? 'domain';
  switch (type) {
    case 'domain':
      return { type, value: `${h.slice(0, 10)}.${h.slice(10, 14)}-example.com` };
    case 'ipv4':
      return { type, value: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
    case 'email':
      return { type, value: `${h.slice(0, 10)}@mail-${h.slice(10, 13)}.example.net` };
    case 'url':
      return { type, value: `https://${h.slice(0, 10)}.example.org/login/${h.slice(10, 16)}` };
    case 'sha256':
      return { type, value: createHash('sha256').update(`bench-${n}`).digest('hex') };
  }
}

/** Tags as analysts use them: most selectors untagged; "phishing" 5 %, "priority" 1 %, "c2" 0.1 %. */
export function benchTags(n: number): string[] {
  const tags: string[] = [];
  if (n % 20 === 3) tags.push('phishing');
  if (n % 100 === 7) tags.push('priority');
  if (n % 1000 === 11) tags.push('c2');
  return tags;
}

const tsvEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

export interface GenerateOptions {
  url: string;
  selectors: number;
  relationships: number;
  force?: boolean;
  /** Parallel sessions for the bulk upsert (default: one per core, at most 4). */
  upsertSessions?: number;
  /** Rows per upsert statement (default {@link DEFAULT_UPSERT_BATCH}). */
  upsertBatch?: number;
  log?: (line: string) => void;
}

export interface PhaseTiming {
  rows: number;
  ms: number;
  rowsPerSecond: number;
  /** CPU time of the PostgreSQL backends doing the phase, when they run on this machine (Linux /proc). */
  cpuSeconds?: number;
}

/**
 * One session per core (capped at 4): index maintenance, not the transfer, bounds a bulk upsert (COPY alone
 * runs at 66k rows/s), and a single INSERT … SELECT runs on one backend, i.e. one core.
 */
export const DEFAULT_UPSERT_SESSIONS = Math.min(4, Math.max(1, cpus().length));

/**
 * Rows per upsert statement: large enough that per-statement costs vanish, small enough that one batch
 * holds its row locks and WAL for a second or two, and a failure loses little.
 */
export const DEFAULT_UPSERT_BATCH = 50_000;

/** User + system CPU seconds of one process (Linux); undefined elsewhere or for a remote server. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * The bulk selector upsert from the staging table `bench_stage (n, type, value)`: `sessions` connections,
 * each taking every `sessions`-th row (n mod sessions) in batches of `batch` rows, each batch one
 * `INSERT … SELECT … ORDER BY type, value ON CONFLICT (type, value) DO NOTHING` in its own transaction.
 * Sorting walks the unique B-tree in key order (a few leaf pages per batch instead of one random page per
 * row) and locks rows in one global order, so sessions never wait on each other in a cycle; distinct n
 * residues mean sessions never insert the same key. Idempotent: the shared rows hold only (type, value)
 * (ADR 0020), so re-running it changes nothing. Returns rows, wall time and the backends' CPU time.
 */
export async function bulkUpsertSelectors(
  url: string,
  opts: { sessions: number; batch: number; total: number },
): Promise<{ rows: number; ms: number; cpuSeconds?: number }> {
  const pools = Array.from({ length: opts.sessions }, () =>
    postgres(url, { max: 1, onnotice: () => {}, idle_timeout: 0 }),
  );
  try {
    const pids = await Promise.all(
      pools.map(async (db) => {
        // Full-page images of the pages a bulk load touches first after a checkpoint dominate its WAL, and
        // compressing them (the tuned config's pglz) cost ~15 % of the upsert's CPU in measurements
        // (docs/performance.md#bulk-load-1m-selectors). Superusers only; others keep the server's setting.
        await db`set wal_compression = off`.catch(() => {});
        return (await db<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]?.pid ?? 0;
      }),
    );
    const cpuNow = () => {
      const each = pids.map(processCpuSeconds);
      return each.every((c) => c !== undefined) ? each.reduce((a, c) => a + (c ?? 0), 0) : undefined;
    };
    const cpuBefore = cpuNow();
    const started = performance.now();
    const counts = await Promise.all(
      pools.map(async (db, k) => {
        let rows = 0;
        for (let lo = 0; lo < opts.total; lo += opts.batch) {
          const done = await db`
            insert into selectors (type, value)
            select type, value from bench_stage
            where n >= ${lo} and n < ${lo + opts.batch} and n % ${opts.sessions} = ${k}
            order by type, value
            on conflict (type, value) do nothing`;
          rows += done.count;
        }
        return rows;
      }),
    );
    const ms = performance.now() - started;
    const cpuAfter = cpuNow();
    const cpuSeconds =
      cpuBefore !== undefined && cpuAfter !== undefined
        ? Math.round((cpuAfter - cpuBefore) * 10) / 10
        : undefined;
    return { rows: counts.reduce((a, c) => a + c, 0), ms, ...(cpuSeconds ? { cpuSeconds } : {}) };
  } finally {
    await Promise.all(pools.map((db) => db.end({ timeout: 5 })));
  }
}

export interface GenerateResult {
  skipped: boolean;
  investigationId: string;
  phases: Record<string, PhaseTiming>;
}

const timing = (rows: number, ms: number): PhaseTiming => ({
  rows,
  ms: Math.round(ms),
  rowsPerSecond: Math.round(rows / Math.max(ms / 1000, 0.001)),
});

export async function generateBenchData(opts: GenerateOptions): Promise<GenerateResult> {
  const log = opts.log ?? (() => {});
  await runMigrations(opts.url);
  const sql = postgres(opts.url, { max: 1, onnotice: () => {}, idle_timeout: 0 });
  const phases: Record<string, PhaseTiming> = {};
  try {
    let [alice] = await sql<{ id: string }[]>`select id from users where lower(email) = ${BENCH_USER_EMAIL}`;
    if (!alice) {
      const client = createDbClient(opts.url, { max: 1 });
      try {
        await seedDevelopment(client.db);
      } finally {
        await client.close();
      }
      [alice] = await sql<{ id: string }[]>`select id from users where lower(email) = ${BENCH_USER_EMAIL}`;
      if (!alice) throw new Error(`the development seed did not create ${BENCH_USER_EMAIL}`);
    }
    const [existing] = await sql<{ n: number }[]>`
      select count(*)::int as n from investigation_selectors where investigation_id = ${BENCH_INVESTIGATION_ID}`;
    if (existing && existing.n >= opts.selectors && !opts.force) {
      log(
        `perf:seed: "${BENCH_TITLE}" already holds ${existing.n} selectors; nothing to do (--force reloads)`,
      );
      return { skipped: true, investigationId: BENCH_INVESTIGATION_ID, phases };
    }
    await sql`delete from investigations where id = ${BENCH_INVESTIGATION_ID}`;
    await sql`
      insert into investigations (id, title, description, created_by, tlp)
      values (${BENCH_INVESTIGATION_ID}, ${BENCH_TITLE},
              'Generated by npm run perf:seed (scripts/bench/generate-data.ts) for the performance figures.',
              ${alice.id}, 'green')`;
    await sql`insert into memberships (investigation_id, user_id, role) values (${BENCH_INVESTIGATION_ID}, ${alice.id}, 'owner')`;

    // 1. COPY into an unlogged staging table.
    await sql`drop table if exists bench_stage`;
    await sql`create unlogged table bench_stage (n int primary key, type selector_type not null, value text not null, tags text[] not null)`;
    let started = performance.now();
    const total = opts.selectors;
    const batch = 10_000;
    async function* rows() {
      for (let i = 0; i < total; i += batch) {
        let chunk = '';
        for (let n = i; n < Math.min(total, i + batch); n++) {
          const s = benchSelector(n);
          const tags = benchTags(n);
          chunk += `${n}\t${s.type}\t${tsvEscape(s.value)}\t{${tags.join(',')}}\n`;
        }
        yield chunk;
      }
    }
    const writable = await sql`copy bench_stage (n, type, value, tags) from stdin`.writable();
    await pipeline(Readable.from(rows()), writable);
    phases.copy = timing(total, performance.now() - started);
    log(`perf:seed: COPY ${total} rows in ${phases.copy.ms} ms (${phases.copy.rowsPerSecond} rows/s)`);

    // 2. The bulk upsert: sorted batches over parallel sessions (bulkUpsertSelectors).
    const bulk = await bulkUpsertSelectors(opts.url, {
      sessions: opts.upsertSessions ?? DEFAULT_UPSERT_SESSIONS,
      batch: opts.upsertBatch ?? DEFAULT_UPSERT_BATCH,
      total,
    });
    phases.upsert = {
      ...timing(bulk.rows, bulk.ms),
      ...(bulk.cpuSeconds ? { cpuSeconds: bulk.cpuSeconds } : {}),
    };
    log(
      `perf:seed: upserted ${bulk.rows} selectors in ${phases.upsert.ms} ms (${phases.upsert.rowsPerSecond} rows/s` +
        ` over ${opts.upsertSessions ?? DEFAULT_UPSERT_SESSIONS} sessions` +
        (bulk.cpuSeconds
          ? `; ${bulk.cpuSeconds.toFixed(1)} backend CPU-s = ${Math.round(bulk.rows / bulk.cpuSeconds)} rows per CPU-second)`
          : ')'),
    );

    // 3. Links into the investigation, added over the past year (newest first in the UI).
    started = performance.now();
    const linked = await sql`
      insert into investigation_selectors (investigation_id, selector_id, source, tags, added_by, created_at, updated_at,
                                           display_value, first_seen_at, last_seen_at)
      select ${BENCH_INVESTIGATION_ID}, s.id, 'import', st.tags, ${alice.id},
             now() - make_interval(secs => (st.n * 31.5)::int), now() - make_interval(secs => (st.n * 31.5)::int),
             st.value, now() - make_interval(secs => (st.n * 31.5)::int), now()
      from bench_stage st join selectors s on s.type = st.type and s.value = st.value
      on conflict (investigation_id, selector_id) do nothing`;
    phases.links = timing(linked.count, performance.now() - started);
    log(
      `perf:seed: linked ${linked.count} selectors in ${phases.links.ms} ms (${phases.links.rowsPerSecond} rows/s)`,
    );

    // 4. Relationships: domain n resolves-to IPv4 n+1 (both in the investigation).
    started = performance.now();
    const edges = Math.min(opts.relationships, Math.floor(total / 5));
    const related = await sql`
      insert into relationships (investigation_id, source_kind, source_id, target_kind, target_id, type, confidence, created_by_user)
      select ${BENCH_INVESTIGATION_ID}, 'selector', d.id, 'selector', i.id, 'resolves-to', 70, ${alice.id}
      from bench_stage sd join bench_stage si on si.n = sd.n + 1
      join selectors d on d.type = sd.type and d.value = sd.value
      join selectors i on i.type = si.type and i.value = si.value
      where sd.n % 5 = 0 and sd.n < ${edges * 5}
      on conflict do nothing`;
    phases.relationships = timing(related.count, performance.now() - started);
    log(
      `perf:seed: ${related.count} relationships in ${phases.relationships.ms} ms (${phases.relationships.rowsPerSecond} rows/s)`,
    );

    await sql`drop table bench_stage`;
    started = performance.now();
    await sql`analyze selectors`;
    await sql`analyze investigation_selectors`;
    await sql`analyze relationships`;
    log(`perf:seed: analyze ${Math.round(performance.now() - started)} ms`);
    return { skipped: false, investigationId: BENCH_INVESTIGATION_ID, phases };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      selectors: { type: 'string', default: '1000000' },
      relationships: { type: 'string', default: '100000' },
      force: { type: 'boolean', default: false },
      'upsert-sessions': { type: 'string' },
      'upsert-batch': { type: 'string' },
    },
  });
  const result = await generateBenchData({
    url: values.url ?? process.env.DATABASE_URL ?? 'postgres://osint:osint@127.0.0.1:54320/osint',
    selectors: Number(values.selectors),
    relationships: Number(values.relationships),
    force: values.force,
    ...(values['upsert-sessions'] ? { upsertSessions: Number(values['upsert-sessions']) } : {}),
    ...(values['upsert-batch'] ? { upsertBatch: Number(values['upsert-batch']) } : {}),
    log: (line) => console.log(line),
  });
  if (!result.skipped) console.log(JSON.stringify(result.phases));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((error) => {
    console.error(`✘ perf:seed failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
