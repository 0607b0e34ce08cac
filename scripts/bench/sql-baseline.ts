/**
 * The raw-SQL side of `npm run bench`: the same queries the API's endpoints run, sent straight to
 * PostgreSQL with the same concurrency, so the API's cost is a ratio. pgbench when it is installed
 * (Debian: it ships with the postgresql-15 server package), else a postgres.js loop doing the same.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SELECTOR_TYPES } from '@osint/contracts';
import postgres from 'postgres';
import { findPgTool, libpqConnection } from '../db/pg-tools.js';
import { benchTerm } from './generate-data.js';
import { percentile } from './scenarios.js';

/** The API's DB_STATEMENT_TIMEOUT_MS default: the raw-SQL side gets the same ceiling. */
const STATEMENT_TIMEOUT_MS = 5_000;

export interface SqlQuery {
  /** pgbench script (\set lines + one statement using :inv and the variables). */
  pgbench: string;
  /** The same statement for postgres.js, from a random n in [0, selectors). */
  node: (sql: postgres.Sql, inv: string, n: number) => Promise<unknown>;
}

const TYPES = ['domain', 'ipv4', 'email', 'url', 'sha256'];
const TAGS = ['phishing', 'priority', 'c2'];

/**
 * Columns and order of the API's listSelectors (services/api/src/selectors/selector.service.ts); `t` stands
 * for its cursor-time column (pgbench would read a `:MI` inside a format string as a variable).
 */
const LIST = `select s.*, l.*, extract(epoch from l.created_at) as t
  from investigation_selectors l join selectors s on s.id = l.selector_id
  where l.investigation_id = :inv`;
const ORDER = 'order by l.created_at desc, l.id desc limit 51';
/** The list filtered by a tag (listSelectors with `tag`): the same columns, in the tag's page order. */
const TAGGED = `select s.*, l.*, extract(epoch from l.created_at) as t
  from investigation_selector_tags g
    join investigation_selectors l on l.id = g.link_id
    join selectors s on s.id = l.selector_id
  where g.investigation_id = (select :inv::uuid) and`;
const TAG_ORDER = 'order by g.created_at desc, g.link_id desc limit 51';

/** Every selector type: search's exact branch probes the (type, value) B-tree once per type. */
const ALL_TYPES = `array['${SELECTOR_TYPES.join("','")}']::selector_type[]`;

/**
 * The API's selector search (services/api/src/search/search.service.ts): substring matches through the
 * trigram index, bounded at SEARCH_CANDIDATES (1,001), plus exact matches through the (type, value)
 * B-tree, ranked exact > prefix > similarity. The bench's 6-hex-character terms read as no selector type,
 * so the exact values are the term alone.
 */
const SEARCH = (term: string, inv: string) => `with hits as (
    (select s.id, s.type, s.value, isel.display_value, isel.investigation_id, isel.source, isel.tags,
            isel.false_positive
     from selectors s join investigation_selectors isel on isel.selector_id = s.id
     where isel.investigation_id = ${inv} and s.value ilike '%' || ${term} || '%'
     limit 1001)
    union
    select s.id, s.type, s.value, isel.display_value, isel.investigation_id, isel.source, isel.tags,
           isel.false_positive
    from selectors s join investigation_selectors isel on isel.selector_id = s.id
    where isel.investigation_id = ${inv} and s.type = any(${ALL_TYPES}) and s.value = any(array[${term}]::text[]))
  select h.id, h.type, h.value, h.display_value, h.investigation_id, i.title as investigation_title,
    h.source, h.tags, h.false_positive,
    h.value = any(array[${term}]::text[]) as is_exact, h.value ilike ${term} || '%' as is_prefix
  from hits h join investigations i on i.id = h.investigation_id
  order by is_exact desc, is_prefix desc, similarity(h.value, ${term}) desc, h.value, i.id
  limit 51`;

export const SQL_QUERIES: Record<string, SqlQuery> = {
  list_selectors: {
    pgbench: `${LIST} ${ORDER};\n`,
    node: (sql, inv) => sql.unsafe(`${LIST.replace(':inv', '$1')} ${ORDER}`, [inv], { prepare: true }),
  },
  filter_selectors_type: {
    pgbench: `\\set t random(1, 5)\n${LIST} and s.type = (array['${TYPES.join("','")}'])[:t]::selector_type ${ORDER};\n`,
    node: (sql, inv, n) =>
      sql.unsafe(
        `${LIST.replace(':inv', '$1')} and s.type = $2::selector_type ${ORDER}`,
        [inv, TYPES[n % 5] ?? 'domain'],
        {
          prepare: true,
        },
      ),
  },
  filter_selectors_tag: {
    // The API's tag filter walks investigation_selector_tags, the tag's own page order (migration 0013),
    // the investigation and the tag behind one-row subqueries as the API writes them (one generic plan for
    // every investigation and tag).
    pgbench: `\\set g random(1, 3)\n${TAGGED} g.tag = (select (array['${TAGS.join("','")}'])[:g]) ${TAG_ORDER};\n`,
    node: (sql, inv, n) =>
      sql.unsafe(
        `${TAGGED.replace(':inv', '$1')} g.tag = (select $2::text) ${TAG_ORDER}`,
        [inv, TAGS[n % 3] ?? 'c2'],
        {
          prepare: true,
        },
      ),
  },
  search_selectors: {
    // The API's selector search (services/api/src/search/search.service.ts) scoped to one investigation.
    pgbench: `\\set n random(0, :selectors - 1)\n${SEARCH("substr(md5('bench-' || :n), 2, 6)", ':inv')};\n`,
    node: (sql, inv, n) => sql.unsafe(SEARCH('$2', '$1'), [inv, benchTerm(n)], { prepare: true }),
  },
};

export interface SqlResult {
  tool: 'pgbench' | 'postgres.js';
  /** Clients cut off by statement_timeout (pgbench stops such a client). */
  timeouts?: number;
  /** PostgreSQL backends' CPU per query (ms), when the bench runs the server itself. */
  pgCpuMs?: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

function hasPgbench(): string | undefined {
  try {
    return findPgTool('pgbench');
  } catch {
    return undefined;
  }
}

export function sqlTool(): 'pgbench' | 'postgres.js' {
  return hasPgbench() ? 'pgbench' : 'postgres.js';
}

/** Runs one query with `clients` concurrent connections for `seconds`. */
export async function runSqlBaseline(opts: {
  url: string;
  investigationId: string;
  selectors: number;
  query: SqlQuery;
  clients: number;
  seconds: number;
}): Promise<SqlResult> {
  const pgbench = hasPgbench();
  if (pgbench) {
    const dir = mkdtempSync(path.join(tmpdir(), 'osint-pgbench-'));
    try {
      const script = path.join(dir, 'query.sql');
      writeFileSync(script, opts.query.pgbench);
      const { dbname, env } = libpqConnection(opts.url);
      const out = spawnSync(
        pgbench,
        [
          '--no-vacuum',
          '--protocol=prepared',
          `--client=${opts.clients}`,
          '--jobs=2',
          `--time=${opts.seconds}`,
          `--define=inv=${opts.investigationId}`,
          `--define=selectors=${opts.selectors}`,
          `--file=${script}`,
          '--log',
          `--log-prefix=${path.join(dir, 'lat')}`,
          dbname,
        ],
        {
          encoding: 'utf8',
          cwd: dir,
          // The API's own ceiling (DB_STATEMENT_TIMEOUT_MS): a pathological plan is cut off, not waited for.
          env: { ...process.env, ...env, PGOPTIONS: `-c statement_timeout=${STATEMENT_TIMEOUT_MS}` },
          maxBuffer: 16 * 1024 * 1024,
          // Bounded: pgbench can hang at the end of -T when slow queries are in flight (it stops reading
          // their results); the latency log still holds every finished transaction.
          timeout: (opts.seconds + 60) * 1000,
          killSignal: 'SIGKILL',
        },
      );
      const aborted = (out.stderr.match(/client \d+ script \d+ aborted/g) ?? []).length;
      const killed = out.signal === 'SIGKILL';
      if (out.status !== 0 && !killed && !/tps = /.test(out.stdout)) {
        throw new Error(`pgbench failed: ${out.stderr.trim().split('\n').slice(-3).join(' ')}`);
      }
      const latencies: number[] = [];
      for (const file of readdirSync(dir).filter((f) => f.startsWith('lat'))) {
        for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
          const us = Number(line.split(' ')[2]);
          if (Number.isFinite(us) && line) latencies.push(us / 1000);
        }
      }
      latencies.sort((a, b) => a - b);
      const tps = Number(
        /tps = ([\d.]+) \(without initial connection time\)/.exec(out.stdout)?.[1] ??
          latencies.length / opts.seconds,
      );
      return {
        tool: 'pgbench',
        timeouts: aborted,
        requests: latencies.length,
        rps: Math.round(tps),
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const sql = postgres(opts.url, {
    max: opts.clients,
    onnotice: () => {},
    connection: { statement_timeout: STATEMENT_TIMEOUT_MS },
  });
  let timeouts = 0;
  try {
    await Promise.all(Array.from({ length: opts.clients }, () => sql`select 1`));
    const latencies: number[] = [];
    const end = performance.now() + opts.seconds * 1000;
    await Promise.all(
      Array.from({ length: opts.clients }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          try {
            await opts.query.node(sql, opts.investigationId, Math.floor(Math.random() * opts.selectors));
            latencies.push(performance.now() - t);
          } catch {
            timeouts++;
          }
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      tool: 'postgres.js',
      timeouts,
      requests: latencies.length,
      rps: Math.round(latencies.length / opts.seconds),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
