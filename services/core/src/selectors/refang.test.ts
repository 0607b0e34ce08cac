import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refangWithOffsets } from '../extraction/refang-offsets.js';
import { MAX_REFANG_LAYERS, refang, refangSelector, refangSettled } from './refang.js';

// The ioc-fanger corpus is committed under tests/fixtures/ (SOURCE.md there names its origin and licence);
// services/core/src/selectors → the repository root is four levels up.
const corpusDir = new URL('../../../../tests/fixtures/ioc-fanger/', import.meta.url);

function readLines(name: string): string[] {
  const lines = readFileSync(new URL(name, corpusDir), 'utf8').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

describe('refang against the ioc-fanger corpus', () => {
  it('reproduces every fanged line exactly', () => {
    const defanged = readLines('defanged.txt');
    const fanged = readLines('fanged.txt');
    expect(defanged).toHaveLength(1017);
    expect(fanged).toHaveLength(defanged.length);
    const mismatches = defanged
      .map((line, i) => ({ line: i + 1, got: refang(line), want: fanged[i] }))
      .filter(({ got, want }) => got !== want);
    expect(mismatches).toEqual([]);
    console.log(`[corpus] ioc-fanger: ${defanged.length} defanged lines refanged exactly as fanged.txt`);
  });

  it('is idempotent on the refanged corpus', () => {
    const fanged = readLines('fanged.txt');
    expect(fanged.filter((line) => refang(line) !== line)).toEqual([]);
  });
});

describe('refang', () => {
  it.each([
    ['hxxp://a.example/x', 'http://a.example/x'],
    ['hXXp://a.example/', 'http://a.example/'],
    ['hxxps://a.example/', 'https://a.example/'],
    ['hXXps://a.example/', 'https://a.example/'],
    ['HXXPS://a.example/', 'https://a.example/'],
    ['fxp://files.example/a.bin', 'ftp://files.example/a.bin'],
    ['hxxp[:]//a[.]example', 'http://a.example'],
    ['hxxp[://]a.example', 'http://a.example'],
    ['https://a.example[/]path', 'https://a.example/path'],
  ])('refangs schemes and separators: %s', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it.each([
    ['a[.]example', 'a.example'],
    ['a(.)example', 'a.example'],
    ['a{.}example', 'a.example'],
    ['a[dot]example', 'a.example'],
    ['a(dot)example', 'a.example'],
    ['a{dot}example', 'a.example'],
    ['a[DOT]example', 'a.example'],
    ['evil DOT example', 'evil.example'],
    ['evil dot example', 'evil.example'],
    ['mail dot evil-corp dot com', 'mail.evil-corp.com'],
    ['a [.] example', 'a.example'],
    ['a[,]example', 'a.example'],
    ['192.0.2[.]1', '192.0.2.1'],
  ])('refangs dots: %s', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it.each([
    ['alice[@]mail.example', 'alice@mail.example'],
    ['alice[at]mail[.]example', 'alice@mail.example'],
    ['alice(at)mail(dot)example', 'alice@mail.example'],
    ['alice {at} mail.example', 'alice@mail.example'],
  ])('refangs at signs: %s', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it('leaves ordinary text and live indicators alone', () => {
    for (const text of [
      'w3dot.info',
      'http://a.example/',
      'connect the Dot to the rest',
      'connect the dot to the rest',
      'The dot on the map',
      'a dot in the middle',
      'we went polka dot shopping',
      'put a dot at the end',
      'the hxxpd package',
      'http://[2001:db8::1]/',
      'meet at noon (at the office)',
    ]) {
      expect(refang(text)).toBe(text);
    }
  });

  it('refangs a token right after a match that took the blanks before it', () => {
    // The first match takes its trailing blank; the second token, then preceded by a replaced blank, is
    // still matched, so refanging again finds nothing left.
    for (const [input, expected] of [
      ['u/(at) [at]', 'u/@@'],
      ['a [.] [.] b', 'a..b'],
      ['a (dot)\t\t{dot} [.]b', 'a...b'],
      ['hxxp [:]  [/] [/]', 'http://'],
    ] as const) {
      expect(refang(input)).toBe(expected);
      expect(refang(expected)).toBe(expected);
      expect(refangWithOffsets(input).text).toBe(expected);
    }
  });

  it('peels one layer of nested brackets per call; refangSettled peels them all, up to a bound', () => {
    expect(refang('a[[.]]b')).toBe('a[.]b');
    expect(refangSettled('a[[.]]b')).toBe('a.b');
    expect(refangSettled('x{([at])}y [[[.]]] z')).toBe('x@y.z');
    const deepest = `a${'['.repeat(MAX_REFANG_LAYERS)}.${']'.repeat(MAX_REFANG_LAYERS)}b`;
    expect(refangSettled(deepest)).toBe('a.b');
    const deeper = `a${'['.repeat(MAX_REFANG_LAYERS + 1)}.${']'.repeat(MAX_REFANG_LAYERS + 1)}b`;
    expect(refangSettled(deeper)).toBeNull();
    expect(() => refangSelector(deeper, 'domain')).toThrow(
      expect.objectContaining({ name: 'SelectorError', code: 'defang_nested', selectorType: 'domain' }),
    );
    expect(refangSettled('plain text')).toBe('plain text');
  });

  it('refangs every indicator inside running text', () => {
    expect(refang('C2 at hxxps://c2[.]example[/]gate and 198.51.100[.]7, mail ops[at]c2[.]example')).toBe(
      'C2 at https://c2.example/gate and 198.51.100.7, mail ops@c2.example',
    );
  });
});
