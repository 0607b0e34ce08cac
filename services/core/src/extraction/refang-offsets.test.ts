import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refang } from '../selectors/refang.js';
import { type Edit, refangInOnePass, refangRuleByRule, refangWithOffsets } from './refang-offsets.js';

// The ioc-fanger corpus is committed under tests/fixtures/ (SOURCE.md there names its origin and licence).
const corpus = new URL('../../../../tests/fixtures/ioc-fanger/defanged.txt', import.meta.url);

describe('refangWithOffsets on the ioc-fanger corpus', () => {
  const lines = readFileSync(corpus, 'utf8').split(/\r?\n/).filter(Boolean);

  it('produces exactly what refang produces, line by line and for the whole file', () => {
    expect(lines).toHaveLength(1017);
    expect(lines.filter((line) => refangWithOffsets(line).text !== refang(line))).toEqual([]);
    const whole = lines.join('\n');
    expect(refangWithOffsets(whole).text).toBe(refang(whole));
  });

  it('maps every refanged line back onto the whole original line', () => {
    for (const line of lines) {
      const r = refangWithOffsets(line);
      if (r.text.length === 0) continue;
      const [start, end] = r.toOriginal(0, r.text.length);
      expect(line.slice(start, end).trim()).toBe(line.trim());
    }
    console.log(`[corpus] ioc-fanger: ${lines.length} defanged lines mapped back onto their originals`);
  });
});

describe('refangWithOffsets', () => {
  it('is the identity, with no map, for text without defanging', () => {
    const r = refangWithOffsets('plain evil.example and 203.0.113.9');
    expect(r.identity).toBe(true);
    expect(r.toOriginal(6, 18)).toEqual([6, 18]);
  });

  it('maps spans through length-changing rewrites back to the text as written', () => {
    const original = 'see hxxps://c2[.]evil[.]example[/]gate and ops [at] evil (dot) example!';
    const r = refangWithOffsets(original);
    expect(r.text).toBe('see https://c2.evil.example/gate and ops@evil.example!');
    const url = 'https://c2.evil.example/gate';
    const at = r.text.indexOf(url);
    const [s, e] = r.toOriginal(at, at + url.length);
    expect(original.slice(s, e)).toBe('hxxps://c2[.]evil[.]example[/]gate');
    const mail = 'ops@evil.example';
    const m = r.text.indexOf(mail);
    const [ms, me] = r.toOriginal(m, m + mail.length);
    expect(original.slice(ms, me)).toBe('ops [at] evil (dot) example');
  });

  it('widens a span that cuts a rewritten token to the whole token', () => {
    const original = 'a[.]b';
    const r = refangWithOffsets(original);
    expect(r.text).toBe('a.b');
    expect(r.toOriginal(1, 2)).toEqual([1, 4]);
    expect(r.toOriginal(0, 1)).toEqual([0, 1]);
    expect(r.toOriginal(2, 3)).toEqual([4, 5]);
  });

  it('agrees with refang on generated text mixing every defang form', () => {
    const tokens = [
      'hxxp',
      'hXXps',
      'fxp',
      '://',
      '[://]',
      '[:]',
      '(:)',
      '[/]',
      '[.]',
      '(.)',
      '{.}',
      '[dot]',
      '(DOT)',
      ' dot ',
      ' DOT ',
      '[,]',
      '[@]',
      '[at]',
      '(at)',
      ' [ . ] ',
      'evil',
      'example',
      'com',
      '1',
      '23',
      ' ',
      '\t',
      '.',
      ':',
      '/',
      '@',
      'x',
      'Dot',
      '(',
      ')',
      '[',
      ']',
    ];
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2_000; i++) {
      let s = '';
      const n = 1 + (next() % 14);
      for (let k = 0; k < n; k++) s += tokens[next() % tokens.length];
      const r = refangWithOffsets(s);
      expect(r.text, JSON.stringify(s)).toBe(refang(s));
      if (r.text.length > 0) {
        const [a, b] = r.toOriginal(0, r.text.length);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(s.length);
      }
      // Per character: spans never go backwards, and an untouched character maps onto itself.
      let previous = 0;
      for (let p = 0; p < r.text.length; p++) {
        const [a, b] = r.toOriginal(p, p + 1);
        // Compared plainly first: an expect() per character is ~100,000 calls of Vitest bookkeeping.
        if (a < previous) expect(a, `${JSON.stringify(s)}: refanged[${p}]`).toBeGreaterThanOrEqual(previous);
        previous = a;
        if (b - a === 1 && r.text[p] !== s[a]) {
          expect.fail(`${JSON.stringify(s)}: refanged[${p}] = ${r.text[p]} but original[${a}] = ${s[a]}`);
        }
      }
    }
    // About 100,000 comparisons: seconds on a busy machine, so more room than the default 5 s.
  }, 60_000);

  it('gives each end of a span on its own as toOriginal does, and says which spans a rewrite touched', () => {
    const original = 'hxxps://c2[.]evil [.] example/a and plain.example, ops[at]evil(dot)example';
    const r = refangWithOffsets(original);
    for (let start = 0; start < r.text.length; start++) {
      for (let end = start + 1; end <= r.text.length; end++) {
        const [a, b] = r.toOriginal(start, end);
        expect([r.originalStart(start), r.originalEnd(end)]).toEqual([a, b]);
        // Untouched means the text as written, character for character; touched means it was rewritten.
        expect(r.rewritten(start, end), `[${start}, ${end})`).toBe(
          original.slice(a, b) !== r.text.slice(start, end),
        );
      }
    }
    const plain = refangWithOffsets('plain.example');
    expect(plain.rewritten(0, 13)).toBe(false);
    expect([plain.originalStart(3), plain.originalEnd(7)]).toEqual([3, 7]);
  });

  it('maps spans through a cursor as toOriginal and rewritten do, in text order or any other', () => {
    const original = 'hxxps://c2[.]evil [.] example/a and plain.example, ops[at]evil(dot)example';
    for (const text of [original, 'plain.example, nothing defanged']) {
      const r = refangWithOffsets(text);
      const spans: [number, number][] = [];
      for (let start = 0; start < r.text.length; start++)
        for (let end = start + 1; end <= r.text.length; end++) spans.push([start, end]);
      // Every span in order, then a shuffled order (a fixed permutation), then back to the start.
      const shuffled = spans.map((s, i) => [s, (i * 7919) % 104729] as const).sort((a, b) => a[1] - b[1]);
      const cursor = r.spans();
      const wrong: string[] = [];
      let checked = 0;
      for (const [start, end] of [...spans, ...shuffled.map(([s]) => s), ...spans.slice(0, 50)]) {
        cursor.map(start, end);
        const [a, b] = r.toOriginal(start, end);
        if (cursor.start !== a || cursor.end !== b || cursor.rewritten !== r.rewritten(start, end))
          wrong.push(`[${start}, ${end})`);
        checked++;
      }
      expect(wrong).toEqual([]);
      expect(checked).toBe(spans.length * 2 + 50);
    }
  }, 60_000);
});

describe('refang in one pass', () => {
  /** The map as plain spans, to compare the two paths' edits. */
  const spans = (edits: readonly Edit[]) => edits.map((e) => [e.outStart, e.outEnd, e.origStart, e.origEnd]);
  const TOKENS = [
    '[',
    ']',
    '(',
    ')',
    '{',
    '}',
    ' ',
    '\t',
    '.',
    ':',
    '/',
    '//',
    '@',
    ',',
    'dot',
    'DOT',
    'Dot',
  ];
  const MORE = ['at', 'AT', 'a', 'b', 'x', '1', 'hxxp', 'hXXps', 'fxp', 's', '-', 'the', 'to', 'com', '[.]'];
  const PIECES = [...TOKENS, ...MORE, '[:]', '(@)', ' dot ', '[,]', '[://]', ' [ . ] ', '[[.]]'];

  it('gives exactly the rule-by-rule text and map whenever it applies, and applies to the usual text', () => {
    let applied = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 16 }), (pieces) => {
        const text = pieces.join('');
        const fast = refangInOnePass(text);
        if (fast === null) return;
        applied++;
        const slow = refangRuleByRule(text);
        const same =
          fast.text === slow.text &&
          fast.text === refang(text) &&
          isDeepStrictEqual(spans(fast.edits), spans(slow.edits));
        // Each expect() costs Vitest bookkeeping, and 20,000 runs call it 60,000 times (seconds of CPU):
        // the same comparisons are made plainly, and only a difference goes through expect for its diff.
        if (same) return;
        expect(fast.text).toBe(slow.text);
        expect(fast.text).toBe(refang(text));
        expect(spans(fast.edits)).toEqual(spans(slow.edits));
      }),
      { numRuns: 20_000, seed: 14 },
    );
    // Touching or bracketed rewrites fall back; most generated text still takes the one pass.
    expect(applied).toBeGreaterThan(10_000);
    const lines = readFileSync(corpus, 'utf8').split(/\r?\n/).filter(Boolean);
    expect(lines.filter((line) => refangInOnePass(line) === null)).toEqual([]);
  }, 60_000);

  it('falls back where rewrites touch or a rewrite sits between brackets', () => {
    expect(refangInOnePass('a[:] [.]b')).toBeNull();
    expect(refangInOnePass('[[.]]')).toBeNull();
    expect(refangWithOffsets('[[.]]').text).toBe(refang('[[.]]'));
    expect(refangInOnePass('hxxp[:]//evil[.]example')?.text).toBe('http://evil.example');
  });
});
