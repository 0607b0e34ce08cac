import { createHash } from 'node:crypto';
import type { SelectorType } from '@osint/contracts';
import type * as schema from '../schema/index.js';
import { SEED_ENTITIES } from './graph.data.js';
import { seedId } from './ids.js';
import { type InvestigationKey, SEED_INVESTIGATIONS, type SeedInvestigation } from './investigations.data.js';
import { type SeedSelector, seedSelectors } from './selectors.data.js';
import { DEV_PASSWORD_HASH, SEED_USERS, type UserKey } from './users.data.js';

/** The row a seeded table takes. */
type Insert<T extends keyof typeof schema> = (typeof schema)[T] extends { $inferInsert: infer R } ? R : never;

/** Every seeded timestamp is an offset from this instant, so two machines seed identical rows. */
export const SEED_EPOCH = Date.UTC(2026, 9, 1, 8, 0, 0);
/** Recorded as `mentions.extractor_version` so a real extractor can tell seeded mentions from its own. */
export const SEED_EXTRACTOR_VERSION = 'seed-1';

const at = (day: number, minutes = 0) => new Date(SEED_EPOCH + (day * 24 * 60 + minutes) * 60_000);
export const selectorKey = (type: SelectorType, value: string) => `${type}:${value}`;

/** Ids the database decided: a user or selector that already existed keeps its id and the seed reuses it. */
export interface ResolvedIds {
  user(key: UserKey): string;
  selector(s: SeedSelector): string;
}

export function userRows(): Insert<'users'>[] {
  return SEED_USERS.map((u, i) => ({
    id: seedId('user', u.key),
    email: u.email,
    displayName: u.displayName,
    passwordHash: DEV_PASSWORD_HASH,
    role: u.role,
    createdAt: at(-1, i),
    updatedAt: at(-1, i),
  }));
}

/** Selectors with the investigations that hold them: a rotation, plus every tenth shared with the next one. */
export function selectorPlan(): { selector: SeedSelector; investigations: InvestigationKey[] }[] {
  const keys = SEED_INVESTIGATIONS.map((i) => i.key);
  return seedSelectors().map((selector, i) => {
    const primary = keys[i % keys.length] as InvestigationKey;
    const shared = keys[(i + 1) % keys.length] as InvestigationKey;
    return { selector, investigations: i % 10 === 0 ? [primary, shared] : [primary] };
  });
}

/** The shared rows hold only (type, value); each investigation's link holds what it saw (ADR 0020). */
export function selectorRows(): Insert<'selectors'>[] {
  return selectorPlan().map(({ selector }) => ({
    id: seedId('selector', selectorKey(selector.type, selector.value)),
    type: selector.type,
    value: selector.value,
  }));
}

/** Builds a document's text piece by piece, recording where each selector is written (UTF-16 offsets). */
class TextWithMentions {
  text = '';
  readonly found: { selector: SeedSelector; start: number; end: number }[] = [];
  write(...parts: (string | SeedSelector)[]): this {
    for (const part of parts) {
      if (typeof part === 'string') {
        this.text += part;
      } else {
        this.found.push({ selector: part, start: this.text.length, end: this.text.length + part.raw.length });
        this.text += part.raw;
      }
    }
    return this;
  }
}

const TAGS: Partial<Record<SelectorType, string>> = {
  domain: 'phishing',
  url: 'phishing',
  ipv4: 'hosting',
  ipv6: 'hosting',
  email: 'lure',
  phone: 'lure',
  md5: 'malware',
  sha1: 'malware',
  sha256: 'malware',
  sha512: 'malware',
  btc: 'payment',
  eth: 'payment',
  cve: 'exploit',
  username: 'persona',
};

export interface SeedPlan {
  investigations: Insert<'investigations'>[];
  memberships: Insert<'memberships'>[];
  jobs: Insert<'jobs'>[];
  documents: Insert<'documents'>[];
  investigationSelectors: Insert<'investigationSelectors'>[];
  mentions: Insert<'mentions'>[];
  entities: Insert<'entities'>[];
  relationships: Insert<'relationships'>[];
  notes: Insert<'notes'>[];
}

/** Everything below users and selectors, per investigation, pointing at the resolved ids. */
export function investigationPlan(ids: ResolvedIds): SeedPlan {
  const plan: SeedPlan = {
    investigations: [],
    memberships: [],
    jobs: [],
    documents: [],
    investigationSelectors: [],
    mentions: [],
    entities: [],
    relationships: [],
    notes: [],
  };
  const everything = selectorPlan();
  for (const inv of SEED_INVESTIGATIONS) {
    const mine = everything.filter((s) => s.investigations.includes(inv.key)).map((s) => s.selector);
    planInvestigation(plan, ids, inv, mine);
  }
  return plan;
}

function planInvestigation(plan: SeedPlan, ids: ResolvedIds, inv: SeedInvestigation, mine: SeedSelector[]) {
  const invId = seedId('investigation', inv.key);
  const owner = ids.user(inv.owner);
  const editor = ids.user(inv.editors[0] ?? inv.owner);
  const day = inv.day;
  plan.investigations.push({
    id: invId,
    title: inv.title,
    description: inv.description,
    status: inv.status,
    tlp: inv.tlp,
    defaultRegion: inv.defaultRegion,
    allowList: inv.allowList,
    createdBy: owner,
    createdAt: at(day),
    updatedAt: at(day + 20),
  });
  const roles: [UserKey, 'owner' | 'editor' | 'viewer'][] = [
    [inv.owner, 'owner'],
    ...inv.editors.map((u): [UserKey, 'editor'] => [u, 'editor']),
    ...inv.viewers.map((u): [UserKey, 'viewer'] => [u, 'viewer']),
  ];
  roles.forEach(([user, role], i) => {
    plan.memberships.push({
      investigationId: invId,
      userId: ids.user(user),
      role,
      createdAt: at(day, i),
      updatedAt: at(day, i),
    });
  });

  const first = (type: SelectorType, skip = 0) => {
    const found = mine.filter((s) => s.type === type)[skip];
    if (!found) throw new Error(`seed: ${inv.key} has no ${type} selector #${skip}`);
    return found;
  };

  // Two documents: an analyst's narrative and a partner's indicator list.
  const report = new TextWithMentions().write(
    `${inv.title}: initial report\n\n`,
    'Between 2 and 6 October staff received e-mails from ',
    first('email'),
    ' linking to ',
    first('url'),
    '. The landing page sat on ',
    first('domain'),
    ', which resolved to ',
    first('ipv4'),
    ' and, over IPv6, to ',
    first('ipv6'),
    '.\n\nRecipients were asked to call ',
    first('phone'),
    " to 'confirm' their details. The attachment has MD5 ",
    first('md5'),
    ', SHA-1 ',
    first('sha1'),
    ' and SHA-256 ',
    first('sha256'),
    '; the second stage has SHA-512 ',
    first('sha512'),
    '.\n\nPayment was demanded to ',
    first('btc'),
    ' or ',
    first('eth'),
    '. The kit exploits ',
    first('cve'),
    ' and was advertised by ',
    first('username'),
    '.\n',
  );
  const listed = mine.filter((s) => !report.found.some((f) => f.selector === s)).slice(0, 24);
  const iocs = new TextWithMentions().write(
    `Indicators shared by a partner CERT (handle as ${inv.tlp.toUpperCase()})\n\n`,
  );
  for (const s of listed) iocs.write(`- ${s.type}: `, s, '\n');

  const docs = [
    { key: `${inv.key}/initial-report`, title: `${inv.title}: initial report`, body: report, offset: 60 },
    { key: `${inv.key}/partner-iocs`, title: 'Partner CERT indicator list', body: iocs, offset: 180 },
  ];
  const extractedBy = new Map<SeedSelector, string>();
  for (const doc of docs) {
    const docId = seedId('document', doc.key);
    const jobId = seedId('job', `extract:${doc.key}`);
    const content = Buffer.from(doc.body.text, 'utf8');
    plan.jobs.push({
      id: jobId,
      kind: 'extract',
      status: 'succeeded',
      investigationId: invId,
      targetType: 'document',
      targetId: docId,
      attempts: 1,
      progress: 100,
      result: { mentions: doc.body.found.length },
      createdAt: at(day, doc.offset),
      updatedAt: at(day, doc.offset + 1),
      startedAt: at(day, doc.offset),
      finishedAt: at(day, doc.offset + 1),
    });
    plan.documents.push({
      id: docId,
      investigationId: invId,
      title: doc.title,
      sourceUrl: `https://reports.example.net/${doc.key}.txt`,
      mediaType: 'text/plain; charset=utf-8',
      sizeBytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
      extractedText: doc.body.text,
      extractionStatus: 'succeeded',
      createdBy: owner,
      createdAt: at(day, doc.offset),
      updatedAt: at(day, doc.offset + 1),
    });
    for (const m of doc.body.found) {
      if (!extractedBy.has(m.selector)) extractedBy.set(m.selector, jobId);
      plan.mentions.push({
        id: seedId('mention', `${doc.key}:${m.start}`),
        documentId: docId,
        selectorId: ids.selector(m.selector),
        startOffset: m.start,
        endOffset: m.end,
        rawText: m.selector.raw,
        extractorVersion: SEED_EXTRACTOR_VERSION,
        createdAt: at(day, doc.offset + 1),
      });
    }
  }

  const enrichJob = seedId('job', `enrich:${inv.key}`);
  plan.jobs.push({
    id: enrichJob,
    kind: 'enrich',
    status: 'succeeded',
    investigationId: invId,
    targetType: 'investigation',
    targetId: invId,
    attempts: 1,
    progress: 100,
    result: { enriched: 2 },
    createdAt: at(day + 1),
    updatedAt: at(day + 1, 5),
    startedAt: at(day + 1),
    finishedAt: at(day + 1, 5),
  });

  mine.forEach((s, i) => {
    const extractJob = extractedBy.get(s);
    const source = extractJob
      ? 'extraction'
      : ((['manual', 'import', 'enrichment'] as const)[i % 3] ?? 'manual');
    const falsePositive = i % 23 === 22;
    plan.investigationSelectors.push({
      id: seedId('investigation_selector', `${inv.key}:${selectorKey(s.type, s.value)}`),
      investigationId: invId,
      selectorId: ids.selector(s),
      source,
      displayValue: s.raw,
      firstSeenAt: at(day, 200 + i),
      lastSeenAt: at(day + 1 + (i % 7), 200 + i),
      tags: [TAGS[s.type] ?? 'other', ...(i % 5 === 0 ? ['needs-review'] : [])],
      note: falsePositive ? 'Shared infrastructure, not attacker-controlled: kept for the record.' : null,
      falsePositive,
      addedBy: source === 'manual' ? editor : source === 'import' ? owner : null,
      addedByJobId: extractJob ?? (source === 'enrichment' ? enrichJob : null),
      createdAt: at(day, 200 + i),
      updatedAt: at(day, 200 + i),
    });
  });

  const entity = (key: string) => seedId('entity', `${inv.key}:${key}`);
  SEED_ENTITIES[inv.key].forEach((e, i) => {
    plan.entities.push({
      id: entity(e.key),
      investigationId: invId,
      kind: e.kind,
      label: e.label,
      properties: { ...e.properties, fictional: true },
      createdBy: i === 0 ? owner : editor,
      createdAt: at(day + 2, i),
      updatedAt: at(day + 2, i),
    });
  });

  const reportId = seedId('document', `${inv.key}/initial-report`);
  type Kind = 'selector' | 'entity' | 'document';
  type Edge = [Kind, string, Kind, string, Insert<'relationships'>['type'], number, 'user' | 'job'];
  const sel = (type: SelectorType) => ids.selector(first(type));
  const edges: Edge[] = [
    ['selector', sel('domain'), 'selector', sel('ipv4'), 'resolves-to', 90, 'job'],
    ['selector', sel('domain'), 'selector', sel('ipv6'), 'resolves-to', 80, 'job'],
    ['selector', sel('url'), 'selector', sel('domain'), 'related-to', 60, 'user'],
    ['selector', sel('email'), 'entity', entity('person'), 'belongs-to', 70, 'user'],
    ['entity', entity('group'), 'selector', sel('domain'), 'owns', 55, 'user'],
    ['selector', sel('username'), 'entity', entity('person'), 'same-as', 65, 'user'],
    ['selector', sel('email'), 'selector', sel('phone'), 'communicates-with', 40, 'user'],
    ['selector', sel('btc'), 'entity', entity('group'), 'belongs-to', 35, 'user'],
    ['document', reportId, 'selector', sel('cve'), 'mentions', 100, 'job'],
    ['entity', entity('group'), 'entity', entity('org'), 'related-to', 50, 'user'],
  ];
  edges.forEach(([sourceKind, sourceId, targetKind, targetId, type, confidence, by], i) => {
    plan.relationships.push({
      id: seedId('relationship', `${inv.key}:${i}`),
      investigationId: invId,
      sourceKind,
      sourceId,
      targetKind,
      targetId,
      type,
      confidence,
      evidenceDocumentId: reportId,
      createdByUser: by === 'user' ? editor : null,
      createdByJob:
        by === 'job'
          ? type === 'mentions'
            ? seedId('job', `extract:${inv.key}/initial-report`)
            : enrichJob
          : null,
      createdAt: at(day + 2, 10 + i),
      updatedAt: at(day + 2, 10 + i),
    });
  });

  const notesFor: [Insert<'notes'>['targetKind'], string | null, string][] = [
    [
      null,
      null,
      `## Working notes\n\n- [x] Collect the lure e-mails\n- [x] Pivot on the landing domain\n- [ ] Ask the hosting provider for logs\n\nEverything here is **${inv.tlp.toUpperCase()}**.`,
    ],
    [
      'selector',
      sel('domain'),
      'Registered two days before the first lure; same registrar as the previous wave.',
    ],
    [
      'entity',
      entity('group'),
      'Attribution is *tentative*: shared infrastructure only, no shared tooling yet.',
    ],
    ['relationship', seedId('relationship', `${inv.key}:0`), 'Passive DNS shows this resolution for 9 days.'],
  ];
  notesFor.forEach(([targetKind, targetId, body], i) => {
    plan.notes.push({
      id: seedId('note', `${inv.key}:${i}`),
      investigationId: invId,
      targetKind,
      targetId,
      body,
      authorId: i % 2 === 0 ? owner : editor,
      createdAt: at(day + 3, i),
      updatedAt: at(day + 3, i),
    });
  });
}

/** The audit event a seed run that wrote something leaves behind (one per run, by the `system` actor). */
export function seedAuditEvent(rows: Record<string, number>): Insert<'auditEvents'> {
  return {
    actorType: 'system',
    action: 'seed.apply',
    objectType: 'database',
    objectId: null,
    after: { rows, dataset: 'development' },
  };
}
