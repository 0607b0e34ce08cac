/**
 * `npm run db:stats` — the statements that cost the database most, from pg_stat_statements.
 *
 *   npm run db:stats -- [--limit 15] [--reset] [--url postgres://…]
 *
 * The server must preload the library (docker/postgres/postgresql.conf does, in every environment that
 * runs its own server); the extension itself is created here on first use (`CREATE EXTENSION` needs a
 * superuser or the database owner with the pg_stat_statements library trusted — managed services
 * document their own way). --reset clears the counters, e.g. before a benchmark.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';

export interface StatementStats {
  calls: number;
  total_ms: number;
  mean_ms: number;
  rows: number;
  hit_ratio: number | null;
  query: string;
}

export async function topStatements(url: string, limit: number, reset = false): Promise<StatementStats[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [preload] = await sql<{ v: string }[]>`select current_setting('shared_preload_libraries') as v`;
    if (
      !preload?.v
        .split(',')
        .map((s) => s.trim())
        .includes('pg_stat_statements')
    ) {
      throw new Error(
        'the server does not preload pg_stat_statements: start it with docker/postgres/postgresql.conf (npm start, Compose and k8s dev do)',
      );
    }
    await sql`create extension if not exists pg_stat_statements`;
    if (reset) await sql`select pg_stat_statements_reset()`;
    return await sql<StatementStats[]>`
      select calls::int, round(total_exec_time::numeric, 1)::float as total_ms,
             round(mean_exec_time::numeric, 2)::float as mean_ms, rows::int,
             round(shared_blks_hit::numeric / nullif(shared_blks_hit + shared_blks_read, 0), 3)::float as hit_ratio,
             regexp_replace(query, '\\s+', ' ', 'g') as query
      from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by total_exec_time desc limit ${limit}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      limit: { type: 'string', default: '15' },
      reset: { type: 'boolean' },
    },
  });
  const url = values.url ?? process.env.DATABASE_URL ?? 'postgres://osint:osint@127.0.0.1:54320/osint';
  const rows = await topStatements(url, Number(values.limit), values.reset ?? false);
  if (values.reset) console.log('pg_stat_statements: counters reset');
  for (const r of rows) {
    console.log(
      `${String(r.calls).padStart(8)} calls ${r.total_ms.toFixed(1).padStart(10)} ms total ${r.mean_ms.toFixed(2).padStart(8)} ms mean  hit ${r.hit_ratio ?? '-'}  ${r.query.slice(0, 140)}`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((error) => {
    console.error(`✘ db:stats: ${(error as Error).message}`);
    process.exit(1);
  });
}
