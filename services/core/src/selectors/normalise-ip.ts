import ipaddr from 'ipaddr.js';
import { refangSelector } from './refang.js';
import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

/** RFC 5737 (IPv4) and RFC 3849 (IPv6) documentation ranges: addresses that can never be a real target. */
const IPV4_DOCUMENTATION = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'].map((cidr) =>
  ipaddr.IPv4.parseCIDR(cidr),
);
const IPV6_DOCUMENTATION = ipaddr.IPv6.parseCIDR('2001:db8::/32');

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Parses strict dotted-decimal IPv4 and returns its four octets. Leading zeros are refused because
 * `010.0.0.1` means 10.0.0.1 to some tools and 8.0.0.1 (octal) to others; guessing would pivot on the
 * wrong host.
 */
function parseDottedQuad(input: string, type: 'ipv4' | 'ipv6'): number[] {
  const match = DOTTED_QUAD.exec(input);
  if (!match) {
    const code = type === 'ipv4' ? 'invalid_ipv4' : 'invalid_ipv6';
    throw new SelectorError(code, `"${input}" is not dotted decimal`, type);
  }
  return match.slice(1).map((octet) => {
    if (octet.length > 1 && octet.startsWith('0')) {
      throw new SelectorError('ipv4_leading_zero', `"${input}" has a leading zero (ambiguous octal)`, type);
    }
    const n = Number(octet);
    if (n > 255) throw new SelectorError('ipv4_out_of_range', `"${input}" has an octet above 255`, type);
    return n;
  });
}

/**
 * Normalises an IPv4 address to canonical dotted decimal, tagging `attributes.range` (ipaddr.js names:
 * private, loopback, unicast, reserved...) and `attributes.documentation` for RFC 5737 ranges.
 */
export function normaliseIpv4(raw: string): SelectorValue {
  const octets = parseDottedQuad(refangSelector(raw, 'ipv4').trim(), 'ipv4');
  const address = new ipaddr.IPv4(octets);
  return {
    value: octets.join('.'),
    attributes: {
      range: address.range(),
      documentation: IPV4_DOCUMENTATION.some((cidr) => address.match(cidr)),
    },
  };
}

function isIpv4Mapped(parts: readonly number[]): boolean {
  return parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff;
}

/** Longest run of at least two zero fields; the first one wins a tie (RFC 5952 §4.2.1-4.2.3). */
function longestZeroRun(parts: readonly number[]): { start: number; length: number } | null {
  let best: { start: number; length: number } | null = null;
  let start = -1;
  for (let i = 0; i <= parts.length; i++) {
    if (i < parts.length && parts[i] === 0) {
      if (start < 0) start = i;
      continue;
    }
    const length = start < 0 ? 0 : i - start;
    if (length >= 2 && (best === null || length > best.length)) best = { start, length };
    start = -1;
  }
  return best;
}

/**
 * RFC 5952 text for eight 16-bit fields: lowercase hex without leading zeros, the longest zero run
 * compressed (first on a tie, never a lone zero field), IPv4-mapped addresses as `::ffff:a.b.c.d`.
 */
export function formatIpv6(parts: readonly number[]): string {
  if (isIpv4Mapped(parts)) {
    const [hi = 0, lo = 0] = parts.slice(6);
    return `::ffff:${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  const hex = parts.map((p) => p.toString(16));
  const run = longestZeroRun(parts);
  if (run === null) return hex.join(':');
  return `${hex.slice(0, run.start).join(':')}::${hex.slice(run.start + run.length).join(':')}`;
}

/** Syntax checks ipaddr.js is more lenient about than a match key can afford. */
function checkIpv6Syntax(input: string): void {
  if (input.includes('%')) {
    throw new SelectorError(
      'ipv6_zone_id',
      `"${input}" has a zone id, which is local to one machine`,
      'ipv6',
    );
  }
  if (!/^[0-9a-fA-F:.]+$/.test(input) || !ipaddr.IPv6.isValid(input)) {
    throw new SelectorError('invalid_ipv6', `"${input}" is not an IPv6 address`, 'ipv6');
  }
  const tail = input.slice(input.lastIndexOf(':') + 1);
  if (tail.includes('.')) parseDottedQuad(tail, 'ipv6');
}

/**
 * Normalises an IPv6 address (optionally in brackets) to RFC 5952 canonical text, tagging
 * `attributes.range` and `attributes.documentation` for 2001:db8::/32. Zone ids (`fe80::1%eth0`) are
 * refused: they only mean something on the machine that wrote them.
 */
export function normaliseIpv6(raw: string): SelectorValue {
  const trimmed = refangSelector(raw, 'ipv6').trim();
  const input = /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
  checkIpv6Syntax(input);
  const address = ipaddr.IPv6.parse(input);
  const attributes: Record<string, unknown> = {
    range: address.range(),
    documentation: address.match(IPV6_DOCUMENTATION),
  };
  if (address.isIPv4MappedAddress()) attributes.mappedIpv4 = address.toIPv4Address().toString();
  return { value: formatIpv6(address.parts), attributes };
}
