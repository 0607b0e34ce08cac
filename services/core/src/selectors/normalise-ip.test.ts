import { describe, expect, it } from 'vitest';
import { formatIpv6, normaliseIpv4, normaliseIpv6 } from './normalise-ip.js';

const code = (c: string) => expect.objectContaining({ name: 'SelectorError', code: c });

describe('normaliseIpv4', () => {
  it('accepts dotted decimal and tags the range', () => {
    expect(normaliseIpv4(' 192.0.2.1 ')).toEqual({
      value: '192.0.2.1',
      attributes: { range: 'reserved', documentation: true },
    });
    expect(normaliseIpv4('10.0.0.1').attributes).toEqual({ range: 'private', documentation: false });
    expect(normaliseIpv4('127.0.0.1').attributes.range).toBe('loopback');
    expect(normaliseIpv4('0.0.0.0').value).toBe('0.0.0.0');
  });

  it('flags all three documentation ranges', () => {
    for (const ip of ['192.0.2.255', '198.51.100.7', '203.0.113.200']) {
      expect(normaliseIpv4(ip).attributes.documentation, ip).toBe(true);
    }
    expect(normaliseIpv4('203.0.114.1').attributes.documentation).toBe(false);
  });

  it('refangs', () => {
    expect(normaliseIpv4('198.51.100[.]7').value).toBe('198.51.100.7');
  });

  it('rejects leading zeros as ambiguous octal', () => {
    expect(() => normaliseIpv4('010.0.0.1')).toThrow(code('ipv4_leading_zero'));
    expect(() => normaliseIpv4('192.0.2.01')).toThrow(code('ipv4_leading_zero'));
  });

  it('rejects out-of-range octets and other notations', () => {
    expect(() => normaliseIpv4('192.0.2.256')).toThrow(code('ipv4_out_of_range'));
    for (const bad of ['192.0.2', '192.0.2.1.5', '0xc0.0.2.1', '3221225985', '192.0.2.1/24', '192.0.2.-1']) {
      expect(() => normaliseIpv4(bad), bad).toThrow(code('invalid_ipv4'));
    }
  });
});

describe('normaliseIpv6', () => {
  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:DB8::ABCD', '2001:db8::abcd'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:db8:1:1:1:1:0:0', '2001:db8:1:1:1:1::'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'],
  ])('canonicalises %s to %s', (input, expected) => {
    expect(normaliseIpv6(input).value).toBe(expected);
  });

  it('tags range, documentation prefix and mapped IPv4', () => {
    expect(normaliseIpv6('2001:db8::1').attributes).toEqual({ range: 'reserved', documentation: true });
    expect(normaliseIpv6('::1').attributes).toEqual({ range: 'loopback', documentation: false });
    expect(normaliseIpv6('fe80::1').attributes.range).toBe('linkLocal');
    expect(normaliseIpv6('::ffff:192.0.2.1').attributes).toMatchObject({
      range: 'ipv4Mapped',
      mappedIpv4: '192.0.2.1',
    });
  });

  it('rejects zone ids', () => {
    expect(() => normaliseIpv6('fe80::1%eth0')).toThrow(code('ipv6_zone_id'));
  });

  it('rejects malformed addresses', () => {
    for (const bad of [
      '2001:db8::1::1',
      '2001:db8:1:2:3:4:5:6:7',
      '12345::1',
      '2001:db8::g',
      '192.0.2.1',
      'example.com',
    ]) {
      expect(() => normaliseIpv6(bad), bad).toThrow(code('invalid_ipv6'));
    }
    expect(() => normaliseIpv6('::ffff:192.0.2.01')).toThrow(code('ipv4_leading_zero'));
  });
});

describe('formatIpv6', () => {
  it('compresses the first of two equal zero runs and never a single zero field', () => {
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6([1, 0, 0, 2, 0, 0, 0, 3])).toBe('1:0:0:2::3');
  });
});
