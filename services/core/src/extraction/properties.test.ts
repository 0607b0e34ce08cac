import { SELECTOR_TYPES, type SelectorType } from '@osint/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseSelector, tryNormaliseSelector } from '../selectors/normalise.js';
import { refang, refangSettled } from '../selectors/refang.js';
import { extractSelectors } from './extract-selectors.js';
import { refangWithOffsets } from './refang-offsets.js';

/**
 * Property-based tests (fast-check): for text built from the tokens the patterns react to, mixed with
 * arbitrary Unicode, refang, extraction and normalisation never throw, normalising a normalised value
 * changes nothing, and every mention's offsets point at its text as written. A failure prints the
 * shrunk counter-example and its seed, so it can be replayed with `{ seed, path }`.
 */

/** Pieces of indicators, defanging and the punctuation around them. */
const TOKENS = [
  'hxxp',
  'hXXps',
  'http',
  'https',
  'fxp',
  'ftp',
  '://',
  '[://]',
  '[:]',
  ':',
  '/',
  '[/]',
  '.',
  '[.]',
  '(.)',
  '{.}',
  '[dot]',
  ' dot ',
  ' DOT ',
  '[,]',
  ',',
  '@',
  '[@]',
  '[at]',
  '(at)',
  ' ',
  '  ',
  '\t',
  '\n',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '<',
  '>',
  '-',
  '_',
  '+',
  '#',
  '?',
  '=',
  'evil-corp',
  'com',
  'net',
  'example',
  'co.uk',
  'xn--bcher-kva',
  'bücher',
  'пример',
  'рф',
  '192',
  '168',
  '0',
  '1',
  '255',
  '2001',
  'db8',
  '::',
  '0x',
  'deadbeef',
  '44d88612fea8a8f36de82e1278abb02f',
  'bc1',
  'CVE-2021-44228',
  '+44 20 7946 0000',
  'twitter:',
  'u/',
  'the',
  'a',
  'to',
];

/** Text assembled from {@link TOKENS} and arbitrary Unicode, up to a few hundred characters. */
const hostileText = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...TOKENS) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
    ),
    {
      maxLength: 80,
    },
  )
  .map((parts) => parts.join(''));

const RUNS = { numRuns: 300 };

describe('refang (property-based)', () => {
  it('never throws, and refangWithOffsets gives the same text with a map onto the original', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const refanged = refang(text);
        const mapped = refangWithOffsets(text);
        expect(mapped.text).toBe(refanged);
        if (refanged.length > 0) {
          const [start, end] = mapped.toOriginal(0, refanged.length);
          expect(start).toBeGreaterThanOrEqual(0);
          expect(end).toBeLessThanOrEqual(text.length);
          expect(start).toBeLessThan(end);
        }
      }),
      RUNS,
    );
  });

  it('refangSettled gives text that refang leaves alone', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const settled = refangSettled(text);
        if (settled !== null) expect(refang(settled)).toBe(settled);
      }),
      RUNS,
    );
  });

  it('leaves text without defanging tokens untouched', () => {
    const plain = fc.string({ unit: 'grapheme' }).filter((s) => !/[[\](){}]|x|X|dot|DOT|,/.test(s));
    fc.assert(
      fc.property(plain, (text) => {
        expect(refang(text)).toBe(text);
      }),
      RUNS,
    );
  });
});

describe('extractSelectors (property-based)', () => {
  it('never throws; every mention points at its text as written and normalises back to its value', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const found = extractSelectors(text, { defaultRegion: 'GB' });
        let previousEnd = 0;
        for (const s of found) {
          expect(text.slice(s.start, s.end)).toBe(s.raw);
          expect(s.start).toBeGreaterThanOrEqual(previousEnd); // in text order, never overlapping
          previousEnd = s.end;
          expect(normaliseSelector(s.type, s.displayValue, { defaultRegion: 'GB' }).value).toBe(s.value);
        }
      }),
      RUNS,
    );
  });
});

/** Inputs shaped for each type, so the properties reach the normalisers' accepting paths too. */
const typedInput: Record<SelectorType, fc.Arbitrary<string>> = {
  domain: hostileText,
  ipv4: fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((parts) => parts.join('.')),
  ipv6: fc.oneof(fc.ipV6(), hostileText),
  url: fc.oneof(
    fc.webUrl(),
    hostileText.map((t) => `hxxp://${t}`),
  ),
  email: fc.oneof(fc.emailAddress(), hostileText),
  phone: fc.oneof(fc.stringMatching(/^\+\d{1,3} \d{2,4} \d{3,4} \d{3,4}$/), hostileText),
  md5: fc.stringMatching(/^[0-9a-fA-F]{30,34}$/),
  sha1: fc.stringMatching(/^[0-9a-fA-F]{40}$/),
  sha256: fc.stringMatching(/^[0-9a-fA-F]{64}$/),
  sha512: fc.stringMatching(/^[0-9a-fA-F]{128}$/),
  btc: hostileText,
  eth: fc.stringMatching(/^0x[0-9a-fA-F]{40}$/),
  cve: fc.stringMatching(/^[Cc][Vv][Ee]-\d{4}-\d{4,7}$/),
  username: fc.oneof(
    fc.stringMatching(/^(twitter|github|mastodon|x|reddit):@?[A-Za-z0-9_.]{1,20}$/),
    fc.stringMatching(/^@[A-Za-z0-9_]{1,12}@[a-z]{1,10}\.(social|com|example)$/),
    hostileText,
  ),
};

describe('normaliseSelector (property-based)', () => {
  it.each(SELECTOR_TYPES.map((type) => [type]))(
    '%s: never throws but SelectorError; normalising twice changes nothing',
    (type) => {
      fc.assert(
        fc.property(typedInput[type], (raw) => {
          const once = tryNormaliseSelector(type, raw, { defaultRegion: 'GB' });
          if (!once.ok) return;
          const twice = tryNormaliseSelector(type, once.selector.value, { defaultRegion: 'GB' });
          expect(twice.ok, `${type} ${JSON.stringify(raw)} → ${once.selector.value}`).toBe(true);
          if (twice.ok) expect(twice.selector.value).toBe(once.selector.value);
        }),
        RUNS,
      );
    },
  );
});
