import { describe, expect, it } from 'vitest';
import { isReservedDomain, normaliseDomain } from './normalise-domain.js';
import { SelectorError } from './selector-error.js';

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof SelectorError) return error.code;
    throw error;
  }
  return undefined;
}

describe('normaliseDomain', () => {
  it('lowercases, trims, strips the trailing dot and refangs', () => {
    expect(normaliseDomain('  WWW.Example.COM.  ').value).toBe('www.example.com');
    expect(normaliseDomain('www[.]example[.]com').value).toBe('www.example.com');
  });

  it('converts IDNs to punycode and keeps the Unicode form', () => {
    const result = normaliseDomain('bücher.example');
    expect(result.value).toBe('xn--bcher-kva.example');
    expect(result.attributes.unicode).toBe('bücher.example');
    expect(normaliseDomain('BÜCHER.example.').value).toBe('xn--bcher-kva.example');
    expect(normaliseDomain('xn--bcher-kva.example').value).toBe('xn--bcher-kva.example');
  });

  it('reports public suffix facts', () => {
    expect(normaliseDomain('a.b.example.co.uk').attributes).toMatchObject({
      publicSuffix: 'co.uk',
      registrableDomain: 'example.co.uk',
      isIcann: true,
      isPrivateSuffix: false,
      reserved: false,
    });
  });

  it('treats private PSL suffixes as the registrable boundary', () => {
    expect(normaliseDomain('project.github.io').attributes).toMatchObject({
      publicSuffix: 'github.io',
      registrableDomain: 'project.github.io',
      isIcann: false,
      isPrivateSuffix: true,
    });
  });

  it('accepts reserved example names but flags them', () => {
    for (const name of [
      'example.com',
      'www.example.net',
      'example.org',
      'host.example',
      'a.test',
      'x.invalid',
      'app.localhost',
    ]) {
      expect(normaliseDomain(name).attributes.reserved, name).toBe(true);
    }
    expect(normaliseDomain('host.example').attributes).toMatchObject({
      publicSuffix: 'example',
      registrableDomain: 'host.example',
      isIcann: false,
    });
    expect(isReservedDomain('notexample.com')).toBe(false);
  });

  it('rejects names without a known public suffix, such as file names', () => {
    expect(errorCode(() => normaliseDomain('report.pdf'))).toBe('domain_unknown_suffix');
    expect(errorCode(() => normaliseDomain('payload.exe'))).toBe('domain_unknown_suffix');
  });

  it('accepts file-like names whose extension is a real TLD, but flags them', () => {
    const result = normaliseDomain('invoice.zip');
    expect(result.value).toBe('invoice.zip');
    expect(result.attributes.likelyFileName).toBe(true);
    expect(normaliseDomain('example.com').attributes.likelyFileName).toBe(false);
  });

  it('rejects bare public suffixes and single labels', () => {
    expect(errorCode(() => normaliseDomain('co.uk'))).toBe('domain_is_public_suffix');
    expect(errorCode(() => normaliseDomain('com'))).toBe('invalid_domain');
    expect(errorCode(() => normaliseDomain('localhost'))).toBe('invalid_domain');
  });

  it('rejects IP literals', () => {
    expect(errorCode(() => normaliseDomain('192.0.2.1'))).toBe('domain_is_ip');
    expect(errorCode(() => normaliseDomain('2001:db8::1'))).toBe('domain_is_ip');
    expect(errorCode(() => normaliseDomain('[2001:db8::1]'))).toBe('domain_is_ip');
    // Every form ipaddr.js reads as an address (inet_aton's hex and octal parts) is one, checked without
    // its throw: a hex-looking name that no form reads is judged as a name.
    expect(errorCode(() => normaliseDomain('0x7f.0x0.0x0.0x1'))).toBe('domain_is_ip');
    expect(errorCode(() => normaliseDomain('0xc0.0xa8.1.2'))).toBe('domain_is_ip');
    expect(errorCode(() => normaliseDomain('::ffff:c000:201'))).toBe('domain_is_ip');
    expect(errorCode(() => normaliseDomain('7d25af'))).toBe('invalid_domain');
    expect(normaliseDomain('deadbeef.ca').value).toBe('deadbeef.ca');
  });

  it('enforces label and total length limits', () => {
    expect(normaliseDomain(`${'a'.repeat(63)}.example`).value).toHaveLength(71);
    expect(errorCode(() => normaliseDomain(`${'a'.repeat(64)}.example`))).toBe('domain_label_too_long');
    const long = `${Array.from({ length: 5 }, () => 'a'.repeat(50)).join('.')}.example`;
    expect(errorCode(() => normaliseDomain(long))).toBe('domain_too_long');
  });

  it('rejects malformed names', () => {
    for (const bad of [
      '-bad.example',
      'bad-.example',
      'a..example',
      'a.example..',
      'a b.example',
      'user@a.example',
      'xn--zz.example',
      'a*.example',
      '',
    ]) {
      expect(
        errorCode(() => normaliseDomain(bad)),
        bad,
      ).toBe('invalid_domain');
    }
  });

  it('does not let the host parser silently truncate or decode input', () => {
    for (const bad of ['a.example/b', 'a/b.example', 'a.example:80', 'ex%41mple.com', 'a.example?q']) {
      expect(
        errorCode(() => normaliseDomain(bad)),
        bad,
      ).toBe('invalid_domain');
    }
  });

  it('accepts underscores used by service records', () => {
    expect(normaliseDomain('_dmarc.example.com').value).toBe('_dmarc.example.com');
  });
});
