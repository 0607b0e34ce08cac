import { isReservedDomain } from '@osint/core';

/**
 * Names that must never reach a resolver, by the last label (or labels) of the name:
 * - `localhost`, `test`, `invalid`, `example` (RFC 6761 §6; `example.com/net/org` via core's
 *   `isReservedDomain`, RFC 2606);
 * - `local` (RFC 6762, multicast DNS), `home.arpa` (RFC 8375, home networks), `onion` (RFC 7686),
 *   `alt` (RFC 9476), `internal` (ICANN board resolution 2024.07.29.06, private-use TLD);
 * - `corp`, `home`, `mail` (ICANN name-collision TLDs whose delegation is deferred indefinitely, SAC062)
 *   and `lan`, `intranet`, `private` (de-facto private names, SAC113 §3), all of which leak an
 *   organisation's internal host names to whichever resolver is asked.
 * A single label (`intranet-db`) is a host on some search path, never a public name.
 */
const RESERVED_SUFFIXES = [
  'local',
  'internal',
  'home.arpa',
  'onion',
  'alt',
  'corp',
  'home',
  'mail',
  'lan',
  'intranet',
  'private',
];

/** Why `name` (ASCII, lower case, no trailing dot) must not be queried, or null when it may be. */
export function reservedNameReason(name: string): string | null {
  const ascii = name.toLowerCase().replace(/\.$/, '');
  if (!ascii.includes('.')) return 'single-label';
  if (isReservedDomain(ascii)) return 'special-use';
  for (const suffix of RESERVED_SUFFIXES) {
    if (ascii === suffix || ascii.endsWith(`.${suffix}`)) return 'special-use';
  }
  return null;
}
