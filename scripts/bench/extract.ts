/**
 * Extraction benchmark (`npm run bench:extract`).
 *
 * 1. `extractSelectors` against ioc-extractor 8.2.0's `extractIOC` (refang on), the best-known JavaScript
 *    extractor, on the committed corpora in `scripts/bench/corpora/` (IOC-dense, prose, a real report; see
 *    the README there for sources and licences), each repeated to `--mb` MB: same text, same thread,
 *    alternating rounds. Prints the selectors per type each tool found and the speed ratio as `N.Nx`.
 *    Then the extraction pool's overhead on the IOC-dense text (worker thread and structured clone), apart.
 * 2. Selectors/s written to a real PostgreSQL by the set-based writes the extract job uses, in the order
 *    and overlap the job uses them, with the PostgreSQL backend's CPU time per selector read from /proc
 *    when the server runs on this machine (skip with `--skip-db`; `--db-only` runs only this part).
 * Throughput is printed here, never asserted in tests.
 *
 *   node --conditions=source --import tsx scripts/bench/extract.ts [--mb 2] [--rounds 5] [--warmup 3] [--selectors 100000] [--skip-db | --db-only]
 *
 * PostgreSQL: DATABASE_URL when set (a throw-away database is created on it and dropped), otherwise an
 * embedded PostgreSQL 15 started in a temporary directory (fsync off, like the test clusters).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_EXTRACTION_LIMITS,
  EXTRACTOR_VERSION,
  type ExtractedSelector,
  ExtractionPool,
  extractSelectors,
} from '@osint/core';
import { createDbClient, documents, investigations, jobs, runMigrations, users } from '@osint/db';
import { insertMentions, linkSelectors, upsertSelectors } from '@osint/writes';
import { extractIOC, type IOC } from 'ioc-extractor';
import postgres from 'postgres';
import { freePort } from '../lib/ports.js';
import { ensureDatabase, quoteIdent, startLocalPostgres } from '../lib/postgres-provider.js';

const { values: args } = parseArgs({
  options: {
    mb: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    selectors: { type: 'string', default: '100000' },
    'skip-db': { type: 'boolean', default: false },
    'db-only': { type: 'boolean', default: false },
  },
});
const CORPUS_MB = Number(args.mb);
const SELECTORS = Number(args.selectors);
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);

/** Deterministic PRNG (mulberry32) so every run measures the same corpus. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'the actor used infrastructure hosted on several providers and rotated it weekly while operators reused tooling across campaigns observed by partners in the region after initial access through phishing documents'.split(
    ' ',
  );
const hex = (rand: () => number, n: number) =>
  Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');

/** One indicator as a report would write it, defanged about half the time. */
function indicator(rand: () => number, i: number): string {
  const defang = rand() < 0.5;
  const dot = defang ? '[.]' : '.';
  switch (Math.floor(rand() * 8)) {
    case 0:
      return `c2-${i}${dot}evil-corp${dot}com`;
    case 1:
      return `${defang ? 'hxxps' : 'https'}://cdn-${i}${dot}evil-corp${dot}net/p/${i}.php`;
    case 2:
      return `185.${i % 250}.${Math.floor(rand() * 250)}${dot}${Math.floor(rand() * 250)}`;
    case 3:
      return `ops${i}${defang ? '[at]' : '@'}evil-corp${dot}org`;
    case 4:
      return hex(rand, 64);
    case 5:
      return hex(rand, 32);
    case 6:
      return `CVE-20${10 + (i % 15)}-${1000 + (i % 9000)}`;
    default:
      return `report-${i}.pdf`; // a file name: must be rejected
  }
}

/** ~`mb` MB of report-like text; `density` = indicators per 100 words. */
function corpus(mb: number, density: number, seed: number): string[] {
  const rand = prng(seed);
  const docs: string[] = [];
  let total = 0;
  let i = 0;
  while (total < mb * 1e6) {
    const parts: string[] = [];
    let size = 0;
    while (size < 64_000) {
      const word =
        rand() * 100 < density ? indicator(rand, i++) : (WORDS[Math.floor(rand() * WORDS.length)] ?? 'x');
      parts.push(word);
      size += word.length + 1;
      if (rand() < 0.06) parts.push('.\n');
    }
    const doc = parts.join(' ');
    docs.push(doc);
    total += doc.length;
  }
  return docs;
}

/** Median of a list of numbers (the list is sorted in place). */
function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
}

/** A committed corpus file repeated (one per line) up to about `mb` MB, as the peer comparison reads it. */
function repeatedCorpus(file: string, mb: number): string {
  const one = readFileSync(new URL(`./corpora/${file}`, import.meta.url), 'utf8');
  const copies = Math.max(1, Math.round((mb * 1e6) / Buffer.byteLength(one)));
  return Array.from({ length: copies }, () => one).join('\n');
}

/** ioc-extractor's result keys, in the platform's vocabulary where one exists. */
const PEER_TYPES: Readonly<Record<string, string>> = {
  domains: 'domain',
  ipv4s: 'ipv4',
  ipv6s: 'ipv6',
  urls: 'url',
  emails: 'email',
  md5s: 'md5',
  sha1s: 'sha1',
  sha256s: 'sha256',
  sha512s: 'sha512',
  btcs: 'btc',
  eths: 'eth',
  cves: 'cve',
};

/** Distinct selectors per type (ioc-extractor answers distinct values, so both sides count the same way). */
function countOurs(found: ExtractedSelector[]): Map<string, number> {
  const seen = new Map<string, Set<string>>();
  for (const s of found) {
    const set = seen.get(s.type) ?? new Set<string>();
    seen.set(s.type, set);
    set.add(s.value);
  }
  return new Map([...seen].map(([type, set]) => [type, set.size]));
}

function countPeer(found: IOC): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [key, list] of Object.entries(found)) {
    if (Array.isArray(list) && list.length > 0) counts.set(PEER_TYPES[key] ?? `(${key})`, list.length);
  }
  return counts;
}

/**
 * `extractSelectors` against ioc-extractor's `extractIOC` (refang on) on the same text, in this thread,
 * alternating which goes first each round; the median round of each is compared. Prints the selector
 * counts per type each found, then the ratio.
 *
 * Both first run `warmup` unmeasured rounds on the whole text: the figures are the steady state of a
 * long-lived extraction thread. `extractSelectors` is JavaScript that V8 optimises as it runs (on a loaded
 * machine its first rounds on 2 MB are several times slower than the later ones); ioc-extractor spends its
 * time in the regex engine's compiled code and runs at about the same speed from its first round.
 */
function comparePeer(name: string, text: string, rounds: number, warmup: number): void {
  const mb = Buffer.byteLength(text) / 1e6;
  const wall = { ours: [] as number[], theirs: [] as number[] };
  const cpu = { ours: [] as number[], theirs: [] as number[] };
  let oursFound: ExtractedSelector[] = [];
  let theirsFound: IOC | undefined;
  const timed = (side: 'ours' | 'theirs', fn: () => void) => {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    fn();
    const used = process.cpuUsage(cpuStart);
    wall[side].push(performance.now() - start);
    cpu[side].push((used.user + used.system) / 1000);
  };
  const runOurs = () =>
    timed('ours', () => {
      oursFound = extractSelectors(text);
    });
  const runTheirs = () =>
    timed('theirs', () => {
      theirsFound = extractIOC(text, { refang: true });
    });
  for (let round = 0; round < warmup; round++) {
    extractSelectors(text);
    extractIOC(text, { refang: true });
  }
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      runOurs();
      runTheirs();
    } else {
      runTheirs();
      runOurs();
    }
  }
  const rate = (ms: number[]) => mb / (median(ms) / 1000);
  const a = countOurs(oursFound);
  const b = theirsFound ? countPeer(theirsFound) : new Map<string, number>();
  console.log(
    `\n${name}: ${mb.toFixed(2)} MB, ${rounds} alternating rounds after ${warmup} warm-up rounds each, medians`,
  );
  const types = [...new Set([...a.keys(), ...b.keys()])].sort();
  console.log(`  ${'type'.padEnd(14)} ${'extractSelectors'.padStart(16)} ${'ioc-extractor'.padStart(14)}`);
  for (const type of types) {
    console.log(
      `  ${type.padEnd(14)} ${String(a.get(type) ?? 0).padStart(16)} ${String(b.get(type) ?? 0).padStart(14)}`,
    );
  }
  console.log(
    `  extractSelectors ${rate(wall.ours).toFixed(2)} MB/s wall, ${rate(cpu.ours).toFixed(2)} MB per CPU-second ` +
      `(${oursFound.length.toLocaleString('en')} mentions)`,
  );
  console.log(
    `  ioc-extractor 8.2.0 extractIOC (refang on) ${rate(wall.theirs).toFixed(2)} MB/s wall, ` +
      `${rate(cpu.theirs).toFixed(2)} MB per CPU-second`,
  );
  // CPU time decides: on a shared machine the wall clock mostly measures the neighbours.
  console.log(
    `  extractSelectors vs ioc-extractor: ${(rate(cpu.ours) / rate(cpu.theirs)).toFixed(1)}x ` +
      `(CPU time; ${(rate(wall.ours) / rate(wall.theirs)).toFixed(1)}x by wall clock)`,
  );
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `bench_extract_${process.pid}`;
  if (process.env.DATABASE_URL) {
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${quoteIdent(name)}`);
    await admin.end();
    await ensureDatabase(process.env.DATABASE_URL, name);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    try {
      return await fn(url.toString());
    } finally {
      const cleanup = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
      await cleanup.end();
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'osint-bench-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const pg = await startLocalPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    persistent: false,
    database: name,
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  try {
    return await fn(pg.url);
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * CPU seconds (user + system) the given PostgreSQL backends have used, from /proc/<pid>/stat (fields 14
 * and 15, in clock ticks of 1/100 s on Linux); undefined when the server is not a process on this machine.
 */
function backendCpu(pids: readonly number[]): number | undefined {
  let ticks = 0;
  for (const pid of pids) {
    const file = `/proc/${pid}/stat`;
    // A server in a container has its own process ids: a pid here is its backend only if it is a postgres.
    if (!existsSync(file) || readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres')
      return undefined;
    // The command name (field 2) is in parentheses and may hold spaces: count the fields after it.
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

async function benchUpserts(url: string) {
  await runMigrations(url);
  const client = createDbClient(url, { max: 2, applicationName: 'bench' });
  const { db } = client;
  try {
    // Open both pooled connections now, so the backends whose CPU time is read are all there is.
    const pids = (
      await Promise.all(
        [0, 1].map(() => client.sql<{ pid: number }[]>`select pg_backend_pid() as pid, pg_sleep(0.1)`),
      )
    ).map(([row]) => row!.pid);
    const backendCpuSeconds = () => backendCpu(pids);
    const [user] = await db
      .insert(users)
      .values({ email: 'bench@example.test', displayName: 'Bench', passwordHash: '$argon2id$bench' })
      .returning();
    const [inv] = await db.insert(investigations).values({ title: 'bench', createdBy: user!.id }).returning();
    const [doc] = await db
      .insert(documents)
      .values({
        investigationId: inv!.id,
        title: 'bench',
        mediaType: 'text/plain',
        sizeBytes: 0,
        sha256: '0'.repeat(64),
        content: Buffer.alloc(0),
        createdBy: user!.id,
      })
      .returning();
    // The links name their job, as the extract job's do (one more foreign key checked per link).
    const [job] = await db
      .insert(jobs)
      .values({ kind: 'extract', investigationId: inv!.id, targetType: 'document', targetId: doc!.id })
      .returning();
    // Unique selectors from the generated corpus, enough to reach the requested count.
    const unique = new Map<string, ExtractedSelector>();
    for (let seed = 1; unique.size < SELECTORS; seed++) {
      for (const doc of corpus(2, 30, 1000 + seed)) {
        for (const s of extractSelectors(doc)) unique.set(`${s.type}:${s.value}`, s);
        if (unique.size >= SELECTORS) break;
      }
    }
    const items = [...unique.values()].slice(0, SELECTORS);
    const BATCH = 5_000;

    const time = async (label: string, fn: (batch: ExtractedSelector[]) => Promise<unknown>) => {
      const cpuStart = backendCpuSeconds();
      const start = performance.now();
      for (let i = 0; i < items.length; i += BATCH) {
        const batch = items.slice(i, i + BATCH);
        // Each measured step opens its own transaction, as the extract job does: one per batch.
        await fn(batch);
      }
      const seconds = (performance.now() - start) / 1000;
      const cpuEnd = backendCpuSeconds();
      const backend =
        cpuStart === undefined || cpuEnd === undefined
          ? 'backend CPU n/a (server not on this machine)'
          : `backend ${(cpuEnd - cpuStart).toFixed(2)} CPU-s = ${(((cpuEnd - cpuStart) / items.length) * 1e6).toFixed(1)} µs per selector`;
      console.log(
        `db ${label.padEnd(44)} ${items.length.toLocaleString('en')} in ${seconds.toFixed(2)} s = ` +
          `${Math.round(items.length / seconds).toLocaleString('en')} selectors/s; ${backend}; load ${loadavg()[0]!.toFixed(1)}`,
      );
    };
    await time('upsert new selectors (insert path)', async (batch) => {
      await db.transaction((tx) => upsertSelectors(tx, batch));
    });
    await time('upsert the same selectors again (conflict path)', async (batch) => {
      await db.transaction((tx) => upsertSelectors(tx, batch));
    });
    // As the extract job writes (services/worker/src/processors/extract.processor.ts): the upsert, then the
    // links and the mentions pipelined on the transaction's connection.
    await time('upsert + link + mention (extract transaction)', async (batch) => {
      await db.transaction(async (tx) => {
        const r = await upsertSelectors(tx, batch);
        const key = (s: ExtractedSelector) => `${s.type}\u0000${s.value}`;
        await Promise.all([
          linkSelectors(tx, {
            investigationId: inv!.id,
            source: 'extraction',
            jobId: job!.id,
            addedBy: user!.id,
            items: batch.map((s) => ({
              selectorId: r.get(key(s))!,
              displayValue: s.displayValue,
              attributes: s.attributes,
              allowListed: false,
            })),
          }),
          insertMentions(
            tx,
            doc!.id,
            EXTRACTOR_VERSION,
            batch.map((s, i) => ({
              selectorId: r.get(key(s))!,
              start: i * 10,
              end: i * 10 + 5,
              raw: s.raw,
            })),
          ),
        ]);
      });
    });
  } finally {
    await client.close();
  }
}

console.log(
  `extractor ${EXTRACTOR_VERSION}, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const CORPORA = [
  ['IOC-dense (ioc-fanger defanged corpus)', 'ioc-fanger-defanged.txt'],
  ['prose (CISA BOD 18-01 introduction)', 'cisa-bod-18-01-intro.md'],
  ['report (CISA ED 21-01 supplemental guidance)', 'cisa-ed-21-01-supplemental-guidance.md'],
] as const;
for (const [name, file] of args['db-only'] ? [] : CORPORA) {
  comparePeer(name, repeatedCorpus(file, CORPUS_MB), ROUNDS, WARMUP);
}

/**
 * The extraction pool's overhead, reported apart from the in-thread figures above: the same IOC-dense text
 * through `ExtractionPool.extractText` (a worker thread, the text and the results structured-cloned across)
 * against `extractSelectors` here, median wall-clock milliseconds of alternating rounds.
 */
async function poolOverhead(text: string, rounds: number): Promise<void> {
  const pool = new ExtractionPool({ ...DEFAULT_EXTRACTION_LIMITS, EXTRACTION_THREADS: 1 });
  try {
    // Start the thread and warm it as the in-thread figures are warmed (see comparePeer).
    for (let round = 0; round < WARMUP; round++) await pool.extractText(text);
    const inThread: number[] = [];
    const viaPool: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let start = performance.now();
      extractSelectors(text);
      inThread.push(performance.now() - start);
      start = performance.now();
      await pool.extractText(text);
      viaPool.push(performance.now() - start);
    }
    const a = median(inThread);
    const b = median(viaPool);
    console.log(
      `\nextraction pool (one worker thread), IOC-dense ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB: ` +
        `${b.toFixed(0)} ms via the pool, ${a.toFixed(0)} ms in-thread, overhead ${(b - a).toFixed(0)} ms ` +
        `(${(((b - a) / a) * 100).toFixed(0)}%, wall clock medians)`,
    );
  } finally {
    await pool.close();
  }
}
if (!args['db-only']) await poolOverhead(repeatedCorpus(CORPORA[0][1], CORPUS_MB), ROUNDS);
if (!args['skip-db']) await withDatabase(benchUpserts);
