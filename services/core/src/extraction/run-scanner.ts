/**
 * Scanning helpers that make extraction fast and keep it linear (docs/decisions/0016-linear-time-extraction.md).
 *
 * Every extraction pattern starts with a lookbehind such as `(?<![\p{L}\p{N}_.-])`: a match can only start
 * where a maximal run of those characters begins, so there is at most one attempt per run. Running such a
 * pattern globally still makes the engine evaluate the lookbehind at every character of the text, which
 * dominates on prose. Here the text is searched for an anchor the pattern cannot match without (`.` for a
 * domain, `@` for an e-mail address, `://` for a URL) with `indexOf`, the run around the anchor is found
 * by a character scan, and the pattern runs once, sticky, at the run's start: the same matches, in the same
 * order, and every character is visited a constant number of times.
 */

import { Buffer } from 'node:buffer';

/**
 * A text's UTF-16 code units as a typed array (see {@link codeUnits}): the scanners below read characters
 * from it rather than with `charCodeAt`.
 */
export type CodeUnits = Uint16Array;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `text`'s code units, copied by the native UTF-16 encoder. V8 compiles `charCodeAt` to a plain load only
 * while no class in the process extends `String` (ioredis's `VerbatimString` does, and the worker and the
 * API load ioredis); after one does, every call goes through the runtime and a character-by-character scan
 * runs about four times slower. A typed array reads at the same speed either way. `into` (at least as long
 * as the text) is filled instead of a new array, and a view of it returned.
 */
export function codeUnits(text: string, into?: Uint16Array): CodeUnits {
  const units = into === undefined ? new Uint16Array(text.length) : into.subarray(0, text.length);
  if (LITTLE_ENDIAN) Buffer.from(units.buffer, units.byteOffset, units.byteLength).write(text, 'utf16le');
  else for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

/** Marks which ASCII characters belong to a run; every non-ASCII letter or number belongs too. */
export type RunSet = Uint8Array;

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const nonAsciiCache = new Map<number, boolean>();

function nonAsciiLetterOrNumber(codePoint: number): boolean {
  let known = nonAsciiCache.get(codePoint);
  if (known === undefined) {
    known = LETTER_OR_NUMBER.test(String.fromCodePoint(codePoint));
    if (nonAsciiCache.size < 65_536) nonAsciiCache.set(codePoint, known);
  }
  return known;
}

/** A run set of ASCII letters, digits and `extra`, plus every non-ASCII letter or number (`\p{L}\p{N}`). */
export function runSet(extra: string): RunSet {
  const set = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9]/.test(ch) || extra.includes(ch)) set[c] = 1;
  }
  return set;
}

/** Length (1 or 2 code units) of the code point ending at `end` when it is in `set`, else 0. */
function memberBefore(text: CodeUnits, end: number, set: RunSet): number {
  const c = text[end - 1] as number;
  if (c < 128) return set[c] === 1 ? 1 : 0;
  if (c >= 0xdc00 && c <= 0xdfff && end >= 2) {
    const high = text[end - 2] as number;
    if (high >= 0xd800 && high <= 0xdbff) {
      return nonAsciiLetterOrNumber(((high - 0xd800) << 10) + (c - 0xdc00) + 0x10000) ? 2 : 0;
    }
  }
  return nonAsciiLetterOrNumber(c) ? 1 : 0;
}

/** Length (1 or 2 code units) of the code point starting at `start` when it is in `set`, else 0. */
export function memberAt(text: CodeUnits, start: number, set: RunSet): number {
  const c = text[start] as number;
  if (c < 128) return set[c] === 1 ? 1 : 0;
  if (c >= 0xd800 && c <= 0xdbff && start + 1 < text.length) {
    const low = text[start + 1] as number;
    if (low >= 0xdc00 && low <= 0xdfff) {
      return nonAsciiLetterOrNumber(((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000) ? 2 : 0;
    }
  }
  return nonAsciiLetterOrNumber(c) ? 1 : 0;
}

/** Start of the run of `set` characters that contains (or ends just before) `at`, not before `floor`. */
export function runStart(text: CodeUnits, at: number, set: RunSet, floor: number): number {
  let start = at;
  while (start > floor) {
    const n = memberBefore(text, start, set);
    if (n === 0) break;
    start -= n;
  }
  return start;
}

/** End (exclusive) of the run of `set` characters starting at or after `at`. */
export function runEnd(text: CodeUnits, at: number, set: RunSet): number {
  let end = at;
  while (end < text.length) {
    const n = memberAt(text, end, set);
    if (n === 0) break;
    end += n;
  }
  return end;
}

/** `re` made sticky (`y`): it then matches only at `lastIndex`, lookbehinds still reading what precedes. */
export function sticky(re: RegExp): RegExp {
  return new RegExp(re.source, `${re.flags.replace('g', '')}y`);
}

/**
 * Calls `fn(start, end)` for every match of `re` (sticky; its leading lookbehind excludes exactly `set`) in
 * `text` (whose code units are `units`), trying it once at the start of each maximal run of `set` characters that contains `anchor` (a
 * string every match contains, itself made of `set` characters). Matches come in text order and never
 * overlap, exactly as a global scan of the same pattern would give them. `worth` may skip an anchor
 * occurrence that no match could contain (a dot followed by a space cannot separate a domain's labels); a
 * run whose every anchor is skipped holds no match. The pattern runs with `test`, which leaves the match's
 * end in `lastIndex` and builds no match array: callers slice the text they need.
 */
export function scanRuns(
  text: string,
  units: CodeUnits,
  anchor: string,
  set: RunSet,
  re: RegExp,
  fn: (start: number, end: number) => void,
  /** Optional cheap test of an anchor at `at`: false when no match can hold this anchor occurrence. */
  worth?: (units: CodeUnits, at: number) => boolean,
): void {
  const runs = new RunScan(set, re, anchor.length);
  const code = anchor.length === 1 ? anchor.charCodeAt(0) : -1;
  for (
    let at = nextAnchor(text, units, anchor, code, 0);
    at >= 0;
    at = nextAnchor(text, units, anchor, code, runs.from)
  ) {
    // Skipped, but the run around it may still hold a match found from a later anchor: `floor` stays.
    if (worth && !worth(units, at)) runs.skip(at);
    else if (runs.tryAt(text, units, at)) fn(runs.start, runs.end);
  }
}

/**
 * One pattern's progress through the anchors of {@link scanRuns}, for a caller that walks the anchors
 * itself (several patterns sharing one walk): `from` is the first anchor position still to try, `floor`
 * where the next run may start, `[start, end)` the last match.
 */
export class RunScan {
  from = 0;
  floor = 0;
  start = 0;
  end = 0;

  constructor(
    private readonly set: RunSet,
    private readonly re: RegExp,
    private readonly anchorLength = 1,
  ) {}

  /** Passes over the anchor at `at` (no match can hold it). */
  skip(at: number): void {
    this.from = at + this.anchorLength;
  }

  /** Tries the pattern once at the start of the run around the anchor at `at`: true on a match. */
  tryAt(text: string, units: CodeUnits, at: number): boolean {
    const start = runStart(units, at, this.set, this.floor);
    const end = runEnd(units, at, this.set);
    const { re } = this;
    re.lastIndex = start;
    let matchEnd = 0;
    if (re.test(text)) {
      matchEnd = re.lastIndex;
      this.start = start;
      this.end = matchEnd;
    }
    this.floor = Math.max(end, matchEnd, at + this.anchorLength);
    this.from = this.floor;
    return matchEnd !== 0;
  }
}

/**
 * Next occurrence of `anchor` at or after `from` (−1 when none). A one-character anchor (`code`) is first
 * looked for in the code units close by: in a dense dump the next dot is a few characters away, where a
 * search call costs more than reading them.
 */
function nextAnchor(text: string, units: CodeUnits, anchor: string, code: number, from: number): number {
  if (code !== -1) {
    const near = Math.min(units.length, from + 32);
    for (let i = from; i < near; i++) if (units[i] === code) return i;
    if (near === units.length) return -1;
    return text.indexOf(anchor, near);
  }
  return text.indexOf(anchor, from);
}
