import { describe, expect, it } from 'vitest';
import { JSON_EXPORT_FORMAT, JSON_EXPORT_VERSION, jsonExportSchema } from './json-export.js';
import { isSelectorType, SELECTOR_TYPES } from './vocabularies.js';

const ID = '0193d0c4-5a1e-7c3b-9f00-000000000001';
const DOC = '0193d0c4-5a1e-7c3b-9f00-000000000002';

/** The smallest file the writer produces for an investigation with one of everything. */
function sample() {
  return {
    format: JSON_EXPORT_FORMAT,
    version: JSON_EXPORT_VERSION,
    exportedAt: '2026-12-07T12:00:00.000Z',
    investigation: {
      id: ID,
      title: 'Case',
      description: '',
      status: 'open',
      tlp: 'amber+strict',
      defaultRegion: 'GB',
      allowList: [],
      createdAt: '2026-12-07T12:00:00.000Z',
    },
    selectors: [
      {
        id: ID,
        type: 'domain',
        value: 'example.org',
        displayValue: 'Example.org',
        attributes: {},
        source: 'extraction',
        tags: [],
        note: null,
        falsePositive: false,
      },
    ],
    documents: [
      {
        id: DOC,
        title: 'report.txt',
        sourceUrl: null,
        mediaType: 'text/plain',
        sizeBytes: 11,
        sha256: 'a'.repeat(64),
        extractionStatus: 'succeeded',
        extractedText: 'example.org',
        contentBase64: null,
      },
    ],
    mentions: [
      { documentId: DOC, selectorId: ID, start: 0, end: 11, raw: 'example.org', extractorVersion: 'x/1' },
    ],
    entities: [{ id: ID, kind: 'organisation', label: 'Org', properties: {} }],
    relationships: [
      {
        id: ID,
        source: { kind: 'entity', id: ID },
        target: { kind: 'selector', id: ID },
        type: 'owns',
        confidence: 55,
        evidenceDocumentId: DOC,
      },
    ],
    notes: [{ id: ID, target: { kind: 'relationship', id: ID }, body: 'why' }],
    counts: { selectors: 1 },
  };
}

describe('the JSON export schema', () => {
  it('reads what the writer writes, dropping the fields readers do not use', () => {
    const parsed = jsonExportSchema.parse(sample());
    expect(parsed.relationships[0]?.type).toBe('owns');
    expect(parsed.investigation).not.toHaveProperty('createdAt');
    expect(parsed).not.toHaveProperty('counts');
  });

  it('refuses another format, another version, and values outside the vocabularies', () => {
    const paths = (raw: unknown) =>
      jsonExportSchema.safeParse(raw).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths({ ...sample(), format: 'other' })).toEqual(['format']);
    expect(paths({ ...sample(), version: 2 })).toEqual(['version']);
    const bad = sample();
    bad.investigation.tlp = 'white';
    bad.selectors[0]!.type = 'ssn';
    bad.entities[0]!.kind = 'robot';
    bad.relationships[0]!.type = 'likes';
    bad.notes[0]!.target = { kind: 'investigation', id: ID };
    expect(paths(bad).sort()).toEqual(
      [
        'entities.0.kind',
        'investigation.tlp',
        'notes.0.target.kind',
        'relationships.0.type',
        'selectors.0.type',
      ].sort(),
    );
  });

  it('bounds selector values like the API does (a hostile file cannot smuggle a 10 MB value)', () => {
    const huge = sample();
    huge.selectors[0]!.value = 'a'.repeat(10_000_000);
    expect(jsonExportSchema.safeParse(huge).success).toBe(false);
  });
});

describe('isSelectorType', () => {
  it('accepts exactly the vocabulary', () => {
    for (const t of SELECTOR_TYPES) expect(isSelectorType(t)).toBe(true);
    for (const t of ['', 'DOMAIN', 'toString', '__proto__', 'ipv4 ']) expect(isSelectorType(t)).toBe(false);
  });
});
