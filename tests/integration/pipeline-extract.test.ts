import { createHash, randomUUID } from 'node:crypto';
import {
  createLogger,
  EXTRACTOR_VERSION,
  extractSelectors,
  investigationJobsChannel,
  type JobEvent,
  jobChannel,
  QUEUES,
} from '@osint/core';
import { buildMinimalPdf } from '@osint/core/extraction/pdf-fixture';
import {
  auditEvents,
  documents,
  investigationSelectors,
  jobs,
  mentions,
  notes,
  relationships,
  selectors,
} from '@osint/db';
import { createWorkerRuntime, type WorkerRuntime } from '@osint/worker';
import { eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInvestigation,
  enqueueExtract,
  pipelineWorkerConfig,
  storeDocument,
  testQueues,
  until,
  waitForJobs,
} from '../support/pipeline.js';
import { createTestDatabase, createTestRedis } from '../support/test-env.js';

const database = await createTestDatabase();
const redis = createTestRedis();
const { db } = database.client;
const queues = testQueues(redis.redis, redis.prefix);
// Auto-enrichment is covered by pipeline-enrich; here the extract job's own effects are counted exactly.
const config = pipelineWorkerConfig(database, redis, { ENRICH_AFTER_EXTRACT: 'false' });
let runtime: WorkerRuntime;
beforeAll(() => {
  runtime = createWorkerRuntime(config, createLogger('pipeline-test', 'silent'));
});
afterAll(async () => {
  await runtime.close('test');
});

const REPORT = [
  'INTSUM 2026-03-14 / TLP:AMBER',
  'Loader: hxxps://cdn[.]evil-corp[.]com/load/gate.php?id=7 contacted from 185.220.101[.]42.',
  'Sender billing [at] evil-corp [.] com; backup C2 update-check[.]evil-corp(.)net.',
  'Dropped report.pdf and setup.py (agent v2.1.0.3, version 10.0.0.1).',
  'SHA-256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f, CVE-2021-44228.',
  'Our own relay mail.corp-infra.com and lab 198.51.100[.]7 (ignore). Hotline 020 7946 0000.',
  'Repeat: 185.220.101[.]42 again.',
].join('\n');

async function runExtract(
  world: { investigationId: string; userId: string },
  content: string | Uint8Array,
  mediaType?: string,
) {
  const stored = await storeDocument(db, world, content, mediaType ? { mediaType } : {});
  await enqueueExtract(queues.extract, [stored]);
  const [row] = await waitForJobs(db, [stored.jobId]);
  return { ...stored, row: row! };
}

describe('extract job: pasted report with defanged IOCs', () => {
  let world: Awaited<ReturnType<typeof createInvestigation>>;
  let run: Awaited<ReturnType<typeof runExtract>>;
  const events: JobEvent[] = [];
  const investigationEvents: JobEvent[] = [];
  let subscriber: Redis;

  beforeAll(async () => {
    world = await createInvestigation(db, { defaultRegion: 'GB', allowList: ['corp-infra.com'] });
    subscriber = new Redis(redis.url);
    await subscriber.psubscribe(
      `${redis.prefix}:jobs:*`,
      investigationJobsChannel(redis.prefix, world.investigationId),
    );
    subscriber.on('pmessage', (pattern, channel, message) => {
      const event = JSON.parse(message) as JobEvent;
      if (channel === investigationJobsChannel(redis.prefix, world.investigationId))
        investigationEvents.push(event);
      else if (pattern.endsWith(':jobs:*')) events.push(event);
    });
    run = await runExtract(world, REPORT);
    // Pub/sub is asynchronous: let the last events arrive.
    await until(
      async () => (events.some((e) => e.status === 'succeeded') ? true : undefined),
      5_000,
      'final event',
    );
  });
  afterAll(async () => {
    await subscriber.quit();
  });

  it('succeeds and records the outcome on the job row', () => {
    expect(run.row).toMatchObject({ status: 'succeeded', progress: 100, attempts: 1, error: null });
    expect(run.row.result).toMatchObject({
      documentId: run.documentId,
      extractorVersion: EXTRACTOR_VERSION,
      mentions: 10,
      selectors: 9,
      selectorsCreated: 9,
      relationshipsCreated: 9,
      allowListed: 2,
    });
    expect(run.row.leaseExpiresAt).toBeNull();
    expect(run.row.finishedAt).not.toBeNull();
  });

  it('stores the extracted text and marks the document succeeded', async () => {
    const [doc] = await db.select().from(documents).where(eq(documents.id, run.documentId));
    expect(doc).toMatchObject({ extractionStatus: 'succeeded', extractedText: REPORT, error: null });
  });

  it('creates the expected selectors, normalised, linked to the investigation with source extraction', async () => {
    const rows = await db
      .select({
        type: selectors.type,
        value: selectors.value,
        display: investigationSelectors.displayValue,
        source: investigationSelectors.source,
        tags: investigationSelectors.tags,
        job: investigationSelectors.addedByJobId,
      })
      .from(investigationSelectors)
      .innerJoin(selectors, eq(selectors.id, investigationSelectors.selectorId))
      .where(eq(investigationSelectors.investigationId, world.investigationId))
      .orderBy(selectors.type, selectors.value);
    // In the order of the selector_type enum, then value.
    expect(rows.map((r) => [r.type, r.value, r.tags])).toEqual([
      ['domain', 'mail.corp-infra.com', ['allow-listed']],
      ['domain', 'update-check.evil-corp.net', []],
      ['ipv4', '185.220.101.42', []],
      ['ipv4', '198.51.100.7', ['allow-listed']],
      ['url', 'https://cdn.evil-corp.com/load/gate.php?id=7', []],
      ['email', 'billing@evil-corp.com', []],
      ['phone', '+442079460000', []],
      ['sha256', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', []],
      ['cve', 'CVE-2021-44228', []],
    ]);
    expect(rows.every((r) => r.source === 'extraction' && r.job === run.jobId)).toBe(true);
    // The display value is the first spelling seen, as written (defanged); the value is what it means.
    expect(rows.find((r) => r.type === 'email')?.display).toBe('billing [at] evil-corp [.] com');
  });

  it('records every mention with offsets into the ORIGINAL text', async () => {
    const rows = await db
      .select({
        start: mentions.startOffset,
        end: mentions.endOffset,
        raw: mentions.rawText,
        version: mentions.extractorVersion,
        value: selectors.value,
      })
      .from(mentions)
      .innerJoin(selectors, eq(selectors.id, mentions.selectorId))
      .where(eq(mentions.documentId, run.documentId))
      .orderBy(mentions.startOffset);
    const expected = extractSelectors(REPORT, { defaultRegion: 'GB', allowList: ['corp-infra.com'] });
    expect(rows.map((r) => [r.start, r.end, r.raw, r.value])).toEqual(
      expected.map((s) => [s.start, s.end, s.raw, s.value]),
    );
    for (const r of rows) expect(REPORT.slice(r.start, r.end)).toBe(r.raw);
    expect(rows.filter((r) => r.value === '185.220.101.42').map((r) => r.raw)).toEqual([
      '185.220.101[.]42',
      '185.220.101[.]42',
    ]);
    const email = rows.find((r) => r.value === 'billing@evil-corp.com')!;
    expect([email.start, email.end]).toEqual([REPORT.indexOf('billing [at]'), REPORT.indexOf('; backup')]);
    expect(new Set(rows.map((r) => r.version))).toEqual(new Set([EXTRACTOR_VERSION]));
  });

  it('links the document to each selector once with a mentions relationship', async () => {
    const rows = await db
      .select()
      .from(relationships)
      .where(eq(relationships.investigationId, world.investigationId));
    expect(rows).toHaveLength(9);
    for (const r of rows) {
      expect(r).toMatchObject({
        sourceKind: 'document',
        sourceId: run.documentId,
        targetKind: 'selector',
        type: 'mentions',
        evidenceDocumentId: run.documentId,
        createdByJob: run.jobId,
        createdByUser: world.userId,
      });
    }
  });

  it('writes one audit event for the batch, with the job as actor', async () => {
    const rows = await db.select().from(auditEvents).where(eq(auditEvents.actorId, run.jobId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorType: 'job',
      action: 'document.extract',
      objectType: 'document',
      objectId: run.documentId,
      investigationId: world.investigationId,
    });
  });

  it('publishes progress on the job channel and the investigation channel', () => {
    const mine = events.filter((e) => e.jobId === run.jobId);
    expect(mine.map((e) => [e.status, e.phase, e.progress])).toEqual([
      ['running', 'reading', 5],
      ['running', 'extracting', 30],
      ['running', 'saving', 60],
      ['succeeded', 'done', 100],
    ]);
    expect(mine.at(-1)?.result).toMatchObject({ mentions: 10 });
    expect(investigationEvents.map((e) => e.jobId)).toEqual(mine.map((e) => e.jobId));
    expect(jobChannel('osint', run.jobId)).toBe(`osint:jobs:${run.jobId}`);
  });
});

describe('extract job: idempotence, formats, failures, cancellation', () => {
  it('changes nothing when the same document is extracted again (natural-key upserts)', async () => {
    const world = await createInvestigation(db, { defaultRegion: 'GB' });
    const first = await runExtract(world, REPORT);
    const count = async () => {
      const [m] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(mentions)
        .where(eq(mentions.documentId, first.documentId));
      const [r] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(relationships)
        .where(eq(relationships.investigationId, world.investigationId));
      const [l] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(investigationSelectors)
        .where(eq(investigationSelectors.investigationId, world.investigationId));
      return [m!.n, r!.n, l!.n];
    };
    const before = await count();
    // A second extract job for the same document (what a "re-extract" request would enqueue).
    const [again] = await db
      .insert(jobs)
      .values({
        kind: QUEUES.extract,
        investigationId: world.investigationId,
        targetType: 'document',
        targetId: first.documentId,
      })
      .returning();
    await enqueueExtract(queues.extract, [{ jobId: again!.id, documentId: first.documentId }]);
    const [row] = await waitForJobs(db, [again!.id]);
    expect(row).toMatchObject({ status: 'succeeded' });
    expect(row!.result).toMatchObject({
      mentionsInserted: 0,
      selectorsCreated: 0,
      selectorsLinked: 0,
      relationshipsCreated: 0,
    });
    expect(await count()).toEqual(before);
    // A duplicate delivery of a job that already succeeded is skipped outright.
    await queues.extract.add(
      QUEUES.extract,
      { jobId: first.jobId, documentId: first.documentId },
      { jobId: `${first.jobId}-dup` },
    );
    await until(async () =>
      (await queues.extract.getJob(`${first.jobId}-dup`))?.returnvalue ? true : undefined,
    );
    expect((await queues.extract.getJob(`${first.jobId}-dup`))?.returnvalue).toEqual({
      skipped: 'succeeded',
    });
  });

  it('re-extracting a changed document removes the mentions (and extraction edges) it no longer has, idempotently', async () => {
    const world = await createInvestigation(db);
    const before = 'C2 alpha-evil.com, 185.220.101.50, beta-evil.net and delta-evil.org.';
    const first = await runExtract(world, before);
    expect(first.row.result).toMatchObject({ mentions: 4, mentionsInserted: 4, mentionsRemoved: 0 });
    const edgeTo = async () =>
      new Map(
        (
          await db
            .select({ id: relationships.id, value: selectors.value })
            .from(relationships)
            .innerJoin(selectors, eq(selectors.id, relationships.targetId))
            .where(eq(relationships.sourceId, first.documentId))
        ).map((r) => [r.value, r.id]),
      );
    // An analyst's note on the edge to beta-evil.net: that edge must survive (its note would go with it).
    await db.insert(notes).values({
      investigationId: world.investigationId,
      authorId: world.userId,
      body: 'beta was the first stage',
      targetKind: 'relationship',
      targetId: (await edgeTo()).get('beta-evil.net')!,
    });

    // The document's text changes (a corrected upload): alpha moves, beta and delta are gone, gamma is new.
    const after = 'Now seen: 185.220.101.50 then alpha-evil.com; new gamma-evil[.]org.';
    const bytes = Buffer.from(after, 'utf8');
    await db
      .update(documents)
      .set({
        content: bytes,
        sizeBytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      })
      .where(eq(documents.id, first.documentId));
    const reExtract = async () => {
      const [job] = await db
        .insert(jobs)
        .values({
          kind: QUEUES.extract,
          investigationId: world.investigationId,
          targetType: 'document',
          targetId: first.documentId,
        })
        .returning();
      return job!.id;
    };
    // Two re-extractions at once (a double click, a retry racing a re-run): no duplicate, no leftover.
    const [a, b] = [await reExtract(), await reExtract()];
    await enqueueExtract(queues.extract, [
      { jobId: a, documentId: first.documentId },
      { jobId: b, documentId: first.documentId },
    ]);
    const rows = await waitForJobs(db, [a, b]);
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const removed = rows.map((r) => (r.result as { mentionsRemoved: number }).mentionsRemoved);
    expect(removed.sort()).toEqual([0, 4]);

    const current = await db
      .select({ raw: mentions.rawText, start: mentions.startOffset, version: mentions.extractorVersion })
      .from(mentions)
      .where(eq(mentions.documentId, first.documentId))
      .orderBy(mentions.startOffset);
    const expected = extractSelectors(after).map((s) => ({
      raw: s.raw,
      start: s.start,
      version: EXTRACTOR_VERSION,
    }));
    expect(current).toEqual(expected);
    expect(current.map((m) => m.raw)).toEqual(['185.220.101.50', 'alpha-evil.com', 'gamma-evil[.]org']);
    for (const m of current) expect(after.slice(m.start, m.start + m.raw.length)).toBe(m.raw);

    // Edges: the current selectors, plus beta's (it carries a note); delta's is gone.
    expect([...(await edgeTo()).keys()].sort()).toEqual([
      '185.220.101.50',
      'alpha-evil.com',
      'beta-evil.net',
      'gamma-evil.org',
    ]);
    // The investigation keeps every selector it was given (removing them is an analyst's decision).
    const [links] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(investigationSelectors)
      .where(eq(investigationSelectors.investigationId, world.investigationId));
    expect(links!.n).toBe(5);

    // Once more with the same text: nothing removed, nothing inserted.
    const again = await reExtract();
    await enqueueExtract(queues.extract, [{ jobId: again, documentId: first.documentId }]);
    const [third] = await waitForJobs(db, [again]);
    expect(third!.result).toMatchObject({ mentionsRemoved: 0, mentionsInserted: 0, relationshipsRemoved: 0 });
  });

  it('extracts the visible text of HTML and the text layer of PDF', async () => {
    const world = await createInvestigation(db);
    const html = await runExtract(
      world,
      '<html><head><title>t</title><script>var u="http://script.evil-corp.com/"</script></head><body><p>C2 <b>evil-corp[.]com</b> &amp; 185.220.101.9</p></body></html>',
      'text/html',
    );
    expect(html.row.status).toBe('succeeded');
    const [doc] = await db.select().from(documents).where(eq(documents.id, html.documentId));
    expect(doc!.extractedText).toBe('C2 evil-corp[.]com & 185.220.101.9');
    const htmlMentions = await db
      .select()
      .from(mentions)
      .where(eq(mentions.documentId, html.documentId))
      .orderBy(mentions.startOffset);
    expect(htmlMentions.map((m) => [m.rawText, m.startOffset])).toEqual([
      ['evil-corp[.]com', 3],
      ['185.220.101.9', 21],
    ]);

    const pdf = await runExtract(
      world,
      buildMinimalPdf(['Beacon hxxp://pdf-c2[.]evil-corp[.]com/x', 'from 185.220.101.10']),
      'application/pdf',
    );
    expect(pdf.row.status).toBe('succeeded');
    expect(pdf.row.result).toMatchObject({ pages: 1, selectors: 2 });
  });

  it('fails permanently (no retry) on content it cannot read, and says why on the document', async () => {
    const world = await createInvestigation(db);
    const bad = await runExtract(world, 'not really a pdf', 'application/pdf');
    expect(bad.row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(bad.row.error).toMatch(/not a readable PDF/);
    const [doc] = await db.select().from(documents).where(eq(documents.id, bad.documentId));
    expect(doc).toMatchObject({ extractionStatus: 'failed' });
    expect(doc!.error).toMatch(/not a readable PDF/);
  });

  it('skips a job whose row was cancelled before it ran, writing nothing', async () => {
    const world = await createInvestigation(db);
    const stored = await storeDocument(db, world, 'evil-corp.com 185.220.101.11');
    await db
      .update(jobs)
      .set({ status: 'cancelled', finishedAt: new Date() })
      .where(eq(jobs.id, stored.jobId));
    await enqueueExtract(queues.extract, [stored]);
    await until(async () => ((await queues.extract.getJob(stored.jobId))?.returnvalue ? true : undefined));
    expect((await queues.extract.getJob(stored.jobId))?.returnvalue).toEqual({ skipped: 'cancelled' });
    const [m] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(mentions)
      .where(eq(mentions.documentId, stored.documentId));
    expect(m!.n).toBe(0);
  });

  /**
   * Cancels the job exactly when the processor reports `progress` (a trigger turns that update into a
   * cancellation), standing in for the API's cancel arriving at that moment without any timing race.
   */
  async function cancelAtProgress(jobId: string, progress: number) {
    const fn = `test_cancel_${jobId.replace(/-/g, '')}`;
    await database.client.sql.unsafe(`
      create function ${fn}() returns trigger language plpgsql as $$
      begin
        if NEW.id = '${jobId}' and NEW.progress = ${progress} and NEW.status = 'running' then
          NEW.status := 'cancelled';
          NEW.finished_at := now();
        end if;
        return NEW;
      end $$;
      create trigger ${fn} before update on jobs for each row execute function ${fn}();`);
  }

  it.each([
    [30, 'between phases (the next progress update sees it)'],
    [60, 'at commit (the FOR UPDATE check in the effects transaction sees it)'],
  ])('stops when the row is cancelled at progress %i, %s, and rolls nothing in', async (progress) => {
    const world = await createInvestigation(db);
    const stored = await storeDocument(
      db,
      world,
      'C2 evil-corp[.]com and 185.220.101.12, hxxp://x[.]evil-corp[.]com/',
    );
    await cancelAtProgress(stored.jobId, progress);
    await enqueueExtract(queues.extract, [stored]);
    const [row] = await waitForJobs(db, [stored.jobId]);
    expect(row).toMatchObject({ status: 'cancelled', progress });
    await until(async () => ((await queues.extract.getJob(stored.jobId))?.returnvalue ? true : undefined));
    expect((await queues.extract.getJob(stored.jobId))?.returnvalue).toEqual({ cancelled: true });
    for (const table of [mentions, relationships]) {
      const where =
        table === mentions
          ? eq(mentions.documentId, stored.documentId)
          : eq(relationships.investigationId, world.investigationId);
      const [n] = await db.select({ n: sql<number>`count(*)::int` }).from(table).where(where);
      expect(n!.n).toBe(0);
    }
    const [links] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(investigationSelectors)
      .where(eq(investigationSelectors.investigationId, world.investigationId));
    expect(links!.n).toBe(0);
    const [doc] = await db.select().from(documents).where(eq(documents.id, stored.documentId));
    expect(doc).toMatchObject({
      extractionStatus: 'failed',
      error: 'extraction cancelled',
      extractedText: null,
    });
  });

  it('fails at once, without retrying, a job whose row does not exist', async () => {
    // Producers enqueue only committed rows (the outbox, ADR 0018): a job without a row will never have one.
    const jobId = randomUUID();
    await enqueueExtract(queues.extract, [{ jobId, documentId: randomUUID() }]);
    const failed = await until(async () => {
      const job = await queues.extract.getJob(jobId);
      return job?.failedReason ? job : undefined;
    });
    expect(failed.failedReason).toMatch(/does not exist/);
    expect(failed.attemptsMade).toBe(1);
    expect(await db.select().from(jobs).where(eq(jobs.id, jobId))).toEqual([]);
  });
});
