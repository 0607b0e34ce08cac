import { describe, expect, it } from 'vitest';
import { normaliseCve } from './normalise-cve.js';
import { hashTypeForLength, normaliseHash } from './normalise-hash.js';

const code = (c: string) => expect.objectContaining({ name: 'SelectorError', code: c });

// Digests of the empty string, so the data means nothing.
const MD5 = 'D41D8CD98F00B204E9800998ECF8427E';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

describe('normaliseHash', () => {
  it.each([
    ['md5', MD5],
    ['sha1', SHA1],
    ['sha256', SHA256],
    ['sha512', SHA512],
  ] as const)('accepts %s and lowercases it', (type, digest) => {
    expect(normaliseHash(type, `  ${digest} `)).toEqual({
      value: digest.toLowerCase(),
      attributes: { bits: digest.length * 4 },
    });
  });

  it('rejects a digest of the wrong length for the declared type', () => {
    expect(() => normaliseHash('sha256', SHA1)).toThrow(code('hash_length_mismatch'));
    expect(() => normaliseHash('md5', SHA256)).toThrow(/looks like sha256/);
    expect(() => normaliseHash('sha1', 'abc')).toThrow(code('hash_length_mismatch'));
  });

  it('rejects non-hex input', () => {
    expect(() => normaliseHash('md5', `${MD5.slice(0, 31)}g`)).toThrow(code('invalid_hash'));
  });

  it('maps digest lengths to types', () => {
    expect([32, 40, 64, 128, 33].map(hashTypeForLength)).toEqual(['md5', 'sha1', 'sha256', 'sha512', null]);
  });
});

describe('normaliseCve', () => {
  it('uppercases and keeps the sequence', () => {
    expect(normaliseCve(' cve-2021-44228 ')).toEqual({
      value: 'CVE-2021-44228',
      attributes: { year: 2021, sequence: 44228 },
    });
    expect(normaliseCve('CVE-2014-0160').value).toBe('CVE-2014-0160');
    expect(normaliseCve('CVE\u20132019\u20130708').value).toBe('CVE-2019-0708');
  });

  it.each([
    'CVE-2021-123',
    'CVE-21-44228',
    'CVE-2021-012345',
    'CVE-1998-0001',
    'CAN-2021-44228',
    'CVE 2021 44228',
  ])('rejects %s', (input) => {
    expect(() => normaliseCve(input)).toThrow(code('invalid_cve'));
  });
});
