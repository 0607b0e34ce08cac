/**
 * Extraction benchmark (`npm run bench:extract`): text MB/s through `extractSelectors` over a generated
 * corpus, and selectors/s upserted in bulk into a real PostgreSQL by the same set-based writes the extract
 * job uses. Throughput is measured here rather than asserted in tests (issue 8: no timed tests).
 *
 *   node --conditions=source --import tsx scripts/bench/extract.ts [--mb 8] [--selectors 100000]
 *
 * PostgreSQL: DATABASE_URL when set (a throw-away database is created on it and dropped), otherwise an
 * embedded PostgreSQL 15 started in a temporary directory (fsync off, like the test clusters).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXTRACTOR_VERSION, type ExtractedSelector, extractSelectors } from '@osint/core';
import { createDbClient, documents, investigations, runMigrations, users } from '@osint/db';
import postgres from 'postgres';
import {
  insertMentions,
  linkSelectors,
  upsertSelectors,
} from '../../services/worker/src/processors/graph-writes.js';
import { freePort } from '../lib/ports.js';
import { ensureDatabase, quoteIdent, startLocalPostgres } from '../lib/postgres-provider.js';

const { values: args } = parseArgs({
  options: {
    mb: { type: 'string', default: '8' },
    selectors: { type: 'string', default: '100000' },
    'skip-db': { type: 'boolean', default: false },
  },
});
const CORPUS_MB = Number(args.mb);
const SELECTORS = Number(args.selectors);

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

function benchExtraction(name: string, docs: string[]) {
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
  extractSelectors(docs[0] ?? ''); // warm up the JIT
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let matches = 0;
  for (const doc of docs) matches += extractSelectors(doc).length;
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // CPU time next to wall time: on a shared machine the wall figure says more about the neighbours.
  console.log(
    `extract ${name.padEnd(22)} ${(bytes / 1e6).toFixed(1)} MB: ${(bytes / 1e6 / seconds).toFixed(2)} MB/s wall ` +
      `(${(bytes / 1e6 / cpuSeconds).toFixed(2)} MB/s per CPU-second), ` +
      `${Math.round(matches / seconds).toLocaleString('en')} selectors/s found (${matches.toLocaleString('en')})`,
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

async function benchUpserts(url: string) {
  await runMigrations(url);
  const client = createDbClient(url, { max: 2, applicationName: 'bench' });
  const { db } = client;
  try {
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
      const start = performance.now();
      for (let i = 0; i < items.length; i += BATCH) {
        const batch = items.slice(i, i + BATCH);
        await db.transaction((tx) => fn.call(tx, batch));
      }
      const seconds = (performance.now() - start) / 1000;
      console.log(
        `db ${label.padEnd(44)} ${items.length.toLocaleString('en')} in ${seconds.toFixed(2)} s = ` +
          `${Math.round(items.length / seconds).toLocaleString('en')} selectors/s`,
      );
    };
    await time('upsert new selectors (insert path)', async (batch) => {
      await db.transaction((tx) => upsertSelectors(tx, batch));
    });
    await time('upsert the same selectors again (conflict path)', async (batch) => {
      await db.transaction((tx) => upsertSelectors(tx, batch));
    });
    await time('upsert + link + mention (extract transaction)', async (batch) => {
      await db.transaction(async (tx) => {
        const r = await upsertSelectors(tx, batch);
        const key = (s: ExtractedSelector) => `${s.type}\u0000${s.value}`;
        await linkSelectors(tx, {
          investigationId: inv!.id,
          source: 'extraction',
          jobId: null as unknown as string,
          addedBy: user!.id,
          items: batch.map((s) => ({
            selectorId: r.get(key(s))!,
            displayValue: s.displayValue,
            attributes: s.attributes,
            allowListed: false,
          })),
        });
        await insertMentions(
          tx,
          doc!.id,
          EXTRACTOR_VERSION,
          batch.map((s, i) => ({
            selectorId: r.get(key(s))!,
            start: i * 10,
            end: i * 10 + 5,
            raw: s.raw,
          })),
        );
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
benchExtraction('report (15 IOC/100 w)', corpus(CORPUS_MB, 15, 42));
benchExtraction('prose (0.5 IOC/100 w)', corpus(CORPUS_MB, 0.5, 43));
if (!args['skip-db']) await withDatabase(benchUpserts);
