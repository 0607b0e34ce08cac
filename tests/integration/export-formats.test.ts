import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, scoId, TLP2_MARKING_IDS } from '@osint/core';
import { auditEvents, documents, jobs, mentions } from '@osint/db';
import { createWorkerRuntime, type WorkerRuntime } from '@osint/worker';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { and, eq, inArray } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { as, serverOf, type TestUser } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';
import { pipelineWorkerConfig, waitForJobs } from '../support/pipeline.js';
import { repoRoot } from '../support/processes.js';

/**
 * Exports end to end: API request → `export` job → worker streams the file to EXPORT_DIR → download, for
 * JSON (re-imported into a new investigation and compared), CSV (RFC 4180, formula guard) and STIX 2.1
 * (validated against the OASIS schemas with Ajv 2020-12; deterministic ids checked against the vectors).
 */
const exportDir = mkdtempSync(path.join(tmpdir(), 'osint-exports-'));
afterAll(() => rmSync(exportDir, { recursive: true, force: true }));
// Many imports and exports by one user: the per-user rate limits are not what this file tests (api-limits does).
const api = await createTestApi({
  EXPORT_DIR: exportDir,
  RATE_LIMIT_IMPORTS: '1000',
  RATE_LIMIT_EXPORTS: '1000',
});
const world = await buildWorld(api);
const { app, deps } = api;
const runtime: WorkerRuntime = createWorkerRuntime(
  pipelineWorkerConfig(api.database, api.redis, { ENRICH_AFTER_EXTRACT: 'false', EXPORT_DIR: exportDir }),
  createLogger('export-test', (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent'),
);
afterAll(() => runtime.close('test'));

const inv = `/api/v1/investigations/${world.investigationId}`;
const owner = as(app, world.owner);
await owner.patch(inv).send({ tlp: 'amber+strict', description: 'Exported for the tests.' }).expect(200);
const sel = async (body: Record<string, unknown>) =>
  (await owner.post(`${inv}/selectors`).send(body).expect(201)).body;
const ip = await sel({ value: '198.51.100.3', tags: ["=cmd|' /C calc'!A0", 'c2'], note: 'seen, "twice"' });
const phone = await sel({ type: 'phone', value: '+44 20 7946 0000' });
await sel({ value: 'hxxps://evil[.]example[.]net/gate?a=1,b=2' });
await sel({ value: 'billing@example.org' });
await sel({ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' });
await sel({ type: 'cve', value: 'CVE-2021-44228' });
await sel({ type: 'username', value: 'github:octocat' });
await sel({ type: 'eth', value: '0x52908400098527886E0F7030069857D2E4169EE7' });
const fp = await sel({ value: 'ignored.example.org' });
await owner
  .patch(`${inv}/selectors/${fp.id}`)
  .send({ falsePositive: true, tags: ['noise'] })
  .expect(200);
const rel = await owner
  .post(`${inv}/relationships`)
  .send({
    source: { kind: 'selector', id: ip.id },
    target: { kind: 'selector', id: world.selectorId },
    type: 'resolves-to',
    confidence: 70,
  })
  .expect(201);
await owner
  .post(`${inv}/notes`)
  .send({ body: 'On the edge', target: { kind: 'relationship', id: rel.body.id } })
  .expect(201);
await owner
  .post(`${inv}/notes`)
  .send({ body: 'On the phone', target: { kind: 'selector', id: phone.id } })
  .expect(201);
const doc = await owner
  .post(`${inv}/documents`)
  .send({
    title: 'Partner list',
    text: 'C2 at 198.51.100[.]3 and evil[.]example[.]net, call +44 20 7946 0000',
  })
  .expect(202);
await waitForJobs(deps.db, [world.jobId, doc.body.job.id]);

async function exportAs(user: TestUser, format: 'json' | 'csv' | 'stix') {
  const res = await as(app, user).post(`${inv}/exports`).send({ format }).expect(202);
  expect(res.headers.location).toBe(`/api/v1/jobs/${res.body.id}`);
  const [row] = await waitForJobs(deps.db, [res.body.id]).catch(async (error) => {
    const [stuck] = await deps.db.select().from(jobs).where(eq(jobs.id, res.body.id));
    throw new Error(`${(error as Error).message}: ${JSON.stringify(stuck)}`);
  });
  expect(row?.status, JSON.stringify(row?.error)).toBe('succeeded');
  const job = (await as(app, user).get(`/api/v1/jobs/${res.body.id}`).expect(200)).body;
  const download = await as(app, user)
    .get(job.result.downloadUrl)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  return { job, download, text: (download.body as Buffer).toString('utf8') };
}

/** RFC 4180 reader for the assertions (quoted fields, doubled quotes, CRLF, newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('JSON export', () => {
  it('streams a full-fidelity file that imports back into an equal new investigation', async () => {
    const { job, download, text } = await exportAs(world.viewer, 'json');
    expect(download.headers['content-type']).toContain('application/json');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="test-investigation-\d{4}-\d\d-\d\d\.json"$/,
    );
    expect(job.result).toMatchObject({
      format: 'json',
      bytes: download.body.length,
      counts: { selectors: 11, documents: 2 },
    });
    const data = JSON.parse(text);
    expect(data).toMatchObject({ format: 'osint-platform/investigation-export', version: 1 });
    expect(data.investigation).toMatchObject({ id: world.investigationId, tlp: 'amber+strict' });
    expect(data.mentions.length).toBeGreaterThan(0);

    // Import as another user: a new investigation they own.
    const imported = await request(serverOf(app))
      .post('/api/v1/investigations/import')
      .set('Authorization', `Bearer ${world.editor.apiToken}`)
      .set('Content-Type', 'application/json')
      .send(text)
      .expect(201);
    const newId = imported.body.investigationId as string;
    expect(newId).not.toBe(world.investigationId);
    expect(imported.body.counts).toEqual({ ...data.counts });
    const editor = as(app, world.editor);
    const newInv = (await editor.get(`/api/v1/investigations/${newId}`).expect(200)).body;
    expect(newInv).toMatchObject({
      title: 'Test investigation',
      tlp: 'amber+strict',
      role: 'owner',
      description: 'Exported for the tests.',
    });

    const list = async (base: string, what: string) =>
      (await editor.get(`/api/v1/investigations/${base}/${what}?limit=200`).expect(200)).body.items;
    const selectorsOf = async (invId: string) =>
      (await list(invId, 'selectors'))
        .map((s: Record<string, unknown>) => ({
          id: s.id,
          type: s.type,
          value: s.value,
          displayValue: s.displayValue,
          tags: s.tags,
          note: s.note,
          falsePositive: s.falsePositive,
        }))
        .sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1));
    // Selectors are global: the same platform imports them onto the same rows, links carry tags, notes, FP.
    expect(await selectorsOf(newId)).toEqual(await selectorsOf(world.investigationId));
    expect((await list(newId, 'selectors')).every((s: { source: string }) => s.source === 'import')).toBe(
      true,
    );

    const entityKey = (e: { kind: string; label: string; properties: unknown }) =>
      JSON.stringify([e.kind, e.label, e.properties]);
    const entitiesOld = await list(world.investigationId, 'entities');
    const entitiesNew = await list(newId, 'entities');
    expect(entitiesNew.map(entityKey).sort()).toEqual(entitiesOld.map(entityKey).sort());

    // Relationships and notes compared through natural keys (ids are new; selector ids are global).
    const docsOld = await list(world.investigationId, 'documents');
    const docsNew = await list(newId, 'documents');
    const naturalKey = (
      invEntities: Array<{ id: string }>,
      invDocs: Array<{ id: string; sha256: string }>,
    ) => {
      const entityLabel = new Map(invEntities.map((e) => [e.id, entityKey(e as never)]));
      const docSha = new Map(invDocs.map((d) => [d.id, d.sha256]));
      return (end: { kind: string; id: string }) =>
        end.kind === 'entity'
          ? entityLabel.get(end.id)
          : end.kind === 'document'
            ? docSha.get(end.id)
            : end.id;
    };
    const keyOld = naturalKey(entitiesOld, docsOld);
    const keyNew = naturalKey(entitiesNew, docsNew);
    const relKey =
      (k: typeof keyOld) =>
      (r: {
        source: { kind: string; id: string };
        target: { kind: string; id: string };
        type: string;
        confidence: number;
      }) =>
        JSON.stringify([r.source.kind, k(r.source), r.target.kind, k(r.target), r.type, r.confidence]);
    const relsOld = await list(world.investigationId, 'relationships');
    const relsNew = await list(newId, 'relationships');
    expect(relsNew.map(relKey(keyNew)).sort()).toEqual(relsOld.map(relKey(keyOld)).sort());

    const allNotes = async (invId: string, rels: Array<{ id: string }>, k: typeof keyOld) => {
      const relKeys = new Map(rels.map((r) => [r.id, relKey(k)(r as never)]));
      const notes = (await list(invId, 'notes')) as Array<{
        body: string;
        target: { kind: string; id: string } | null;
      }>;
      return notes
        .map((n) =>
          JSON.stringify([
            n.body,
            n.target?.kind ?? null,
            n.target ? (n.target.kind === 'relationship' ? relKeys.get(n.target.id) : k(n.target)) : null,
          ]),
        )
        .sort();
    };
    expect(await allNotes(newId, relsNew, keyNew)).toEqual(
      await allNotes(world.investigationId, relsOld, keyOld),
    );

    // Documents keep bytes, text and status; mentions keep offsets and raw text.
    const docRows = async (invId: string) =>
      (await deps.db.select().from(documents).where(eq(documents.investigationId, invId)))
        .map((d) => ({
          sha256: d.sha256,
          title: d.title,
          text: d.extractedText,
          status: d.extractionStatus,
          bytes: d.content?.toString('base64'),
        }))
        .sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
    expect(await docRows(newId)).toEqual(await docRows(world.investigationId));
    const mentionRows = async (invId: string) => {
      const docs = await deps.db
        .select({ id: documents.id, sha256: documents.sha256 })
        .from(documents)
        .where(eq(documents.investigationId, invId));
      const sha = new Map(docs.map((d) => [d.id, d.sha256]));
      const rows = await deps.db
        .select()
        .from(mentions)
        .where(
          inArray(
            mentions.documentId,
            docs.map((d) => d.id),
          ),
        );
      return rows
        .map((m) => `${sha.get(m.documentId)}:${m.selectorId}:${m.startOffset}:${m.endOffset}:${m.rawText}`)
        .sort();
    };
    expect(await mentionRows(newId)).toEqual(await mentionRows(world.investigationId));
  });

  it('derives imported values like the API does, and never changes what other investigations see', async () => {
    const { text } = await exportAs(world.viewer, 'json');
    const base = JSON.parse(text);
    const imp = (data: unknown) =>
      request(serverOf(app))
        .post('/api/v1/investigations/import')
        .set('Authorization', `Bearer ${world.editor.apiToken}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(data));
    const original = async () =>
      (await owner.get(`${inv}/selectors?limit=200`).expect(200)).body.items
        .map((s: Record<string, unknown>) => JSON.stringify(s))
        .sort();
    const before = await original();

    // Spelling and attributes in the file are claims: the normaliser derives both, as for `POST …/selectors`.
    const target = base.selectors.find((s: { value: string }) => s.value === 'evil.example.net');
    const poisoned = {
      ...base,
      selectors: base.selectors.map((s: { id: string }) =>
        s.id === target.id
          ? {
              ...s,
              displayValue: 'EVIL.Example.NET',
              attributes: { poisoned: true, enrichment: { dns: { a: ['6.6.6.6'] } } },
            }
          : s,
      ),
    };
    const done = await imp(poisoned).expect(201);
    const newInv = `/api/v1/investigations/${done.body.investigationId}`;
    const mine = (await as(app, world.editor).get(`${newInv}/selectors/${target.id}`).expect(200)).body;
    expect(mine.displayValue).toBe('EVIL.Example.NET');
    expect(mine.attributes.poisoned).toBeUndefined();
    expect(mine.attributes.enrichment).toBeUndefined();
    expect(mine.attributes).toMatchObject({ registrableDomain: 'example.net' });
    // A spelling that means another selector is not taken: the value itself is the input then.
    const mismatch = await imp({
      ...base,
      selectors: base.selectors.map((s: { id: string }) =>
        s.id === target.id ? { ...s, displayValue: 'other.example.net' } : s,
      ),
    }).expect(201);
    const other = `/api/v1/investigations/${mismatch.body.investigationId}`;
    const kept = (await as(app, world.editor).get(`${other}/selectors/${target.id}`).expect(200)).body;
    expect(kept).toMatchObject({ value: 'evil.example.net', displayValue: 'evil.example.net' });
    // The exporting investigation sees exactly what it saw before.
    expect(await original()).toEqual(before);

    // The API's own validators: sourceUrl http(s) only, allow-list ≤ 500 single-line strings, tag size.
    const refused = async (data: unknown, field: RegExp) => {
      const res = await imp(data).expect(400);
      expect(JSON.stringify(res.body.errors), JSON.stringify(res.body)).toMatch(field);
    };
    await refused(
      { ...base, documents: base.documents.map((d: object) => ({ ...d, sourceUrl: 'javascript:alert(1)' })) },
      /documents\.0\.sourceUrl/,
    );
    await refused(
      {
        ...base,
        investigation: {
          ...base.investigation,
          allowList: Array.from({ length: 501 }, (_, i) => `a${i}.example`),
        },
      },
      /investigation\.allowList/,
    );
    await refused(
      { ...base, investigation: { ...base.investigation, allowList: [{ value: 'x.example' }] } },
      /investigation\.allowList/,
    );
    await refused(
      { ...base, investigation: { ...base.investigation, allowList: ['two\nlines.example'] } },
      /investigation\.allowList/,
    );
    await refused(
      { ...base, selectors: base.selectors.map((s: object) => ({ ...s, tags: ['t'.repeat(101)] })) },
      /selectors\.0\.tags/,
    );
    await refused(
      { ...base, selectors: [{ ...target, value: 'not a domain at all' }] },
      /selectors\.0\.value/,
    );
  });

  it('refuses imports that are not exports, too large or malformed', async () => {
    const imp = (body: string, type = 'application/json') =>
      request(serverOf(app))
        .post('/api/v1/investigations/import')
        .set('Authorization', `Bearer ${world.editor.apiToken}`)
        .set('Content-Type', type)
        .send(body);
    expect((await imp('{"format":"something-else"}')).status).toBe(400);
    expect((await imp('{"format":')).body.code).toBe('malformed_json');
    expect((await imp('x', 'text/plain')).status).toBe(415);
    await request(serverOf(app))
      .post('/api/v1/investigations/import')
      .send('{}')
      .set('Content-Type', 'application/json')
      .expect(401);
  });
});

describe('CSV export', () => {
  it('writes selectors with tags, sources and documents, RFC 4180-quoted, formulas neutralised', async () => {
    const { download, text } = await exportAs(world.owner, 'csv');
    expect(download.headers['content-type']).toContain('text/csv');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      'type',
      'value',
      'display_value',
      'source',
      'tags',
      'false_positive',
      'note',
      'documents',
      'first_seen_at',
      'last_seen_at',
      'added_at',
    ]);
    expect(rows).toHaveLength(1 + 11);
    const byValue = new Map(rows.slice(1).map((r) => [r[1], r]));
    const ipRow = byValue.get('198.51.100.3') as string[];
    expect(ipRow[4]?.startsWith("'=cmd|' /C calc'!A0; c2")).toBe(true);
    expect(ipRow[6]).toBe('seen, "twice"');
    expect(ipRow[7]).toBe('Partner list');
    expect(ipRow[3]).toBe('manual');
    expect(byValue.get("'+442079460000")?.[0]).toBe('phone');
    expect(byValue.get('ignored.example.org')?.[5]).toBe('true');
    // Every cell that starts with = + - @ was prefixed.
    for (const r of rows.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
  });
});

/** The OASIS STIX 2.1 schemas, committed under tests/fixtures/ (SOURCE.md there: origin and licence). */
const schemaDir = path.join(repoRoot, 'tests', 'fixtures', 'stix2-json-schemas', 'schemas');

function stixValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  // ajv-formats has no idn-hostname (domain-name.value): accept internationalised labels, refuse separators.
  ajv.addFormat('idn-hostname', (v: string) => /^[^\s/:@]{1,253}$/u.test(v));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json')) files.push(full);
    }
  };
  walk(schemaDir);
  let bundleId = '';
  for (const file of files) {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    ajv.addSchema(schema);
    if (file.endsWith(`${path.sep}common${path.sep}bundle.json`)) bundleId = schema.$id;
  }
  if (!bundleId) throw new Error(`no common/bundle.json among the ${files.length} schemas in ${schemaDir}`);
  return { validate: ajv.getSchema(bundleId)!, schemas: files.length };
}

describe('STIX 2.1 export', () => {
  it('writes a bundle that validates against the OASIS schemas, with deterministic SCO ids and the TLP 2.0 marking', async () => {
    const { download, text } = await exportAs(world.owner, 'stix');
    expect(download.headers['content-type']).toContain('application/stix+json');
    const bundle = JSON.parse(text) as {
      type: string;
      objects: Array<Record<string, unknown> & { id: string; type: string }>;
    };
    expect(bundle.type).toBe('bundle');
    const ids = new Set(bundle.objects.map((o) => o.id));
    expect(ids.size).toBe(bundle.objects.length);
    expect(ids).toContain('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
    expect(ids).toContain('domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7');
    expect(ids).toContain(scoId('email-addr', { value: 'billing@example.org' }));
    const amberStrict = TLP2_MARKING_IDS['amber+strict'];
    expect(amberStrict).toBe('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003');
    const marking = bundle.objects.find((o) => o.type === 'marking-definition');
    expect(marking).toMatchObject({ id: amberStrict, name: 'TLP:AMBER+STRICT' });
    const report = bundle.objects.find((o) => o.type === 'report') as unknown as {
      object_refs: string[];
      object_marking_refs: string[];
    };
    expect(report.object_marking_refs).toEqual([amberStrict]);
    for (const ref of report.object_refs) expect(ids, ref).toContain(ref);
    const sros = bundle.objects.filter((o) => o.type === 'relationship');
    expect([...new Set(sros.map((r) => r.relationship_type))].sort()).toEqual([
      'mentions',
      'owns',
      'resolves-to',
    ]);
    for (const r of sros) {
      expect(ids).toContain(r.source_ref as string);
      expect(ids).toContain(r.target_ref as string);
    }
    expect(
      bundle.objects
        .filter(
          (o) =>
            o.type !== 'marking-definition' &&
            o.type !== 'extension-definition' &&
            o.id !== report.object_refs[0],
        )
        .every((o) => (o.object_marking_refs as string[] | undefined)?.includes(amberStrict)),
    ).toBe(true);
    expect(bundle.objects.find((o) => o.type === 'vulnerability')).toMatchObject({ name: 'CVE-2021-44228' });
    expect(bundle.objects.find((o) => o.type === 'user-account')).toMatchObject({
      account_type: 'github',
      account_login: 'octocat',
    });

    const { validate, schemas } = stixValidator();
    const ok = validate(bundle);
    expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
    console.log(
      `[corpus] stix2-json-schemas: bundle of ${bundle.objects.length} objects validates against ${schemas} OASIS STIX 2.1 schemas`,
    );
    // The validator is not vacuous: a broken SCO fails it.
    const broken = structuredClone(bundle);
    const ipv4 = broken.objects.find((o) => o.type === 'ipv4-addr') as Record<string, unknown>;
    ipv4.id = 'ipv4-addr--not-a-uuid';
    expect(validate(broken)).toBe(false);
  });
});

describe('downloads and audit', () => {
  it('audits requests, creation and downloads, and hides exports from non-members', async () => {
    const { job } = await exportAs(world.viewer, 'csv');
    const events = await deps.db
      .select({ action: auditEvents.action, actorType: auditEvents.actorType })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.investigationId, world.investigationId),
          inArray(auditEvents.action, ['export.request', 'export.create', 'export.download']),
        ),
      );
    const actions = events.map((e) => `${e.actorType}:${e.action}`);
    expect(actions).toEqual(
      expect.arrayContaining(['user:export.request', 'job:export.create', 'user:export.download']),
    );
    await as(app, world.outsider).get(job.result.downloadUrl).expect(404);
    await as(app, world.admin).get(job.result.downloadUrl).expect(404);
    await as(app, null).get(job.result.downloadUrl).expect(401);
    await as(app, world.viewer).get(`/api/v1/exports/${world.jobId}/download`).expect(404); // not an export job
    rmSync(path.join(exportDir, job.result.file));
    expect((await as(app, world.viewer).get(job.result.downloadUrl).expect(410)).body.code).toBe(
      'export_gone',
    );
    expect(readdirSync(exportDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('answers 409 while the export is not finished', async () => {
    await runtime.close('pause');
    const res = await as(app, world.viewer).post(`${inv}/exports`).send({ format: 'json' }).expect(202);
    const pending = await as(app, world.viewer).get(`/api/v1/exports/${res.body.id}/download`).expect(409);
    expect(pending.body.code).toBe('export_not_ready');
    await as(app, world.viewer).post(`${inv}/exports`).send({ format: 'xml' }).expect(400);
  });

  it('fails at once, saying why, when EXPORT_DIR cannot be written (no volume mounted)', async () => {
    const res = await as(app, world.viewer).post(`${inv}/exports`).send({ format: 'csv' }).expect(202);
    const unwritable = createWorkerRuntime(
      pipelineWorkerConfig(api.database, api.redis, {
        ENRICH_AFTER_EXTRACT: 'false',
        EXPORT_DIR: '/dev/null/exports',
      }),
      createLogger('export-test', 'silent'),
    );
    try {
      const [row] = await waitForJobs(deps.db, [res.body.id]);
      expect(row?.status).toBe('failed');
      expect(row?.attempts).toBe(1);
      expect(row?.error).toMatch(/EXPORT_DIR .* is not writable .*mount a volume/);
    } finally {
      await unwritable.close('test');
    }
  });
});
