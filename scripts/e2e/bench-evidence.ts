/**
 * Figures for the web app's evidence reads: the investigations list (with memberCount and lastActivityAt),
 * a selector's mentions (snippets cut by PostgreSQL) and a document's mentions. Prints figures; asserts
 * nothing about time (house rule: benchmarks print, tests check behaviour).
 *
 *   node --conditions=source --import tsx scripts/e2e/bench-evidence.ts [--runs 30]
 *
 * Starts its own throw-away PostgreSQL 15 (the tuned native settings, loopback, free port), migrates, and
 * writes: 300 investigations for one user (5 members and 50 audit events each, 20 documents and 50 selector
 * links each); one investigation with 200 documents of about 40,000 characters, each mentioning one
 * selector 50 times (10,000 mentions; half the documents start with an emoji, so their snippets take the
 * exact UTF-16 path), and one document with 5,000 mentions. Then it times the service functions the routes
 * call (no HTTP), `runs` times each, and prints median and p95 in milliseconds.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type ApiDeps,
  CursorCodec,
  listDocumentMentions,
  listInvestigations,
  listSelectorMentions,
} from '@osint/api';
import { createDbClient, runMigrations } from '@osint/db';
import { freePort } from '../lib/ports.js';
import { embeddedLibDir, loadNativeServerSettings } from '../lib/postgres-config.js';
import { startLocalPostgres } from '../lib/postgres-provider.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
const RUNS = Math.max(3, Math.min(500, Number(values.runs) || 30));
const INVESTIGATIONS = 300;
const EVIDENCE_DOCUMENTS = 200;
const MENTIONS_PER_DOCUMENT = 50;
const BIG_DOCUMENT_MENTIONS = 5000;
const HASH = '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function time(name: string, fn: () => Promise<unknown>): Promise<void> {
  await fn(); // warm-up (plans, buffers)
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `${name.padEnd(62)} median ${f(percentile(samples, 50))} ms   p95 ${f(percentile(samples, 95))} ms`,
  );
}

/** A paragraph of report-like text with one mention of the selector; the offsets are JavaScript's. */
function evidenceText(n: number, emoji: boolean): { text: string; offsets: number[] } {
  const filler =
    'The actor rotated infrastructure through several hosting providers; analysts observed beacons ' +
    'every sixty seconds, staged payloads and a phishing kit reused from earlier campaigns. ';
  let text = emoji ? `🦊 Threat brief ${n} 🔥\n` : `Threat brief ${n}\n`;
  const offsets: number[] = [];
  for (let i = 0; i < MENTIONS_PER_DOCUMENT; i += 1) {
    text += `${filler.repeat(4)}Seen: `;
    offsets.push(text.length);
    text += `evil[.]example[.]com${emoji && i % 5 === 0 ? ' 🙂' : ''}.\n`;
  }
  return { text, offsets };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'osint-bench-evidence-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as `postgres`, which must enter it
  const pg = await startLocalPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    persistent: false,
    settings: loadNativeServerSettings({ libDir: await embeddedLibDir() }),
  });
  const client = createDbClient(pg.url, { max: 4 });
  try {
    await runMigrations(pg.url);
    const { sql } = client;
    const t0 = performance.now();
    const [user] = await sql<{ id: string }[]>`
      insert into users (email, display_name, password_hash) values ('bench@example.test', 'Bench', ${HASH})
      returning id`;
    const userId = user!.id;
    await sql`
      insert into users (email, display_name, password_hash)
      select 'm' || g || '@example.test', 'Member ' || g, ${HASH} from generate_series(1, 4) g`;
    await sql`
      insert into investigations (title, created_by, created_at, updated_at)
      select 'Investigation ' || g, ${userId}, now() - g * interval '1 hour', now() - g * interval '1 hour'
      from generate_series(1, ${INVESTIGATIONS}) g`;
    await sql`
      insert into memberships (investigation_id, user_id, role)
      select i.id, u.id, case when u.id = ${userId} then 'owner' else 'viewer' end::membership_role
      from investigations i cross join users u`;
    await sql`
      insert into audit_events (actor_type, actor_id, action, object_type, object_id, investigation_id, at)
      select 'user', ${userId}, 'note.create', 'note', g::text, i.id, now() - (g || ' minutes')::interval
      from investigations i cross join generate_series(1, 50) g`;
    await sql`
      insert into documents (investigation_id, title, media_type, size_bytes, sha256, content, created_by)
      select i.id, 'Doc ' || g, 'text/plain', 1, encode(sha256(convert_to(i.id::text || g, 'UTF8')), 'hex'),
             'x'::bytea, ${userId}
      from investigations i cross join generate_series(1, 20) g`;
    await sql`
      insert into selectors (type, value)
      select 'domain', 'host' || g || '.example.net' from generate_series(1, 50) g`;
    await sql`
      insert into investigation_selectors (investigation_id, selector_id, source, added_by, display_value)
      select i.id, s.id, 'manual', ${userId}, s.value from investigations i cross join selectors s`;

    // The evidence investigation: the newest one.
    const [inv] = await sql<{ id: string }[]>`select id from investigations order by created_at desc limit 1`;
    const investigationId = inv!.id;
    const [sel] = await sql<{ id: string }[]>`
      insert into selectors (type, value) values ('domain', 'evil.example.com')
      returning id`;
    const selectorId = sel!.id;
    await sql`
      insert into investigation_selectors (investigation_id, selector_id, source, added_by, display_value)
      values (${investigationId}, ${selectorId}, 'manual', ${userId}, 'evil[.]example[.]com')`;
    let bigDocumentId = '';
    for (let d = 0; d < EVIDENCE_DOCUMENTS + 1; d += 1) {
      const big = d === EVIDENCE_DOCUMENTS;
      const { text, offsets } = big
        ? (() => {
            let t = '';
            const o: number[] = [];
            for (let i = 0; i < BIG_DOCUMENT_MENTIONS; i += 1) {
              t += 'row ';
              o.push(t.length);
              t += 'evil[.]example[.]com\n';
            }
            return { text: t, offsets: o };
          })()
        : evidenceText(d, d % 2 === 0);
      const bytes = Buffer.from(text);
      const [doc] = await sql<{ id: string }[]>`
        insert into documents (investigation_id, title, media_type, size_bytes, sha256, content, extracted_text,
                               extraction_status, created_by, created_at)
        values (${investigationId}, ${big ? 'Big dump' : `Report ${d}`}, 'text/plain', ${bytes.length},
                encode(sha256(${bytes}), 'hex'), ${bytes}, ${text}, 'succeeded', ${userId},
                now() - ${d} * interval '1 minute')
        returning id`;
      if (big) bigDocumentId = doc!.id;
      const rows = JSON.stringify(offsets.map((a) => ({ a, b: a + 'evil[.]example[.]com'.length })));
      await sql`
        insert into mentions (document_id, selector_id, start_offset, end_offset, raw_text, extractor_version)
        select ${doc!.id}, ${selectorId}, r.a, r.b, 'evil[.]example[.]com', 'bench'
        from jsonb_to_recordset(${rows}::jsonb) as r(a int, b int)`;
    }
    await sql`analyze`;
    console.log(
      `data: ${INVESTIGATIONS} investigations (5 members, 50 events, 20 documents, 50 selectors each); ` +
        `${EVIDENCE_DOCUMENTS} evidence documents × ${MENTIONS_PER_DOCUMENT} mentions + one of ` +
        `${BIG_DOCUMENT_MENTIONS}; written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')}`,
    );

    const deps = { db: client.db, cursors: new CursorCodec('b'.repeat(32)) } as unknown as ApiDeps;
    await time('GET /investigations?limit=50 (memberCount, lastActivityAt)', () =>
      listInvestigations(deps, userId, { limit: 50 }),
    );
    await time('GET /investigations?limit=200', () => listInvestigations(deps, userId, { limit: 200 }));
    const mentionsPage = (limit: number, context = 80, cursor?: string) =>
      listSelectorMentions(deps, userId, investigationId, selectorId, {
        limit,
        context,
        ...(cursor ? { cursor } : {}),
      });
    await time('GET …/selectors/{id}/mentions?limit=25, first page', () => mentionsPage(25));
    await time('GET …/selectors/{id}/mentions?limit=200, first page', () => mentionsPage(200));
    // Cursors of every page, newest document first: pages 2k and 2k+1 are document k's two halves; even
    // documents start with an emoji (exact UTF-16 path), odd ones are BMP-only (direct slice).
    const cursors: (string | undefined)[] = [undefined];
    for (let next = (await mentionsPage(25)).nextCursor; next && cursors.length < 8; ) {
      cursors.push(next);
      next = (await mentionsPage(25, 80, next)).nextCursor;
    }
    await time('  …page 2: emoji document, mentions 25–49 (offsets ~20–40k)', () =>
      mentionsPage(25, 80, cursors[1]),
    );
    await time('  …page 4: BMP-only document, mentions 25–49 (offsets ~20–40k)', () =>
      mentionsPage(25, 80, cursors[3]),
    );
    await time('GET …/documents/{id}/mentions?limit=1000 (5,000 in the document)', () =>
      listDocumentMentions(deps, userId, investigationId, bigDocumentId, { limit: 1000 }),
    );
  } finally {
    await client.sql.end({ timeout: 5 });
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
