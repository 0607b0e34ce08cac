import { createLogger } from '@osint/core';
import {
  auditEvents,
  enrichmentResults,
  investigationSelectors,
  jobs,
  relationships,
  selectors,
} from '@osint/db';
import { createDnsProvider, createWorkerRuntime, type WorkerRuntime } from '@osint/worker';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDnsServer, type TestDnsServer } from '../support/dns-server.js';
import {
  addSelector,
  createInvestigation,
  enqueueEnrich,
  enqueueExtract,
  type PipelineWorld,
  pipelineWorkerConfig,
  storeDocument,
  testQueues,
  waitForJobs,
} from '../support/pipeline.js';
import { createTestDatabase, createTestRedis } from '../support/test-env.js';

const database = await createTestDatabase();
const redis = createTestRedis();
const { db } = database.client;
const queues = testQueues(redis.redis, redis.prefix);
const logger = createLogger('enrich-test', 'silent');

let dns: TestDnsServer;
let runtime: WorkerRuntime;
beforeAll(async () => {
  // Public-looking names and addresses: special-use names are never queried and answers outside public
  // unicast never become selectors, so the happy path needs a zone that looks like the Internet's.
  dns = await startTestDnsServer({
    'evil-fixture.net': {
      A: ['93.184.216.10', '93.184.216.11'],
      AAAA: ['2a01:4f8::10'],
      MX: [{ priority: 10, exchange: 'mail.evil-fixture.net' }],
      NS: ['ns1.evil-fixture.net'],
      TXT: ['v=spf1 ip4:93.184.216.10 -all'],
    },
    'alias.evil-fixture.net': { CNAME: ['evil-fixture.net'] },
    'mail.evil-fixture.net': { A: ['93.184.216.25'] },
    'leaky-fixture.net': {
      A: ['10.0.0.5', '127.0.0.1', '169.254.169.254', '192.0.2.7', '93.184.216.99'],
      AAAA: ['::1', 'fe80::1', 'fd00::7'],
      MX: [{ priority: 5, exchange: 'exchange.corp' }],
      NS: ['ns.internal'],
    },
    'db.internal': { A: ['93.184.216.50'] },
    'router.home.arpa': { A: ['93.184.216.51'] },
    'printer.local': { A: ['93.184.216.52'] },
    'evil-fixture.localhost': { A: ['93.184.216.53'] },
    'evil.test': { A: ['93.184.216.54'] },
  });
  runtime = createWorkerRuntime(
    pipelineWorkerConfig(database, redis, {
      ENRICH_NETWORK: 'true',
      DNS_RESOLVERS: dns.address,
      DNS_TIMEOUT_MS: '1000',
    }),
    logger,
  );
});
afterAll(async () => {
  await runtime.close('test');
  await dns.close();
});

/** The investigation's selector-to-selector edges as readable triples. */
async function edges(world: PipelineWorld) {
  const rows = await db
    .select({
      type: relationships.type,
      source: relationships.sourceId,
      target: relationships.targetId,
      job: relationships.createdByJob,
    })
    .from(relationships)
    .where(
      and(eq(relationships.investigationId, world.investigationId), eq(relationships.sourceKind, 'selector')),
    );
  const ids = [...new Set(rows.flatMap((r) => [r.source, r.target]))];
  const names = new Map(
    (
      await db
        .select({ id: selectors.id, value: selectors.value })
        .from(selectors)
        .where(inArray(selectors.id, ids.length ? ids : ['00000000-0000-0000-0000-000000000000']))
    ).map((s) => [s.id, s.value]),
  );
  return rows.map((r) => `${names.get(r.source)} ${r.type} ${names.get(r.target)}`).sort();
}

/** The selector's attributes as the investigation sees them (its own link: ADR 0020). */
async function attributesOf(world: PipelineWorld, value: string) {
  const [row] = await db
    .select({ attributes: investigationSelectors.attributes })
    .from(investigationSelectors)
    .innerJoin(selectors, eq(selectors.id, investigationSelectors.selectorId))
    .where(
      and(eq(selectors.value, value), eq(investigationSelectors.investigationId, world.investigationId)),
    );
  return row?.attributes as { enrichment?: Record<string, Record<string, unknown>> } | undefined;
}

describe('offline enrichment after extraction', () => {
  let world: PipelineWorld;
  let enrichJobIds: string[];

  beforeAll(async () => {
    world = await createInvestigation(db);
    const stored = await storeDocument(
      db,
      world,
      [
        'Loader https://cdn.evil-corp.com/a/b.php from ops@mail.evil-corp.net.',
        'Staging: sub.evil-corp.org; hosts 10.1.2.3 and 185.220.101.42.',
        'Hash 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f. DNS name evil.test.',
      ].join('\n'),
    );
    await enqueueExtract(queues.extract, [stored]);
    const [extract] = await waitForJobs(db, [stored.jobId]);
    enrichJobIds = (extract!.result as { enrichJobIds: string[] }).enrichJobIds;
    await waitForJobs(db, enrichJobIds);
  });

  it("enqueues one offline enrich job per batch of the document's selectors, recorded with its payload", async () => {
    expect(enrichJobIds).toHaveLength(1);
    const [row] = await db.select().from(jobs).where(eq(jobs.id, enrichJobIds[0]!));
    expect(row).toMatchObject({
      kind: 'enrich',
      status: 'succeeded',
      investigationId: world.investigationId,
    });
    expect(row!.payload).toMatchObject({ scope: 'offline', selectorIds: expect.any(Array) });
    expect(row!.result).toMatchObject({
      providers: ['domain-suffix', 'url-host', 'email-domain', 'ip-range', 'hash-type'],
      errorCount: 0,
    });
  });

  it('derives hosts and registrable domains with belongs-to edges, linked with source enrichment', async () => {
    expect(await edges(world)).toEqual([
      'cdn.evil-corp.com belongs-to evil-corp.com',
      'https://cdn.evil-corp.com/a/b.php belongs-to cdn.evil-corp.com',
      'mail.evil-corp.net belongs-to evil-corp.net',
      'ops@mail.evil-corp.net belongs-to mail.evil-corp.net',
      'sub.evil-corp.org belongs-to evil-corp.org',
    ]);
    const derived = await db
      .select({
        value: selectors.value,
        source: investigationSelectors.source,
        job: investigationSelectors.addedByJobId,
      })
      .from(investigationSelectors)
      .innerJoin(selectors, eq(selectors.id, investigationSelectors.selectorId))
      .where(
        and(
          eq(investigationSelectors.investigationId, world.investigationId),
          eq(investigationSelectors.source, 'enrichment'),
        ),
      );
    expect(derived.map((d) => d.value).sort()).toEqual([
      'cdn.evil-corp.com',
      'evil-corp.com',
      'evil-corp.net',
      'evil-corp.org',
      'mail.evil-corp.net',
    ]);
    expect(new Set(derived.map((d) => d.job))).toEqual(new Set(enrichJobIds));
  });

  it('stores facts under attributes.enrichment.<provider>', async () => {
    expect((await attributesOf(world, '10.1.2.3'))?.enrichment?.['ip-range']).toEqual({
      version: 4,
      range: 'private',
      category: 'private',
      documentation: false,
      globallyRoutable: false,
    });
    expect((await attributesOf(world, '185.220.101.42'))?.enrichment?.['ip-range']).toMatchObject({
      category: 'global',
      globallyRoutable: true,
    });
    expect(
      (await attributesOf(world, '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f'))
        ?.enrichment?.['hash-type'],
    ).toEqual({ algorithm: 'sha256', bits: 256, hexLength: 64, consistent: true, typeByLength: 'sha256' });
    expect((await attributesOf(world, 'sub.evil-corp.org'))?.enrichment?.['domain-suffix']).toMatchObject({
      registrableDomain: 'evil-corp.org',
      publicSuffix: 'org',
      subdomain: 'sub',
    });
    // Derived selectors are enriched too (depth 2): the URL's host got its suffix facts.
    expect((await attributesOf(world, 'cdn.evil-corp.com'))?.enrichment?.['domain-suffix']).toMatchObject({
      registrableDomain: 'evil-corp.com',
    });
  });

  it('never asks DNS on its own (scope offline), even where network providers are allowed', () => {
    expect(dns.count('evil.test')).toBe(0);
  });

  it('writes one audit event per enrich job', async () => {
    const rows = await db.select().from(auditEvents).where(eq(auditEvents.actorId, enrichJobIds[0]!));
    expect(rows).toMatchObject([
      {
        actorType: 'job',
        action: 'selectors.enrich',
        objectType: 'job',
        investigationId: world.investigationId,
      },
    ]);
  });
});

describe('DNS provider against a loopback DNS server', () => {
  let world: PipelineWorld;
  let evil: string;
  let alias: string;
  let first: string;

  beforeAll(async () => {
    world = await createInvestigation(db);
    evil = await addSelector(db, world, 'domain', 'evil-fixture.net');
    alias = await addSelector(db, world, 'domain', 'alias.evil-fixture.net');
    first = await enqueueEnrich(db, queues.enrich, world, [evil, alias], {
      scope: 'all',
      providers: ['dns'],
      requestedBy: world.userId,
    });
    await waitForJobs(db, [first]);
  });

  it('turns A/AAAA/MX/NS/CNAME answers into resolves-to edges and keeps the records as attributes', async () => {
    const [row] = await db.select().from(jobs).where(eq(jobs.id, first));
    expect(row).toMatchObject({ status: 'succeeded' });
    expect(row!.result).toMatchObject({ calls: 2, cachedCalls: 0, errorCount: 0 });
    expect(await edges(world)).toEqual([
      'alias.evil-fixture.net resolves-to evil-fixture.net',
      'evil-fixture.net resolves-to 2a01:4f8::10',
      'evil-fixture.net resolves-to 93.184.216.10',
      'evil-fixture.net resolves-to 93.184.216.11',
      'evil-fixture.net resolves-to mail.evil-fixture.net',
      'evil-fixture.net resolves-to ns1.evil-fixture.net',
    ]);
    expect((await attributesOf(world, 'evil-fixture.net'))?.enrichment?.dns).toMatchObject({
      a: ['93.184.216.10', '93.184.216.11'],
      aaaa: ['2a01:4f8::10'],
      mx: [{ exchange: 'mail.evil-fixture.net', priority: 10 }],
      ns: ['ns1.evil-fixture.net'],
      txt: ['v=spf1 ip4:93.184.216.10 -all'],
      cname: [],
      nxdomain: false,
    });
    // `providers: ['dns']` limits the job to DNS, and DNS never follows its own answers transitively.
    expect((await attributesOf(world, '93.184.216.10'))?.enrichment?.['ip-range']).toBeUndefined();
    expect(dns.count('mail.evil-fixture.net')).toBe(0);
  });

  it('records the person who asked next to the job', async () => {
    const rows = await db.select().from(relationships).where(eq(relationships.createdByJob, first));
    expect(rows.every((r) => r.createdByUser === world.userId)).toBe(true);
  });

  it('asked the DNS server exactly once per name and record type', () => {
    for (const type of ['A', 'AAAA', 'MX', 'NS', 'TXT', 'CNAME'])
      expect(dns.count('evil-fixture.net', type), type).toBe(1);
  });

  it('caches the answer in PostgreSQL and Redis for the provider TTL', async () => {
    const [cached] = await db
      .select()
      .from(enrichmentResults)
      .where(and(eq(enrichmentResults.selectorId, evil), eq(enrichmentResults.provider, 'dns')));
    expect(cached!.expiresAt.getTime() - cached!.fetchedAt.getTime()).toBe(3_600_000);
    const key = runtime.context.enrichment.cache.key('dns', world.investigationId, evil);
    expect(await redis.redis.pttl(key)).toBeGreaterThan(3_500_000);
  });

  it('reuses the cached answer on a re-run within the TTL (Redis, then PostgreSQL when Redis lost it)', async () => {
    const again = await enqueueEnrich(db, queues.enrich, world, [evil, alias], {
      scope: 'all',
      providers: ['dns'],
    });
    const [row] = await waitForJobs(db, [again]);
    expect(row!.result).toMatchObject({ calls: 2, cachedCalls: 2, relationshipsCreated: 0 });
    await redis.redis.del(runtime.context.enrichment.cache.key('dns', world.investigationId, evil));
    const third = await enqueueEnrich(db, queues.enrich, world, [evil], { scope: 'all', providers: ['dns'] });
    const [row3] = await waitForJobs(db, [third]);
    expect(row3!.result).toMatchObject({ calls: 1, cachedCalls: 1 });
    expect(
      await redis.redis.exists(runtime.context.enrichment.cache.key('dns', world.investigationId, evil)),
    ).toBe(1);
    expect(dns.count('evil-fixture.net', 'A')).toBe(1);
  });

  it('asks again when the job says refresh', async () => {
    const fresh = await enqueueEnrich(db, queues.enrich, world, [evil], {
      scope: 'all',
      providers: ['dns'],
      refresh: true,
    });
    const [row] = await waitForJobs(db, [fresh]);
    expect(row!.result).toMatchObject({ calls: 1, cachedCalls: 0 });
    expect(dns.count('evil-fixture.net', 'A')).toBe(2);
  });

  it('treats NXDOMAIN as an answer, not an error', async () => {
    const nope = await addSelector(db, world, 'domain', 'nope-fixture.net');
    const job = await enqueueEnrich(db, queues.enrich, world, [nope], { scope: 'all', providers: ['dns'] });
    const [row] = await waitForJobs(db, [job]);
    expect(row).toMatchObject({ status: 'succeeded' });
    expect((await attributesOf(world, 'nope-fixture.net'))?.enrichment?.dns).toMatchObject({
      nxdomain: true,
      a: [],
    });
  });

  it('keeps private, loopback, link-local and reserved answers as marked attributes, never as selectors', async () => {
    const leaky = await addSelector(db, world, 'domain', 'leaky-fixture.net');
    const job = await enqueueEnrich(db, queues.enrich, world, [leaky], { scope: 'all', providers: ['dns'] });
    const [row] = await waitForJobs(db, [job]);
    expect(row).toMatchObject({ status: 'succeeded' });
    const dnsFacts = (await attributesOf(world, 'leaky-fixture.net'))?.enrichment?.dns;
    expect(dnsFacts).toMatchObject({ queried: true, a: expect.arrayContaining(['10.0.0.5', '127.0.0.1']) });
    expect(dnsFacts?.nonPublic).toEqual(
      expect.arrayContaining([
        { record: 'A', value: '10.0.0.5', range: 'private' },
        { record: 'A', value: '127.0.0.1', range: 'loopback' },
        { record: 'A', value: '169.254.169.254', range: 'linkLocal' },
        { record: 'A', value: '192.0.2.7', range: 'reserved' },
        { record: 'AAAA', value: '::1', range: 'loopback' },
        { record: 'AAAA', value: 'fe80::1', range: 'linkLocal' },
        { record: 'AAAA', value: 'fd00::7', range: 'uniqueLocal' },
        { record: 'MX', value: 'exchange.corp', range: 'special-use' },
        { record: 'NS', value: 'ns.internal', range: 'special-use' },
      ]),
    );
    const leaked = await db
      .select({ value: selectors.value })
      .from(selectors)
      .where(
        inArray(selectors.value, [
          '10.0.0.5',
          '127.0.0.1',
          '169.254.169.254',
          '192.0.2.7',
          '::1',
          'fe80::1',
          'fd00::7',
          'exchange.corp',
          'ns.internal',
        ]),
      );
    expect(leaked).toEqual([]);
    // The one public answer is still a selector the domain resolves to.
    expect((await edges(world)).filter((e) => e.startsWith('leaky-fixture.net'))).toEqual([
      'leaky-fixture.net resolves-to 93.184.216.99',
    ]);
  });

  it('never queries special-use names a selector can hold (.home.arpa, .localhost, .test, .example)', async () => {
    const names = ['router.home.arpa', 'evil-fixture.localhost', 'evil.test', 'www.example.com'];
    const ids = [];
    for (const name of names) ids.push(await addSelector(db, world, 'domain', name));
    const job = await enqueueEnrich(db, queues.enrich, world, ids, { scope: 'all', providers: ['dns'] });
    const [row] = await waitForJobs(db, [job]);
    expect(row).toMatchObject({ status: 'succeeded' });
    for (const name of names) {
      expect(dns.count(name), name).toBe(0);
      expect((await attributesOf(world, name))?.enrichment?.dns, name).toMatchObject({ queried: false });
    }
    const answers = await db
      .select({ value: selectors.value })
      .from(selectors)
      .where(inArray(selectors.value, ['93.184.216.50', '93.184.216.51', '93.184.216.52', '93.184.216.53']));
    expect(answers).toEqual([]);
  });

  it('refuses to query names the normaliser never admits either (.internal, .local, single labels)', async () => {
    const provider = createDnsProvider({ resolvers: [dns.address], timeoutMs: 1000 });
    const signal = new AbortController().signal;
    for (const name of ['db.internal', 'printer.local', 'intranet']) {
      const answer = await provider.enrich(
        { type: 'domain', value: name, attributes: {} },
        { signal, logger },
      );
      expect(answer, name).toEqual({
        attributes: { queried: false, reserved: expect.any(String) },
        related: [],
      });
      expect(dns.count(name), name).toBe(0);
    }
  });

  it('fails the job (for a retry) when the DNS server cannot be reached at all', async () => {
    const closed = await startTestDnsServer({});
    const address = closed.address;
    await closed.close();
    const offline = createWorkerRuntime(
      pipelineWorkerConfig(
        database,
        { url: redis.url, prefix: `${redis.prefix}x` },
        { ENRICH_NETWORK: 'true', DNS_RESOLVERS: address, DNS_TIMEOUT_MS: '300' },
      ),
      logger,
    );
    try {
      const other = testQueues(redis.redis, `${redis.prefix}x`);
      const target = await addSelector(db, world, 'domain', 'unreachable-fixture.net');
      const job = await enqueueEnrich(db, other.enrich, world, [target], {
        scope: 'all',
        providers: ['dns'],
        attempts: 1,
      });
      const [row] = await waitForJobs(db, [job], 20_000);
      expect(row).toMatchObject({ status: 'failed' });
      expect(row!.error).toMatch(/every network look-up failed/);
    } finally {
      await offline.close('test');
    }
  });

  it('does not use network providers where the worker forbids them (ENRICH_NETWORK=false)', async () => {
    const prefix = `${redis.prefix}y`;
    const noNetwork = createWorkerRuntime(
      pipelineWorkerConfig(database, { url: redis.url, prefix }, { DNS_RESOLVERS: dns.address }),
      logger,
    );
    try {
      const other = testQueues(redis.redis, prefix);
      const before = dns.queries.length;
      const target = await addSelector(db, world, 'domain', 'quiet.evil-fixture.net');
      const job = await enqueueEnrich(db, other.enrich, world, [target], { scope: 'all' });
      const [row] = await waitForJobs(db, [job]);
      expect(row!.result).toMatchObject({
        providers: ['domain-suffix', 'url-host', 'email-domain', 'ip-range', 'hash-type'],
      });
      expect(dns.queries.length).toBe(before);
    } finally {
      await noNetwork.close('test');
    }
  });
});
