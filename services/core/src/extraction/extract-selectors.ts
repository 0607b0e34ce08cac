import type { SelectorType } from '@osint/contracts';
import { MAX_SELECTOR_INPUT_LENGTH } from '@osint/contracts';
import { isLikelyFileName } from '../selectors/file-names.js';
import {
  type NormalisedSelector,
  type NormaliseOptions,
  tryNormaliseSelector,
} from '../selectors/normalise.js';
import { hashTypeForLength } from '../selectors/normalise-hash.js';
import type { CountryCode } from '../selectors/normalise-phone.js';
import { type AllowList, type AllowListReason, allowListReason, compileAllowList } from './allow-list.js';
import { Buffers, refangWithOffsets } from './refang-offsets.js';
import {
  type CodeUnits,
  memberAt,
  RunScan,
  runEnd,
  runSet,
  runStart,
  scanRuns,
  sticky,
} from './run-scanner.js';

/**
 * Version of the detection rules below, stored on every mention (`mentions.extractor_version`) so a
 * better extractor can re-run selectively over documents an older one read. Bump it whenever a rule
 * changes what is found.
 */
export const EXTRACTOR_VERSION = 'extract/1.3.0';

/**
 * Default cap on matches per text. A hostile or pathological document (a dump of a million addresses)
 * must not turn one job into an unbounded transaction; the processor reports `truncated` when it is hit.
 */
export const DEFAULT_MAX_MATCHES = 250_000;

export interface ExtractOptions {
  /** ISO 3166-1 alpha-2 region: enables national phone numbers (without `+`). */
  defaultRegion?: CountryCode | string | null;
  /** The investigation's allow-list entries (or a list compiled once with `compileAllowList`). */
  allowList?: readonly string[] | AllowList;
  /** Stop after this many matches (default {@link DEFAULT_MAX_MATCHES}). */
  maxMatches?: number;
}

/** One occurrence of a selector in a text. Offsets index the ORIGINAL text (UTF-16 code units). */
export interface ExtractedSelector {
  type: SelectorType;
  /** Canonical match key (core's `normaliseSelector`). */
  value: string;
  /**
   * The selector as written in the source, defanging and case included (`hxxps://Evil[.]example[.]com/x`),
   * like `displayValue` everywhere else (data model: "what was said vs what it means"); `value` is what it
   * means. Falls back to the refanged spelling in the rare case the text as written would not normalise to
   * the same `value` on its own, so `normaliseSelector(type, displayValue).value === value` always holds.
   */
  displayValue: string;
  /** Start offset into the original text, inclusive. */
  start: number;
  /** End offset into the original text, exclusive: `text.slice(start, end) === raw`. */
  end: number;
  /** The text exactly as written, defanging included. */
  raw: string;
  attributes: Record<string, unknown>;
  /** Documentation range, reserved name or the investigation's allow-list: kept, but flagged. */
  allowListed: boolean;
  allowListReason?: AllowListReason;
}

/**
 * Validated matches in the refanged text, before overlap resolution, as parallel arrays: candidate `i`
 * reads `[start[i], end[i])` as `selectors[i].selector` with `priority[i]`. A dense dump has one every few
 * characters: no object per candidate.
 */
class Candidates {
  length = 0;
  start: Int32Array;
  end: Int32Array;
  priority: Int32Array;
  readonly selectors: Found[] = [];

  /** The arrays come from `buffers` and go back to them when they grow (see refang-offsets.ts `Buffers`). */
  constructor(private readonly buffers: Buffers) {
    this.start = buffers.wholeInts('candidateStart', 64);
    this.end = buffers.wholeInts('candidateEnd', 64);
    this.priority = buffers.wholeInts('candidatePriority', 64);
  }

  push(start: number, end: number, priority: number, selector: Found): void {
    const i = this.length;
    if (i === this.start.length) {
      const grown = (name: string, a: Int32Array) => {
        const b = new Int32Array(i * 2);
        b.set(a);
        this.buffers.keepInts(name, b);
        return b;
      };
      this.start = grown('candidateStart', this.start);
      this.end = grown('candidateEnd', this.end);
      this.priority = grown('candidatePriority', this.priority);
    }
    this.start[i] = start;
    this.end[i] = end;
    this.priority[i] = priority;
    this.selectors.push(selector);
    this.length = i + 1;
  }
}

/**
 * When two valid matches overlap, the higher priority wins: the more specific reading of the same
 * characters (a URL contains a domain, an e-mail contains a domain, `@a@b.example` contains an e-mail,
 * an IPv4-mapped IPv6 contains an IPv4, an IP never becomes a phone number).
 */
const PRIORITY = {
  url: 100,
  fediverse: 95,
  email: 90,
  prefixedUsername: 85,
  eth: 80,
  ipv6: 75,
  ipv4: 70,
  btc: 65,
  hash: 60,
  cve: 55,
  domain: 50,
  phone: 10,
} as const;

// A host name has at most 127 labels (253 characters), so the label groups repeat at most 126 times: an
// unbounded `(?:…)+` keeps one backtrack entry per repetition and overflows the engine's stack on a run of
// millions of labels (`пример.` × 1,000,000). A match may not stop before a further `.label` (the domain
// pattern's lookahead; `(?!\.[\p{L}\p{N}])` for e-mail and fediverse hosts), so a longer run gives no
// match, as it gave none valid before.
// Boundaries are lookbehinds on purpose: besides defining tokens, they stop the regex engine from retrying
// inside a long run of token characters, which keeps every scan linear in the text length.
const URL_RE = /(?<![\p{L}\p{N}_])(?:https?|ftp):\/\/[^\s<>"'`{}|\\^\u00A0\u2000-\u200B\u3000]+/giu;
const EMAIL_RE =
  /(?<![\p{L}\p{N}._%+\-@])[\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]{0,63})@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})){1,126}(?!\.[\p{L}\p{N}])/gu;
const FEDIVERSE_RE =
  /(?<![\p{L}\p{N}_@])@[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]{0,63})@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})){1,126}(?!\.[\p{L}\p{N}])/gu;
/**
 * `platform:handle` and `platform: @handle` for platforms with public handles. A space after the colon
 * needs the `@` (`Twitter: @alice`), otherwise prose like "GitHub: the repository" would be a handle.
 * `x:` is left out on purpose: "x:" is far more often algebra or a list label than the platform.
 */
const PREFIXED_USERNAME_RE =
  /(?<![\p{L}\p{N}_])(twitter|github|gitlab|telegram|instagram|reddit|tiktok|mastodon|keybase|youtube|facebook|linkedin|bluesky)(?::@?|:[ \t]@)([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,63}))/giu;
/** Reddit's own notation, `u/name` or `/u/name`. */
const REDDIT_RE = /(?<![\p{L}\p{N}_/])\/?u\/([A-Za-z0-9_-]{3,20})(?![\p{L}\p{N}_\-/])/gu;
const CVE_RE = /(?<![\p{L}\p{N}])CVE[-\u2010-\u2015\u2212]\d{4}[-\u2010-\u2015\u2212]\d{4,7}(?![\p{N}])/giu;
const IPV4_RE = /(?<![\p{L}\p{N}_.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\p{L}\p{N}_]|\.\d)/gu;
const IPV6_RE = /(?<![\p{L}\p{N}_:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}/gu;
const DOMAIN_RE =
  /(?<![\p{L}\p{N}_.-])(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?\.){1,126}\p{L}(?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])/gu;
const PHONE_RE =
  /(?:(?<=tel:)|(?<![\p{L}\p{N}_.+\-:/@#]))\+?\(?\d[\d \t().-]{5,24}\d(?![\p{L}\p{N}_@]|[.\-:/]\d)/gu;

/**
 * Words that make the dotted quad after them a version number rather than an address
 * (`version 1.2.3.4`, `Build: 10.0.19041.1`, `fw 4.1.0.2`).
 */
const VERSION_WORD_BEFORE =
  /(?:^|[^\p{L}\p{N}])(?:v|ver|version|build|release|rel|rev|revision|firmware|fw|patch|update|edition)\.?[ \t]*[:=#]?[ \t]*$/iu;
/** A pre-release or build suffix right after the quad (`1.2.3.4-beta`, `1.2.3.4-rc1`, `1.2.3.4+build7`). */
const VERSION_SUFFIX_AFTER = /^(?:[-~]\p{L}|\+[\p{L}\p{N}])/u;

/**
 * The version-string rule: a dotted quad is a version, not an IPv4 address, when it is preceded by a
 * version word (see {@link VERSION_WORD_BEFORE}) or followed by a pre-release/build suffix. Quads glued to
 * letters (`v1.2.3.4`) or part of a longer dotted number (`1.2.3.4.5`, `1.3.6.1.4.1`) never match the
 * address pattern in the first place. A `-` followed by a digit is a range (`10.0.0.1-10.0.0.9`), not a
 * version.
 */
export function isVersionContext(text: string, start: number, end: number): boolean {
  // Each pattern runs only where the characters next to the quad allow a match: after it a `-`, `~` or `+`;
  // before it, past the blanks, separator and dot the word may be followed by, a letter ending the word.
  const next = text.charCodeAt(end);
  if (
    (next === 0x2d || next === 0x7e || next === 0x2b) &&
    VERSION_SUFFIX_AFTER.test(text.slice(end, end + 3))
  )
    return true;
  let p = start;
  while (p > 0 && isBlank(text.charCodeAt(p - 1))) p--;
  const separator = text.charCodeAt(p - 1);
  if (separator === 0x3a || separator === 0x3d || separator === 0x23) p--;
  while (p > 0 && isBlank(text.charCodeAt(p - 1))) p--;
  if (text.charCodeAt(p - 1) === 0x2e) p--;
  const last = text.charCodeAt(p - 1) | 0x20;
  if (last < 0x61 || last > 0x7a) return false;
  return VERSION_WORD_BEFORE.test(text.slice(Math.max(0, start - 24), start));
}

/** Space or tab. */
const isBlank = (code: number) => code === 0x20 || code === 0x09;

/** Characters a URL in prose is commonly followed by that are almost never part of it: `.,;:!?'"*_`. */
function isUrlTrailing(c: number): boolean {
  return (
    c === 0x2e ||
    c === 0x2c ||
    c === 0x3b ||
    c === 0x3a ||
    c === 0x21 ||
    c === 0x3f ||
    c === 0x27 ||
    c === 0x22 ||
    c === 0x2a ||
    c === 0x5f
  );
}

/** For a closing bracket `)`, `]`, `}` or `>`, its opener; else −1. */
function openerOf(c: number): number {
  switch (c) {
    case 0x29:
      return 0x28;
    case 0x5d:
      return 0x5b;
    case 0x7d:
      return 0x7b;
    case 0x3e:
      return 0x3c;
    default:
      return -1;
  }
}

/**
 * Trims sentence punctuation and unbalanced closing brackets from a URL found in running text. Bracket
 * counts are taken once and updated as characters come off the end, so a URL followed by 50,000 `)` costs
 * one pass, not one pass per bracket.
 */
function trimUrl(url: string): string {
  const last = url.charCodeAt(url.length - 1);
  if (!isUrlTrailing(last) && openerOf(last) === -1) return url;
  // Counts of `(` `)` `[` `]` `{` `}` `<` `>`, indexed by character code.
  const count = new Int32Array(0x7e);
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (
      c === 0x28 ||
      c === 0x29 ||
      c === 0x5b ||
      c === 0x5d ||
      c === 0x7b ||
      c === 0x7d ||
      c === 0x3c ||
      c === 0x3e
    )
      count[c] = (count[c] as number) + 1;
  }
  let end = url.length;
  for (;;) {
    const c = url.charCodeAt(end - 1);
    if (isUrlTrailing(c)) {
      end--;
      continue;
    }
    const opener = openerOf(c);
    if (opener !== -1 && (count[opener] as number) < (count[c] as number)) {
      count[c] = (count[c] as number) - 1;
      end--;
      continue;
    }
    return end === url.length ? url : url.slice(0, end);
  }
}

function digitCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Shapes a phone-number pattern also matches that are something else: addresses, versions, dates. */
const NOT_A_PHONE = [
  /^\d{1,3}(?:\.\d{1,3}){3}$/, // dotted quad: an IPv4 address (valid or not), never a phone number
  /^[\d.]+$/, // only digits and dots with 3+ groups: versions, OIDs, amounts
  /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/, // ISO-style date
  /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/, // day/month/year
];

/**
 * A selector found in this text, with what the output needs of it worked out once (a report names the
 * same indicator many times): its allow-list verdict, and the display value of the last rewritten spelling
 * seen.
 */
class Found {
  /** Undefined until the first mention is output. */
  reason: AllowListReason | null | undefined = undefined;
  /** The last mention's text as written (the next one written the same way shares the string), and where. */
  written: string | undefined = undefined;
  writtenStart = 0;
  /** The last rewritten spelling whose display value was decided, and that display value. */
  raw: string | undefined = undefined;
  displayValue = '';

  constructor(readonly selector: NormalisedSelector) {}
}

/**
 * Verdicts by token for one text, keyed by where the token is: a look-up hashes and compares the text's code
 * units in place, so a token seen before costs no string (a dense dump repeats each indicator many times).
 * Open addressing over parallel arrays; an entry's key is the span where the token was first seen.
 */
class SpanMemo<V> {
  private size = 0;
  private hashes = new Int32Array(256);
  private starts = new Int32Array(256).fill(-1);
  private lengths = new Int32Array(256);
  private values: (V | undefined)[] = new Array(256).fill(undefined);
  /** Slot where the last {@link get} stopped: where {@link set} puts a missing token. */
  private slot = 0;
  private hash = 0;

  constructor(private readonly units: CodeUnits) {}

  /** The verdict for the token at `[start, end)`, or undefined when it has none yet. */
  get(start: number, end: number): V | undefined {
    const { units, hashes, starts, lengths } = this;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (units[i] as number), 0x01000193);
    const length = end - start;
    const mask = hashes.length - 1;
    let slot = h & mask;
    for (;;) {
      const at = starts[slot] as number;
      if (at === -1) break;
      if (hashes[slot] === h && lengths[slot] === length) {
        let k = 0;
        while (k < length && units[at + k] === units[start + k]) k++;
        if (k === length) return this.values[slot];
      }
      slot = (slot + 1) & mask;
    }
    this.slot = slot;
    this.hash = h;
    return undefined;
  }

  /** Records `value` for the token at `[start, end)`, right after a {@link get} of it that found none. */
  set(start: number, end: number, value: V): void {
    const slot = this.slot;
    this.hashes[slot] = this.hash;
    this.starts[slot] = start;
    this.lengths[slot] = end - start;
    this.values[slot] = value;
    this.size++;
    if (this.size * 2 > this.hashes.length) this.grow();
  }

  private grow(): void {
    const { hashes, starts, lengths, values } = this;
    const size = hashes.length * 4;
    this.hashes = new Int32Array(size);
    this.starts = new Int32Array(size).fill(-1);
    this.lengths = new Int32Array(size);
    this.values = new Array(size).fill(undefined);
    const mask = size - 1;
    for (let old = 0; old < hashes.length; old++) {
      if (starts[old] === -1) continue;
      let slot = (hashes[old] as number) & mask;
      while (this.starts[slot] !== -1) slot = (slot + 1) & mask;
      this.hashes[slot] = hashes[old] as number;
      this.starts[slot] = starts[old] as number;
      this.lengths[slot] = lengths[old] as number;
      this.values[slot] = values[old];
    }
  }
}

class CandidateCollector {
  readonly candidates: Candidates;
  /**
   * Normalisation results by type and token for this text: reports repeat their indicators, and
   * normalising a domain (IDNA, public-suffix look-ups) costs far more than a map look-up.
   */
  private readonly memo = new Map<SelectorType, Map<string, Found | null>>();
  /** Domain verdicts by token, file-name rule included (see {@link domain}). */
  private readonly domains: SpanMemo<Found | null>;
  /** Verdicts by type and token span (see {@link addSpan}). */
  private readonly spans = new Map<SelectorType, SpanMemo<Found | null>>();
  /** The last type's map of {@link memo}: collectors ask for one type many times in a row. */
  private lastType: SelectorType | undefined;
  private lastMap = new Map<string, Found | null>();

  constructor(
    private readonly text: string,
    private readonly units: CodeUnits,
    private readonly opts: NormaliseOptions,
    buffers: Buffers,
  ) {
    this.domains = new SpanMemo(units);
    this.candidates = new Candidates(buffers);
  }

  /** `tryNormaliseSelector`, memoised for this text (`null` when the token is not a selector). */
  normalise(type: SelectorType, token: string): Found | null {
    let byToken = this.lastMap;
    if (type !== this.lastType) {
      const known = this.memo.get(type);
      if (known === undefined) {
        byToken = new Map();
        this.memo.set(type, byToken);
      } else {
        byToken = known;
      }
      this.lastType = type;
      this.lastMap = byToken;
    }
    let found = byToken.get(token);
    if (found === undefined) {
      const result = tryNormaliseSelector(type, token, this.opts);
      found = result.ok ? new Found(result.selector) : null;
      byToken.set(token, found);
    }
    return found;
  }

  /**
   * A domain-shaped token as a domain selector, or null when it is not one or reads as a file name
   * (`report.pdf`, core's `isLikelyFileName`): both verdicts memoised together, one look-up per occurrence.
   */
  domain(start: number, end: number): Found | null {
    let found = this.domains.get(start, end);
    if (found === undefined) {
      const token = this.text.slice(start, end);
      found = isLikelyFileName(token) ? null : this.normalise('domain', token);
      this.domains.set(start, end, found);
    }
    return found;
  }

  /** {@link add} for the token at `[start, end)` as written, memoised by span. */
  addSpan(type: SelectorType, start: number, end: number, priority: number): void {
    let memo = this.spans.get(type);
    if (memo === undefined) {
      memo = new SpanMemo(this.units);
      this.spans.set(type, memo);
    }
    let found = memo.get(start, end);
    if (found === undefined) {
      found = this.normalise(type, this.text.slice(start, end));
      memo.set(start, end, found);
    }
    if (found !== null) this.candidates.push(start, end, priority, found);
  }

  push(start: number, end: number, priority: number, found: Found): void {
    this.candidates.push(start, end, priority, found);
  }

  add(type: SelectorType, start: number, end: number, priority: number, input?: string): boolean {
    const found = this.normalise(type, input ?? this.text.slice(start, end));
    if (found === null) return false;
    this.candidates.push(start, end, priority, found);
    return true;
  }
}

function scan(re: RegExp, text: string, fn: (match: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) fn(m);
}

/** Run sets matching each pattern's leading lookbehind (see run-scanner.ts). */
const WORD = runSet('_');
const DOMAIN_RUN = runSet('_.-');
const IPV4_RUN = runSet('_.');
const IPV6_RUN = runSet('_:.');
const EMAIL_RUN = runSet('._%+-@');
const ALNUM = runSet('');

const URL_AT = sticky(URL_RE);
const EMAIL_AT = sticky(EMAIL_RE);
const FEDIVERSE_AT = sticky(FEDIVERSE_RE);
const PREFIXED_USERNAME_AT = sticky(PREFIXED_USERNAME_RE);
const REDDIT_AT = sticky(REDDIT_RE);
const IPV4_AT = sticky(IPV4_RE);
const IPV6_AT = sticky(IPV6_RE);
const DOMAIN_AT = sticky(DOMAIN_RE);
const PHONE_AT = sticky(PHONE_RE);
const CVE_AT = sticky(CVE_RE);
/** Where a CVE id can start (any case, as CVE_RE). */
const CVE_WORD = /cve/gi;

/**
 * Hashes and wallets as whole alphanumeric tokens, tested on one maximal run of letters and digits at a
 * time: a 32-character slice of a 48-character hex string is not an MD5.
 */
const ETH_TOKEN = /^0x[0-9a-fA-F]{40}$/;
const BTC_BASE58_TOKEN = /^[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}$/;
const BTC_BECH32_TOKEN = /^(?:bc|tb|bcrt)1[02-9ac-hj-np-z]{6,87}$/i;
/** Shortest token any of them accepts (a bech32 address: `bc1` and six characters). */
const SHORTEST_WALLET_OR_HASH = 9;
/** Shortest base58 Bitcoin address, and so shortest token that is not bech32 (hashes are 32 and more). */
const SHORTEST_BASE58_WALLET = 26;
/** Longest base58 Bitcoin address. */
const LONGEST_BASE58_WALLET = 35;
/** What a base58 Bitcoin address starts with (BTC_BASE58_TOKEN). */
const BASE58_FIRST = Uint8Array.from({ length: 128 }, (_, code) =>
  '13mn2'.includes(String.fromCharCode(code)) ? 1 : 0,
);

/** ASCII character kinds in a hash or wallet token (0: not a letter or digit). */
const DECIMAL = 1;
const HEX_LETTER = 2;
const OTHER_LETTER = 4;
const TOKEN_CLASS = Uint8Array.from({ length: 128 }, (_, code) => {
  const ch = String.fromCharCode(code);
  if (/[0-9]/.test(ch)) return DECIMAL;
  if (/[a-fA-F]/.test(ch)) return HEX_LETTER;
  return /[A-Za-z]/.test(ch) ? OTHER_LETTER : 0;
});

/** The text at `at` starts as a bech32 address does (`bc1`, `tb1`, `bcrt1`, any case; BTC_BECH32_TOKEN). */
function isBech32Start(text: CodeUnits, at: number): boolean {
  const a = (text[at] as number) | 0x20;
  const b = (text[at + 1] as number) | 0x20;
  if (a === 0x74) return b === 0x62 && text[at + 2] === 0x31; // tb1
  if (a !== 0x62 || b !== 0x63) return false;
  const third = text[at + 2] as number;
  // bc1, bcrt1
  return (
    third === 0x31 ||
    ((third | 0x20) === 0x72 && ((text[at + 3] as number) | 0x20) === 0x74 && text[at + 4] === 0x31)
  );
}
/** Core's `hashTypeForLength`, tabulated for every length a hex token can have. */
const HASH_TYPE_BY_LENGTH = Array.from({ length: 129 }, (_, n) => hashTypeForLength(n));

function collectUrls(c: CandidateCollector, text: string, units: CodeUnits): void {
  // A URL starts where its scheme's word starts, right before `://`.
  let floor = 0;
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', floor)) {
    URL_AT.lastIndex = runStart(units, at, WORD, floor);
    const m = URL_AT.exec(text);
    floor = at + 3;
    if (!m) continue;
    const url = trimUrl(m[0]);
    c.add('url', m.index, m.index + url.length, PRIORITY.url, url);
    floor = Math.max(floor, m.index + m[0].length);
  }
}

function collectAccounts(c: CandidateCollector, text: string, units: CodeUnits): void {
  if (!text.includes('@')) return;
  // `@handle@instance` starts at an `@`; several may share one run, the pattern's lookbehind decides.
  let floor = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', floor)) {
    FEDIVERSE_AT.lastIndex = at;
    const m = FEDIVERSE_AT.exec(text);
    floor = m ? at + m[0].length : at + 1;
    if (m) c.add('username', m.index, m.index + m[0].length, PRIORITY.fediverse);
  }
  scanRuns(text, units, '@', EMAIL_RUN, EMAIL_AT, (start, end) => {
    c.add('email', start, end, PRIORITY.email);
  });
}

function collectUsernames(c: CandidateCollector, text: string, units: CodeUnits): void {
  let floor = 0;
  for (let at = text.indexOf(':'); at >= 0; at = text.indexOf(':', floor)) {
    const start = runStart(units, at, WORD, floor);
    floor = at + 1;
    if (start === at) continue;
    PREFIXED_USERNAME_AT.lastIndex = start;
    const m = PREFIXED_USERNAME_AT.exec(text);
    if (!m) continue;
    const handle = (m[2] ?? '').replace(/[.-]+$/, '');
    const end = m.index + m[0].length - ((m[2] ?? '').length - handle.length);
    c.add('username', m.index, end, PRIORITY.prefixedUsername, `${m[1]}:${handle}`);
    floor = m.index + m[0].length;
  }
  floor = 0;
  for (let at = text.indexOf('u/'); at >= 0; at = text.indexOf('u/', floor)) {
    REDDIT_AT.lastIndex = at > 0 && units[at - 1] === 0x2f ? at - 1 : at;
    const m = REDDIT_AT.exec(text);
    floor = m ? m.index + m[0].length : at + 1;
    if (m) c.add('username', m.index, m.index + m[0].length, PRIORITY.prefixedUsername, `reddit:${m[1]}`);
  }
}

/**
 * Hashes and wallets are whole alphanumeric tokens: one pass finds the maximal runs of letters and digits
 * long enough to be one, and each is tested against the token forms (the same as the bounded patterns
 * with `(?<![\p{L}\p{N}])…(?![\p{L}\p{N}])` around them).
 */
function collectHexAndWallets(c: CandidateCollector, text: string, units: CodeUnits): void {
  const n = units.length;
  let i = 0;
  while (i < n) {
    let code = units[i] as number;
    if (code < 0x80) {
      // ASCII outside letters and digits: the common case, decided by one table look-up.
      if (TOKEN_CLASS[code] === 0) {
        i++;
        continue;
      }
    } else {
      // A non-ASCII letter or number starts a run no token form allows: skip the whole run.
      const width = memberAt(units, i, ALNUM);
      i = width === 0 ? i + 1 : runEnd(units, i, ALNUM);
      continue;
    }
    const start = i;
    // The kinds of character in the run (DECIMAL | HEX_LETTER | OTHER_LETTER).
    let kinds = TOKEN_CLASS[code] as number;
    for (i++; i < n; i++) {
      code = units[i] as number;
      if (code >= 0x80) break;
      const kind = TOKEN_CLASS[code] as number;
      if (kind === 0) break;
      kinds |= kind;
    }
    // The run goes on with a non-ASCII letter or number: part of a longer token none of the forms allow.
    if (i < n && code >= 0x80 && memberAt(units, i, ALNUM) !== 0) {
      i = runEnd(units, i, ALNUM);
      continue;
    }
    const end = i;
    const length = end - start;
    if (length < SHORTEST_WALLET_OR_HASH) continue;
    const bech32 = isBech32Start(units, start);
    // Shorter than any hash or base58 address: only a bech32 address (`bc1…`, `tb1…`, `bcrt1…`) can be one.
    if (length < SHORTEST_BASE58_WALLET && !bech32) continue;
    // Each form is tested only on a run of its length and alphabet (what its pattern would check first).
    const hashType = HASH_TYPE_BY_LENGTH[length] ?? null;
    // An all-decimal run is a number (an id, a card, a timestamp), not a digest: the chance that a real
    // 32-hex-digit digest has no letter is about 3 in 10 million.
    const hash = hashType !== null && (kinds & OTHER_LETTER) === 0 && (kinds & HEX_LETTER) !== 0;
    const eth = length === 42 && units[start] === 0x30 && units[start + 1] === 0x78;
    const base58 =
      length >= SHORTEST_BASE58_WALLET &&
      length <= LONGEST_BASE58_WALLET &&
      BASE58_FIRST[units[start] as number] === 1;
    // (An Ethereum address holds an `x`, so it is never also a digest.)
    if (hash && hashType !== null) c.addSpan(hashType, start, end, PRIORITY.hash);
    if (!eth && !base58 && !bech32) continue;
    const token = text.slice(start, end);
    if (eth && ETH_TOKEN.test(token)) c.add('eth', start, end, PRIORITY.eth, token);
    if ((base58 && BTC_BASE58_TOKEN.test(token)) || (bech32 && BTC_BECH32_TOKEN.test(token)))
      c.add('btc', start, end, PRIORITY.btc, token);
  }
  // A CVE id starts at its `CVE`: the pattern (whose lookbehind would be evaluated at every character in a
  // global scan) runs once, sticky, at each occurrence of the word.
  CVE_WORD.lastIndex = 0;
  for (let w = CVE_WORD.exec(text); w !== null; w = CVE_WORD.exec(text)) {
    CVE_AT.lastIndex = w.index;
    const m = CVE_AT.exec(text);
    if (m) c.add('cve', m.index, m.index + m[0].length, PRIORITY.cve);
  }
}

/** ASCII digit. */
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/** A dot between two digits: every dot of a dotted quad is one. */
const dotInNumber = (text: CodeUnits, at: number) =>
  isDigit(text[at - 1] as number) && isDigit(text[at + 1] as number);

/** A dot followed by a letter or a non-ASCII character: a domain's last dot always is (its TLD starts with `\p{L}`). */
function dotBeforeLetter(text: CodeUnits, at: number): boolean {
  const next = text[at + 1] as number;
  return next >= 0x80 || (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a);
}

/**
 * IPv4 addresses and domains, from one pass over the dots: each is `scanRuns(text, units, '.', …)` with its
 * own run set, pattern and test of the dot (dotInNumber, dotBeforeLetter), run side by side. A dense dump
 * has a dot every few characters, and one walk over them costs half of two; the patterns still run once
 * per run, as before.
 */
function collectDotted(c: CandidateCollector, text: string, units: CodeUnits): void {
  const domains = new RunScan(DOMAIN_RUN, DOMAIN_AT);
  const addresses = new RunScan(IPV4_RUN, IPV4_AT);
  for (let at = nextDot(text, units, 0); at >= 0; at = nextDot(text, units, at + 1)) {
    if (at >= domains.from) {
      if (!dotBeforeLetter(units, at)) domains.skip(at);
      else if (domains.tryAt(text, units, at)) {
        const { start, end } = domains;
        // File names (`report.pdf`, `setup.py`, `invoice.zip`) are rejected (see `CandidateCollector.domain`);
        // inside a URL the scheme proves a host, and URLs win overlaps before domains are even considered.
        const selector = c.domain(start, end);
        if (selector !== null) c.push(start, end, PRIORITY.domain, selector);
      }
    }
    if (at >= addresses.from) {
      if (!dotInNumber(units, at)) addresses.skip(at);
      else if (addresses.tryAt(text, units, at)) {
        const { start, end } = addresses;
        if (!isVersionContext(text, start, end)) c.addSpan('ipv4', start, end, PRIORITY.ipv4);
      }
    }
  }
}

/** Next `.` at or after `from` (−1 when none): read close by first, as in run-scanner.ts `scanRuns`. */
function nextDot(text: string, units: CodeUnits, from: number): number {
  const near = Math.min(units.length, from + 32);
  for (let i = from; i < near; i++) if (units[i] === 0x2e) return i;
  return near === units.length ? -1 : text.indexOf('.', near);
}

function collectIpv6(c: CandidateCollector, text: string, units: CodeUnits): void {
  scanRuns(text, units, ':', IPV6_RUN, IPV6_AT, (start, end) => {
    let token = text.slice(start, end);
    // A sentence or a "host:port" may end the address with a dot or a colon; `::` is a valid ending.
    while (/[.:]$/.test(token) && !token.endsWith('::')) token = token.slice(0, -1);
    const groups = token.split(':').filter((g) => /[0-9A-Fa-f]/.test(g));
    const colons = token.split(':').length - 1;
    // Compressed (`::`) or full (seven colons), with two hex groups at least one of which is 3+ digits
    // (or three groups): rules out clock times (`12:30:45`), MAC addresses (`00:1a:2b:3c:4d:5e`), C++
    // scopes (`a::b`) and a bare `::` or `::1`.
    const substantial = groups.length >= 3 || (groups.length === 2 && groups.some((g) => g.length >= 3));
    if (!substantial || (!token.includes('::') && colons < 7)) return;
    const next = text[start + token.length] ?? '';
    if (/[\p{L}\p{N}_]/u.test(next)) return;
    c.add('ipv6', start, start + token.length, PRIORITY.ipv6, token);
  });
}

function addPhone(c: CandidateCollector, m: RegExpExecArray, region: string | undefined): void {
  const token = m[0];
  const international = token.startsWith('+');
  if (!international && region === undefined) return;
  const digits = digitCount(token);
  if (digits < 7 || digits > 15) return;
  if (NOT_A_PHONE.some((re) => re.test(token))) return;
  // A national number needs visible grouping (spaces, dashes, brackets): a bare run of digits is far more
  // often an order number, an id or an amount than a phone number.
  if (!international && !/[ \t()-]/.test(token)) return;
  c.add('phone', m.index, m.index + token.length, PRIORITY.phone);
}

function collectPhones(c: CandidateCollector, text: string, region: string | undefined): void {
  if (region !== undefined) {
    scan(PHONE_RE, text, (m) => addPhone(c, m, region));
    return;
  }
  // Without a region only international numbers count, and those start at a `+` (a national match
  // never contains one, so skipping them changes nothing else).
  let floor = 0;
  for (let at = text.indexOf('+'); at >= 0; at = text.indexOf('+', floor)) {
    PHONE_AT.lastIndex = at;
    const m = PHONE_AT.exec(text);
    floor = m ? at + m[0].length : at + 1;
    if (m) addPhone(c, m, region);
  }
}

/** Priority order of candidates `a` and `b`: higher priority, then longer, then earlier, then found first. */
function better(c: Candidates, a: number, b: number): number {
  const { start, end, priority } = c;
  return (
    (priority[b] as number) - (priority[a] as number) ||
    (end[b] as number) - (start[b] as number) - ((end[a] as number) - (start[a] as number)) ||
    (start[a] as number) - (start[b] as number) ||
    a - b
  );
}

/**
 * Candidate indices ordered by start, then by index. The collectors append their candidates in text
 * order, one collector after another, so the list is a few ascending runs: merged pairwise (stable), that
 * is linear per merge level and logarithmic in the number of runs, with no comparator call.
 */
function byStart(candidates: Candidates, buffers: Buffers): Int32Array {
  const n = candidates.length;
  const starts = candidates.start;
  // Boundaries of the ascending runs: run k is [bounds[k], bounds[k + 1]).
  const bounds = [0];
  for (let i = 1; i < n; i++) if ((starts[i] as number) < (starts[i - 1] as number)) bounds.push(i);
  bounds.push(n);
  let order = buffers.ints('order', n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = buffers.ints('spare', n);
  let runs = bounds;
  while (runs.length > 2) {
    const merged = [0];
    for (let k = 0; k + 1 < runs.length; k += 2) {
      const lo = runs[k] as number;
      const mid = runs[k + 1] as number;
      const hi = (runs[k + 2] ?? mid) as number;
      let a = lo;
      let b = mid;
      let o = lo;
      // Ties go to the left run, whose indices are smaller: the order stays by start, then by index.
      while (a < mid && b < hi) {
        const x = order[a] as number;
        const y = order[b] as number;
        if ((starts[y] as number) < (starts[x] as number)) {
          spare[o++] = y;
          b++;
        } else {
          spare[o++] = x;
          a++;
        }
      }
      while (a < mid) spare[o++] = order[a++] as number;
      while (b < hi) spare[o++] = order[b++] as number;
      merged.push(hi);
    }
    [order, spare] = [spare, order];
    runs = merged;
  }
  return order;
}

/**
 * Keeps the best reading of every stretch of text: candidates are taken by priority (then length) and a
 * candidate overlapping one already taken is dropped. Returns the winners' indices in text order.
 *
 * Candidates only compete with those they overlap, directly or through a chain, so the text is cut into
 * clusters of overlapping candidates (one sort by start) and the priority order is applied inside each:
 * the same winners as one priority order over the whole text, while the usual lone candidate costs no
 * comparison at all.
 */
function resolveOverlaps(candidates: Candidates, buffers: Buffers): number[] {
  const n = candidates.length;
  const { start, end } = candidates;
  const order = byStart(candidates, buffers);
  const winners: number[] = [];
  let i = 0;
  while (i < n) {
    const first = order[i] as number;
    let reach = end[first] as number;
    let j = i + 1;
    while (j < n && (start[order[j] as number] as number) < reach) {
      reach = Math.max(reach, end[order[j] as number] as number);
      j++;
    }
    if (j === i + 1) {
      winners.push(first);
    } else {
      const cluster = order.slice(i, j).sort((a, b) => better(candidates, a, b));
      // Characters already taken, relative to the cluster's start: linear in the cluster's extent.
      const from = start[first] as number;
      const used = new Uint8Array(reach - from);
      const taken: number[] = [];
      for (const index of cluster) {
        const s = (start[index] as number) - from;
        const e = (end[index] as number) - from;
        let free = true;
        for (let k = s; k < e; k++) {
          if (used[k] === 1) {
            free = false;
            break;
          }
        }
        if (!free) continue;
        used.fill(1, s, e);
        taken.push(index);
      }
      taken.sort(
        (a, b) => (start[a] as number) - (start[b] as number) || (end[a] as number) - (end[b] as number),
      );
      for (const index of taken) winners.push(index);
    }
    i = j;
  }
  return winners;
}

/**
 * The display value as written: `raw` itself when it normalises to the same selector (always true of text
 * that needed no refanging, which costs nothing here), else the refanged spelling.
 */
function asWritten(
  c: CandidateCollector,
  selector: NormalisedSelector,
  raw: string,
  refangedText: string,
  start: number,
  end: number,
): string {
  const written = raw.trim();
  if (written === refangedText.slice(start, end).trim()) return selector.displayValue;
  if (written.length === 0 || written.length > MAX_SELECTOR_INPUT_LENGTH) return selector.displayValue;
  const again = c.normalise(selector.type, written);
  return again !== null && again.selector.value === selector.value ? written : selector.displayValue;
}

/** True when the `length` units at `a` and at `b` are the same (and `length` is `expected`). */
function sameUnits(units: CodeUnits, a: number, b: number, length: number, expected: number): boolean {
  if (length !== expected) return false;
  for (let i = 0; i < length; i++) if (units[a + i] !== units[b + i]) return false;
  return true;
}

/** This thread's buffers for the text's code units (extraction is synchronous: one text at a time). */
const buffers = new Buffers();

function isAllowList(value: ExtractOptions['allowList']): value is AllowList {
  return value !== undefined && !Array.isArray(value) && 'domains' in (value as object);
}

/**
 * Finds every selector in `text`: refangs (keeping an offset map), detects each selector type of the data
 * model, normalises with core's `normaliseSelector`, drops the classic false positives, resolves overlaps
 * in favour of the more specific reading, and flags (never drops) allow-listed values. Offsets and `raw`
 * refer to the ORIGINAL text, so `text.slice(start, end) === raw` always holds.
 *
 * False-positive rules, each with a test in `extract-selectors.test.ts`:
 * - file names are not domains (`report.pdf`, `setup.py`; core's `isLikelyFileName`) unless in a URL;
 *   a domain also needs a public suffix (core's normaliser), so `config.local` is not one either;
 * - an IP address is never read as a phone number (dotted quads are refused as phones, and IPs win overlaps);
 * - version strings are not IPs (see {@link isVersionContext});
 * - a hash must be a whole hex run: bounded by non-alphanumerics, exactly 32/40/64/128 digits, not all
 *   decimal (so no MD5 inside a SHA-256, no digest inside `0x…` or a longer token);
 * - `user@host` is an e-mail; `@user@host` is a fediverse username; a bare `@handle` has no platform and
 *   is not extracted;
 * - phone numbers need a `+` unless the investigation has a default region, and national ones need
 *   visible grouping.
 */
export function extractSelectors(text: string, options: ExtractOptions = {}): ExtractedSelector[] {
  if (text.length === 0) return [];
  const refanged = refangWithOffsets(text, buffers);
  const t = refanged.text;
  const region = options.defaultRegion ?? undefined;
  const opts: NormaliseOptions = region ? { defaultRegion: region as CountryCode } : {};
  const collector = new CandidateCollector(t, refanged.units, opts, buffers);
  const units = refanged.units;
  collectUrls(collector, t, units);
  collectAccounts(collector, t, units);
  collectUsernames(collector, t, units);
  collectHexAndWallets(collector, t, units);
  collectIpv6(collector, t, units);
  collectDotted(collector, t, units);
  collectPhones(collector, t, region);

  const allowList = isAllowList(options.allowList)
    ? options.allowList
    : compileAllowList(options.allowList as readonly string[] | undefined);
  const max = options.maxMatches ?? DEFAULT_MAX_MATCHES;
  const out: ExtractedSelector[] = [];
  const candidates = collector.candidates;
  const spans = refanged.spans();
  for (const index of resolveOverlaps(candidates, buffers)) {
    if (out.length >= max) break;
    const start = candidates.start[index] as number;
    const end = candidates.end[index] as number;
    const found = candidates.selectors[index] as Found;
    const selector = found.selector;
    spans.map(start, end);
    const origStart = spans.start;
    const origEnd = spans.end;
    // A selector is mostly written the same way each time: its mentions share one string (the result holds
    // tens of thousands of mentions, and a string per mention is that much more for the collector to copy).
    let raw = found.written;
    if (
      raw === undefined ||
      !sameUnits(refanged.originalUnits, found.writtenStart, origStart, origEnd - origStart, raw.length)
    ) {
      raw = text.slice(origStart, origEnd);
      found.written = raw;
    }
    found.writtenStart = origStart;
    let reason = found.reason;
    if (reason === undefined) {
      reason = allowListReason(selector, allowList);
      found.reason = reason;
    }
    // A span no rewrite touched is the text as written, character for character: its display value is the
    // selector's own. A rewritten one is decided once per spelling (`evil[.]example` written the same way
    // every time is decided once).
    let displayValue = selector.displayValue;
    if (spans.rewritten) {
      if (found.raw !== raw) {
        found.raw = raw;
        found.displayValue = asWritten(collector, selector, raw, t, start, end);
      }
      displayValue = found.displayValue;
    }
    const mention: ExtractedSelector = {
      type: selector.type,
      value: selector.value,
      displayValue,
      start: origStart,
      end: origEnd,
      raw,
      attributes: selector.attributes,
      allowListed: reason !== null,
    };
    if (reason !== null) mention.allowListReason = reason;
    out.push(mention);
  }
  return out;
}
