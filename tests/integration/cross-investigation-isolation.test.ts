import { createLogger } from '@osint/core';
import { enrichmentResults, investigationSelectors, selectors } from '@osint/db';
import { createWorkerRuntime } from '@osint/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, createTestUser } from '../support/api-fixtures.js';
import { createInvestigationAs } from '../support/api-world.js';
import { startTestDnsServer } from '../support/dns-server.js';
import { pipelineWorkerConfig, waitForJobs } from '../support/pipeline.js';

/**
 * ADR 0020, as an attacker would try it: Alice holds a selector in her investigation and has enriched it;
 * Bob, who cannot see her investigation, adds the same value later in his own. Nothing Bob is answered may
 * depend on Alice's investigation: not her spelling, not her first sighting, not her enrichment, not her
 * cached provider answers. The API and a real worker share one database.
 */
const api = await createTestApi();
const { app, deps } = api;
const dns = await startTestDnsServer({
  'x.oracle-fixture.net': { A: ['93.184.216.77'], TXT: ['alice-only-secret'] },
});
const worker = createWorkerRuntime(
  pipelineWorkerConfig(api.database, api.redis, {
    ENRICH_NETWORK: 'true',
    DNS_RESOLVERS: dns.address,
    DNS_TIMEOUT_MS: '1000',
  }),
  createLogger('isolation-test', 'silent'),
);
afterAll(async () => {
  await worker.close('test');
  await dns.close();
});

const alice = await createTestUser(deps.db);
const bob = await createTestUser(deps.db);
const aliceInv = await createInvestigationAs(app, alice, 'Alice');
const bobInv = await createInvestigationAs(app, bob, 'Bob');
const sel = (inv: string) => `/api/v1/investigations/${inv}/selectors`;

async function enrich(user: typeof alice, inv: string, selectorId: string) {
  const res = await as(app, user)
    .post(`${sel(inv)}/${selectorId}/enrich`)
    .send({ scope: 'all', providers: ['dns'] })
    .expect(202);
  const [row] = await waitForJobs(deps.db, [res.body.id]);
  expect(row, String(row?.error)).toMatchObject({ status: 'succeeded' });
  return row!;
}

describe('a selector two investigations hold', () => {
  let selectorId: string;
  let aliceSeen: string;

  it("Alice's investigation keeps her spelling, her sighting and her enrichment", async () => {
    const res = await as(app, alice).post(sel(aliceInv)).send({ value: 'X.ORACLE-FIXTURE.net' }).expect(201);
    selectorId = res.body.id;
    aliceSeen = res.body.firstSeenAt;
    const job = await enrich(alice, aliceInv, selectorId);
    expect(job.result).toMatchObject({ calls: 1, cachedCalls: 0 });
    const mine = await as(app, alice)
      .get(`${sel(aliceInv)}/${selectorId}`)
      .expect(200);
    expect(mine.body).toMatchObject({ displayValue: 'X.ORACLE-FIXTURE.net', firstSeenAt: aliceSeen });
    expect(mine.body.attributes.enrichment.dns.txt).toEqual(['alice-only-secret']);
  });

  it("Bob, adding it later, sees his own first sighting and spelling and none of Alice's enrichment", async () => {
    await new Promise((r) => setTimeout(r, 20));
    const before = Date.now();
    const added = await as(app, bob).post(sel(bobInv)).send({ value: 'x.oracle-fixture.net' }).expect(201);
    expect(added.body.id).toBe(selectorId);
    for (const body of [
      added.body,
      (
        await as(app, bob)
          .get(`${sel(bobInv)}/${selectorId}`)
          .expect(200)
      ).body,
      (await as(app, bob).get(sel(bobInv)).expect(200)).body.items[0],
    ]) {
      expect(body.displayValue).toBe('x.oracle-fixture.net');
      expect(Date.parse(body.firstSeenAt)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(body.lastSeenAt)).toBeGreaterThanOrEqual(before - 1);
      expect(body.attributes.enrichment).toBeUndefined();
      expect(JSON.stringify(body)).not.toContain('alice-only-secret');
      expect(JSON.stringify(body)).not.toContain('X.ORACLE');
    }
    // Search and export read the same per-investigation values.
    const found = await as(app, bob).get('/api/v1/search?q=oracle-fixture').expect(200);
    expect(JSON.stringify(found.body)).not.toContain('X.ORACLE');
  });

  it("Bob's enrichment asks the resolver itself: Alice's cached answer is not his to reuse", async () => {
    const asked = dns.count('x.oracle-fixture.net', 'A');
    const job = await enrich(bob, bobInv, selectorId);
    expect(job.result).toMatchObject({ calls: 1, cachedCalls: 0 });
    expect(dns.count('x.oracle-fixture.net', 'A')).toBe(asked + 1);
    const cached = await deps.db
      .select({ investigationId: enrichmentResults.investigationId })
      .from(enrichmentResults)
      .where(eq(enrichmentResults.selectorId, selectorId));
    expect(cached.map((c) => c.investigationId).sort()).toEqual([aliceInv, bobInv].sort());
  });

  it('deleting an investigation removes what it contributed, and the shared row once nobody holds it', async () => {
    const only = await as(app, alice).post(sel(aliceInv)).send({ value: 'alice-only.oracle-fixture.net' });
    expect(only.status).toBe(201);
    await as(app, alice).delete(`/api/v1/investigations/${aliceInv}`).expect(204);
    const links = await deps.db
      .select()
      .from(investigationSelectors)
      .where(eq(investigationSelectors.investigationId, aliceInv));
    expect(links).toEqual([]);
    const cached = await deps.db
      .select()
      .from(enrichmentResults)
      .where(eq(enrichmentResults.investigationId, aliceInv));
    expect(cached).toEqual([]);
    const [gone] = await deps.db.select().from(selectors).where(eq(selectors.id, only.body.id));
    expect(gone).toBeUndefined();
    // Bob's view is untouched; the shared row he holds stays, with nothing but its type and value.
    const [shared] = await deps.db.select().from(selectors).where(eq(selectors.id, selectorId));
    expect(shared).toEqual({ id: selectorId, type: 'domain', value: 'x.oracle-fixture.net' });
    const bobs = await as(app, bob)
      .get(`${sel(bobInv)}/${selectorId}`)
      .expect(200);
    expect(bobs.body.displayValue).toBe('x.oracle-fixture.net');
    const [link] = await deps.db
      .select()
      .from(investigationSelectors)
      .where(
        and(
          eq(investigationSelectors.investigationId, bobInv),
          eq(investigationSelectors.selectorId, selectorId),
        ),
      );
    expect(link).toBeDefined();
  });
});
