import {
  MAX_SELECTOR_INPUT_LENGTH,
  SELECTOR_TYPES,
  type SelectorType,
  selectorTypeSchema,
} from '@osint/contracts';
import { describe, expect, it } from 'vitest';
import { detectSelectorType, normaliseSelector, SelectorError, tryNormaliseSelector } from './index.js';

const code = (c: string) => expect.objectContaining({ name: 'SelectorError', code: c });

describe('normaliseSelector', () => {
  it('returns type, match key, trimmed display value and attributes', () => {
    expect(normaliseSelector('domain', '  Bücher.Example. ')).toEqual({
      type: 'domain',
      value: 'xn--bcher-kva.example',
      displayValue: 'Bücher.Example.',
      attributes: expect.objectContaining({ unicode: 'bücher.example', reserved: true }),
    });
  });

  it('keeps the fragment and defanging in the display value only', () => {
    const result = normaliseSelector('url', 'hxxps://example[.]com/a#frag');
    expect(result.value).toBe('https://example.com/a');
    expect(result.displayValue).toBe('hxxps://example[.]com/a#frag');
  });

  it('passes options through to phone and username', () => {
    expect(normaliseSelector('phone', '020 7946 0018', { defaultRegion: 'GB' }).value).toBe('+442079460018');
    expect(normaliseSelector('username', '@Example', { platform: 'github' }).value).toBe('github:example');
  });

  it('dispatches every selector type', () => {
    const samples: Record<SelectorType, string> = {
      domain: 'example.com',
      ipv4: '192.0.2.1',
      ipv6: '2001:db8::1',
      url: 'https://example.com/',
      email: 'a@example.com',
      phone: '+442079460018',
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      sha512: `cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e`,
      btc: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
      eth: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      cve: 'CVE-2021-44228',
      username: 'github:example',
    };
    for (const type of SELECTOR_TYPES) expect(normaliseSelector(type, samples[type]).type).toBe(type);
  });

  it('rejects empty, oversized and unknown input', () => {
    expect(() => normaliseSelector('domain', '   ')).toThrow(code('empty'));
    expect(() =>
      normaliseSelector('url', `https://example.com/${'a'.repeat(MAX_SELECTOR_INPUT_LENGTH)}`),
    ).toThrow(code('too_long'));
    expect(() => normaliseSelector('nope' as SelectorType, 'x')).toThrow(code('unsupported_type'));
  });

  it('reports the selector type on errors', () => {
    try {
      normaliseSelector('ipv4', '010.0.0.1');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SelectorError);
      expect(error).toMatchObject({ code: 'ipv4_leading_zero', selectorType: 'ipv4' });
    }
  });
});

describe('tryNormaliseSelector', () => {
  it('returns ok results and errors instead of throwing', () => {
    const ok = tryNormaliseSelector('ipv4', '192.0.2.1');
    expect(ok).toMatchObject({ ok: true, selector: { value: '192.0.2.1' } });
    const bad = tryNormaliseSelector('ipv4', '010.0.0.1');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('ipv4_leading_zero');
  });

  it('refuses with a SelectorError that names its code and type and carries no stack frames', () => {
    const bad = tryNormaliseSelector('ipv4', 'not an address');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error).toBeInstanceOf(SelectorError);
    expect(bad.error).toMatchObject({ name: 'SelectorError', code: 'invalid_ipv4', selectorType: 'ipv4' });
    expect(bad.error.stack).toBe(`SelectorError: ${bad.error.message}`);
    // Other errors keep their stacks: the limit is restored after each SelectorError.
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });
});

describe('detectSelectorType', () => {
  it.each([
    ['example.com', 'domain'],
    ['www[.]example[.]com', 'domain'],
    ['192.0.2.1', 'ipv4'],
    ['198.51.100[.]7', 'ipv4'],
    ['2001:db8::1', 'ipv6'],
    ['hxxps://example[.]com/x', 'url'],
    ['ftp://files.example/a', 'url'],
    ['a@example.com', 'email'],
    ['a[at]example[.]com', 'email'],
    ['+44 20 7946 0018', 'phone'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'md5'],
    ['DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'sha1'],
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'sha256'],
    ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', 'btc'],
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'btc'],
    ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'eth'],
    ['cve-2021-44228', 'cve'],
    ['@example_user', 'username'],
    ['@example@social.example', 'username'],
    ['github:example_user', 'username'],
  ] as const)('detects %s as %s', (input, expected) => {
    expect(detectSelectorType(input)).toBe(expected);
  });

  it.each([
    '',
    'hello',
    'report.pdf',
    'invoice.zip',
    '010.0.0.1',
    '020 7946 0018',
    'deadbeef',
    '0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    'two words',
  ])('returns null for %j', (input) => {
    expect(detectSelectorType(input)).toBeNull();
  });
});

describe('selectorTypeSchema', () => {
  it('accepts every selector type and nothing else', () => {
    for (const type of SELECTOR_TYPES) expect(selectorTypeSchema.parse(type)).toBe(type);
    expect(selectorTypeSchema.safeParse('ssn').success).toBe(false);
  });
});
