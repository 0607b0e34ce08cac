import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApi } from '../support/api.js';
import { type Auth, call, serverOf } from '../support/api-fixtures.js';
import { buildWorld } from '../support/api-world.js';

/**
 * Hostile input across every documented operation (issue 3: ≥ 300 malformed or oversized requests): bad
 * JSON, wrong types, huge strings, SQL and script injection, bad cursors and UUIDs, Unicode oddities.
 * The only assertions: never a 5xx, and every error is problem+json. Operations come from the OpenAPI
 * document, so a new route is covered without editing this file.
 */
const api = await createTestApi();
const world = await buildWorld(api);
const { app } = world;
const asOwner: Auth = { kind: 'token', user: world.owner };

const doc = (await request(serverOf(app)).get('/api/v1/openapi.json').expect(200)).body as {
  paths: Record<string, Record<string, unknown>>;
};

type Method = 'get' | 'post' | 'patch' | 'delete';
interface Op {
  method: Method;
  path: string;
}
const ops: Op[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  (['get', 'post', 'patch', 'delete'] as const).filter((m) => item[m]).map((method) => ({ method, path })),
);

/** Valid ids for path parameters, so requests reach the services (and their validation) as a member. */
const VALID: Record<string, string> = {
  id: world.investigationId,
  selectorId: world.selectorId,
  entityId: world.entityId,
  documentId: world.documentId,
  relationshipId: world.relationshipId,
  noteId: world.noteId,
  userId: world.viewer.id,
};
const MISSING = '00000000-0000-4000-8000-000000000000';

function fill(path: string, value: (name: string) => string): string {
  return path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => encodeURIComponent(value(name)));
}

const BAD_IDS = ["1' OR '1'='1", 'x'.repeat(5000), '\u0000😀'];

const HUGE = 'A'.repeat(100_000);
/**
 * Shapes that make naive patterns backtrack or loops rescan (ADR 0017), at 100,000 characters: runs of
 * whitespace between tokens, closing brackets after a URL, defang tokens, dotted digits, `@`, nested tags.
 */
const PATHOLOGICAL = [
  `a${' '.repeat(100_000)}b`,
  `http://x.example/${')'.repeat(100_000)}`,
  `x${' [.] '.repeat(20_000)}y`,
  '[.]'.repeat(33_334),
  '1.'.repeat(50_000),
  `a${'@'.repeat(100_000)}b.example`,
  `${'<div>'.repeat(20_000)}198.51.100.7`,
  `hxxp${'[:]//'.repeat(20_000)}`,
];
const STRINGS = [
  "' OR 1=1; DROP TABLE users; --",
  '<script>alert(document.cookie)</script>',
  '\u0000nul',
  '\ud800lone surrogate',
  '\u202eevil\u202c',
  'zero\u200bwidth',
  'Ａｄｍｉｎ',
  'e\u0301\u0301\u0301',
  HUGE,
  '',
  ' ',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent literally.
  '{{7*7}}${7*7}',
];

/** Bodies for writes: raw malformed JSON first, then well-formed JSON with hostile contents. */
const RAW_BODIES = ['{"a":', '{"title": "x",}', '{"a":"\\u12"}', '\u0000', '"str"'];
const JSON_BODIES: unknown[] = [
  {},
  { title: 123, value: [], tags: 'x', role: 'god', kind: {}, body: false },
  { __proto__: { admin: true }, constructor: { prototype: { x: 1 } } },
  {
    title: STRINGS[0],
    value: STRINGS[0],
    label: STRINGS[0],
    body: STRINGS[0],
    kind: 'person',
    type: 'domain',
  },
  {
    title: STRINGS[1],
    value: STRINGS[1],
    label: STRINGS[1],
    body: STRINGS[1],
    kind: 'person',
    name: STRINGS[1],
  },
  {
    title: STRINGS[2],
    value: STRINGS[2],
    label: STRINGS[2],
    body: STRINGS[2],
    kind: 'other',
    text: STRINGS[2],
  },
  {
    title: STRINGS[3],
    value: STRINGS[3],
    label: STRINGS[3],
    body: STRINGS[3],
    kind: 'other',
    text: STRINGS[3],
  },
  {
    title: STRINGS[4],
    value: STRINGS[4],
    label: STRINGS[4],
    body: STRINGS[4],
    role: 'viewer',
    email: STRINGS[4],
  },
  { title: HUGE, value: HUGE, label: HUGE, body: HUGE, text: HUGE, name: HUGE, email: HUGE, password: HUGE },
  ...PATHOLOGICAL.map((p) => ({ title: p, value: p, label: p, body: p, text: p, name: p, type: 'url' })),
  { tags: Array.from({ length: 1000 }, (_, i) => `t${i}`), properties: { a: { deep: { deeper: 1 } } } },
  {
    source: { kind: 'entity', id: 'nope' },
    target: { kind: 'selector', id: MISSING },
    type: 'owns',
    confidence: 1e9,
  },
  { type: 'phone', value: `+1${'9'.repeat(5000)}` },
  { type: 'username', value: `@${'a'.repeat(8000)}` },
  { expiresInDays: -5, name: STRINGS[5] },
  { defaultRegion: 'gb', allowList: [STRINGS[0], 5], tlp: 'purple', status: 'deleted' },
  nested(2000),
];

const JSON_TEXTS = JSON_BODIES.map((body) => JSON.stringify(body));

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const QUERIES = [
  `cursor=${'A'.repeat(3000)}&limit=0`,
  'limit=1e9&type=bogus&source=%27%20OR%201%3D1',
  'limit=-5&limit=6&falsePositive=maybe&tag=%00&actor=not-a-uuid&objectType=%3Cscript%3E&targetKind=selector&targetId=zzz',
  `objectKind=entity&status=%E0%A4%A&tag=${encodeURIComponent(HUGE.slice(0, 5000))}`,
];

interface Outcome {
  label: string;
  status: number;
  contentType: string;
  body: unknown;
}

/** One hostile request: its label in a failure message, and how to send it. */
interface Probe {
  label: string;
  send: () => PromiseLike<request.Response>;
}

/**
 * Every request the sweep makes. They are independent of one another (none changes what another reaches:
 * destructive operations only target missing ids), so they can be sent several at a time.
 */
function probes(): Probe[] {
  const list: Probe[] = [];
  const add = (label: string, send: () => PromiseLike<request.Response>) => list.push({ label, send });
  for (const op of ops) {
    // Destructive operations only ever target ids that do not exist (the fixture must survive).
    const destructive = op.method === 'delete' || op.path.endsWith('/logout');
    const validPath = fill(op.path, (name) => (destructive ? MISSING : (VALID[name] ?? MISSING)));

    if (op.path.includes('{')) {
      for (const bad of BAD_IDS) {
        const url = fill(op.path, () => bad);
        add(`${op.method} ${url.slice(0, 80)}`, () => {
          const req = call(app, asOwner, op.method, url);
          return op.method === 'get' ? req : req.send({});
        });
      }
    }
    if (op.method === 'post' || op.method === 'patch') {
      if (destructive) continue;
      for (const raw of RAW_BODIES) {
        add(`${op.method} ${op.path} raw ${raw.slice(0, 20)}`, () =>
          call(app, asOwner, op.method, validPath).set('Content-Type', 'application/json').send(raw),
        );
      }
      for (const json of JSON_TEXTS) {
        add(`${op.method} ${op.path} json ${json.slice(0, 40)}`, () =>
          call(app, asOwner, op.method, validPath).set('Content-Type', 'application/json').send(json),
        );
      }
      add(`${op.method} ${op.path} utf-7`, () =>
        call(app, asOwner, op.method, validPath)
          .set('Content-Type', 'application/json; charset=utf-7')
          .send('{}'),
      );
    }
    if (op.method === 'get') {
      for (const query of QUERIES) {
        add(`get ${op.path}?${query.slice(0, 40)}`, () => call(app, asOwner, 'get', `${validPath}?${query}`));
      }
    }
  }
  // Oversized and odd transport-level requests.
  const investigation = `/api/v1/investigations/${world.investigationId}`;
  add('2 MB body', () =>
    call(app, asOwner, 'post', `${investigation}/entities`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ label: 'x'.repeat(2_000_000) })),
  );
  add('truncated multipart', () =>
    call(app, asOwner, 'post', `${investigation}/documents`)
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated'),
  );
  add('multipart without boundary', () =>
    call(app, asOwner, 'post', `${investigation}/documents`)
      .set('Content-Type', 'multipart/form-data')
      .send('whatever'),
  );
  // The pathological shapes as a raw pasted look-up and as uploaded files.
  for (const [i, p] of PATHOLOGICAL.entries()) {
    add(`text/plain look-up, pathological #${i}`, () =>
      call(app, asOwner, 'post', `${investigation}/search/lookup`).set('Content-Type', 'text/plain').send(p),
    );
    add(`upload, pathological #${i}`, () =>
      call(app, asOwner, 'post', `${investigation}/documents`).attach('file', Buffer.from(p), {
        filename: `hostile-${i}.html`,
        contentType: 'text/html',
      }),
    );
  }
  add('junk cookie', () =>
    request(serverOf(app))
      .post('/api/v1/investigations')
      .set('Cookie', `osint_session=%%%; osint_session=${'A'.repeat(4000)}`)
      .send({ title: 'x' }),
  );
  return list;
}

/**
 * Requests in flight at once: the API waits on PostgreSQL, Redis and the extraction threads between
 * its own work, so a few at a time keep the file's process busy instead of idle on each round trip.
 */
const IN_FLIGHT = 6;

async function sendAll(list: Probe[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < list.length) {
      const probe = list[next++] as Probe;
      const res = await probe.send();
      outcomes.push({
        label: probe.label,
        status: res.status,
        contentType: String(res.headers['content-type'] ?? ''),
        body: res.body,
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return outcomes;
}

describe('hostile input', () => {
  it('never answers 5xx and always answers errors as problem+json', { timeout: 300_000 }, async () => {
    const started = performance.now();
    const outcomes = await sendAll(probes());
    expect(outcomes.length).toBeGreaterThanOrEqual(300);
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    expect(serverErrors.map((o) => `${o.status} ${o.label} ${JSON.stringify(o.body).slice(0, 200)}`)).toEqual(
      [],
    );
    const notProblem = outcomes.filter(
      (o) => o.status >= 400 && !o.contentType.includes('application/problem+json'),
    );
    expect(notProblem.map((o) => `${o.status} ${o.label}`)).toEqual([]);
    for (const o of outcomes.filter((x) => x.status >= 400)) {
      expect(o.body).toMatchObject({ status: o.status, code: expect.any(String), title: expect.any(String) });
    }
    // Error bodies stay small: hostile input is never echoed back in bulk.
    const large = outcomes.filter((o) => o.status >= 400 && JSON.stringify(o.body).length > 8_000);
    expect(large.map((o) => `${o.label}: ${JSON.stringify(o.body).slice(0, 300)}`)).toEqual([]);
    console.log(
      `[hostile] ${outcomes.length} requests over ${ops.length} operations in ${Math.round(performance.now() - started)} ms`,
    );
  });
});
