import { normaliseDomain } from './normalise-domain.js';
import { refangSelector } from './refang.js';
import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

const MAX_LOCAL_PART_OCTETS = 64;

/** RFC 5322 atext plus any non-ASCII, non-space character (RFC 6531 internationalised mailboxes). */
const ATOM = "(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\\x00-\\x7F\\s])+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`, 'u');
const QUOTED_STRING = /^"(?:[^"\\\r\n]|\\.)*"$/u;

function validateLocalPart(local: string, input: string): void {
  const octets = new TextEncoder().encode(local).length;
  if (octets === 0 || octets > MAX_LOCAL_PART_OCTETS) {
    throw new SelectorError('invalid_email', `"${input}" has an empty or over-long local part`, 'email');
  }
  if (!DOT_ATOM.test(local) && !QUOTED_STRING.test(local)) {
    throw new SelectorError('invalid_email', `"${input}" has an invalid local part`, 'email');
  }
}

/**
 * Normalises an e-mail address. Match key choice: the local part is kept exactly as written and only the
 * domain is normalised (lowercase punycode, see {@link normaliseDomain}). RFC 5321 lets the receiving
 * server treat `Alice` and `alice` as different mailboxes, and folding them would silently merge two
 * identities in an investigation; the reverse error (two keys for one mailbox) is visible and cheap to
 * fix, so `attributes.foldedValue` (everything lowercased) is provided for case-insensitive look-ups.
 */
export function normaliseEmail(raw: string): SelectorValue {
  const input = refangSelector(raw, 'email')
    .trim()
    .replace(/^mailto:/i, '');
  const at = input.lastIndexOf('@');
  if (at <= 0 || at === input.length - 1) {
    throw new SelectorError('invalid_email', `"${input}" is not an e-mail address`, 'email');
  }
  const local = input.slice(0, at);
  validateLocalPart(local, input);
  let domain: SelectorValue;
  try {
    domain = normaliseDomain(input.slice(at + 1));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SelectorError('invalid_email', `"${input}" has an invalid domain: ${reason}`, 'email');
  }
  const value = `${local}@${domain.value}`;
  return {
    value,
    attributes: {
      localPart: local,
      domain: domain.value,
      unicodeDomain: domain.attributes.unicode,
      registrableDomain: domain.attributes.registrableDomain,
      reserved: domain.attributes.reserved,
      foldedValue: value.toLowerCase(),
    },
  };
}
