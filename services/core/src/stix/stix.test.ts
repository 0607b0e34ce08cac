import { describe, expect, it } from 'vitest';
import { canonicalJson, scoId, selectorStixId, selectorToStix, TLP2_MARKING_IDS } from './index.js';

describe('RFC 8785 canonical JSON', () => {
  it('sorts members by UTF-16 code units and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], '\u20ac': 2, '\ud83d\ude00': 3, A: 4 })).toBe(
      '{"A":4,"a":[true,null,"x"],"b":1,"€":2,"😀":3}',
    );
  });

  it('escapes like ECMAScript and formats numbers like ECMAScript', () => {
    expect(canonicalJson('\u0000\b\t\n\f\r"\\\u001f/é')).toBe('"\\u0000\\b\\t\\n\\f\\r\\"\\\\\\u001f/é"');
    expect(canonicalJson([1e21, 1e-7, -0, 0.1, 100])).toBe('[1e+21,1e-7,0,0.1,100]');
  });

  it('refuses what I-JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson('\ud800')).toThrow();
  });
});

describe('deterministic SCO ids (STIX 2.1 §2.9)', () => {
  it('match the issue 8 test vectors', () => {
    expect(scoId('ipv4-addr', { value: '198.51.100.3' })).toBe(
      'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
    );
    expect(scoId('domain-name', { value: 'example.com' })).toBe(
      'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7',
    );
  });

  it('are the same for selectors mapped through selectorToStix', () => {
    const common = { markingRefs: [TLP2_MARKING_IDS.amber], created: '2026-01-01T00:00:00.000Z' };
    const sel = { id: '6f1c5a3e-1b2c-4d3e-8f4a-5b6c7d8e9f00', type: 'ipv4' as const, value: '198.51.100.3' };
    expect(selectorToStix(sel, common).id).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
    expect(selectorStixId({ ...sel, type: 'domain', value: 'example.com' })).toBe(
      'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7',
    );
  });

  it('maps hashes to files and handles to user accounts', () => {
    const common = { markingRefs: [], created: '2026-01-01T00:00:00.000Z' };
    const file = selectorToStix({ id: 'x', type: 'sha256', value: 'a'.repeat(64) }, common);
    expect(file).toMatchObject({ type: 'file', hashes: { 'SHA-256': 'a'.repeat(64) } });
    expect(file.id).toBe(scoId('file', { hashes: { 'SHA-256': 'a'.repeat(64) } }));
    const account = selectorToStix({ id: 'x', type: 'username', value: 'github:octocat' }, common);
    expect(account).toMatchObject({ type: 'user-account', account_type: 'github', account_login: 'octocat' });
  });
});
