import { Buffer } from 'node:buffer';
import { anchoredPattern, REFANG_RULES, type RefangRule, ruleMatches } from '../selectors/refang.js';
import { type CodeUnits, codeUnits } from './run-scanner.js';

/**
 * `refang` (selectors/refang.ts) with a map back to the original text. Refanging changes lengths
 * (`evil[.]example` → `evil.example`, `hxxps` → `https`, `a [.] b` → `a.b`), yet a mention must point at the
 * evidence as written: the extractor matches on the refanged text and translates every span back through
 * the map built here.
 *
 * Both functions run core's one rule table (`REFANG_RULES`), in the same order, so they cannot drift apart;
 * `refang-offsets.test.ts` still asserts `refangWithOffsets(x).text === refang(x)` over the whole ioc-fanger
 * corpus and over generated text, which proves the edit bookkeeping below.
 */

/** Refanged text plus the way back to the original. */
export interface RefangedText {
  /** Same string `refang(original)` returns. */
  text: string;
  /** `text`'s code units (see run-scanner.ts `codeUnits`). */
  units: CodeUnits;
  /** The original text's code units. */
  originalUnits: CodeUnits;
  /** True when nothing was rewritten (`text === original`, offsets are the identity). */
  identity: boolean;
  /**
   * Maps a span `[start, end)` of `text` (end exclusive, `end > start`) to the span of the original it was
   * made from. A span that starts or ends inside a rewritten token widens to the whole token.
   */
  toOriginal(start: number, end: number): [start: number, end: number];
  /** `toOriginal(start, end)[0]`, without the pair. */
  originalStart(start: number): number;
  /** `toOriginal(start, end)[1]` for a span ending (exclusive) at `end > 0`, without the pair. */
  originalEnd(end: number): number;
  /** True when a rewrite touches `[start, end)`, i.e. the span is not the original text unchanged. */
  rewritten(start: number, end: number): boolean;
  /** A cursor mapping many spans, fastest when they come in text order (see {@link SpanCursor}). */
  spans(): SpanCursor;
}

/**
 * Maps spans of the refanged text to the original one at a time: `map(start, end)` (end exclusive,
 * `end > start`) sets `start` and `end` to `toOriginal(start, end)` and `rewritten` to
 * `rewritten(start, end)`. Spans in text order cost a step along the edits each (a dense dump maps tens of
 * thousands); any other order falls back to a binary search.
 */
export interface SpanCursor {
  map(start: number, end: number): void;
  start: number;
  end: number;
  rewritten: boolean;
}

/**
 * A rewritten stretch: `[outStart, outEnd)` of the current text was made from `[origStart, origEnd)` of
 * the original. Between edits the two texts run in step, so a sorted list of edits is the whole map
 * (memory proportional to the number of defanged tokens, not to the text).
 */
export interface Edit {
  outStart: number;
  outEnd: number;
  origStart: number;
  origEnd: number;
}

/** The last edit starting at or before `p`, by binary search over edits sorted by `outStart`. */
function editAt(edits: readonly Edit[], p: number): Edit | undefined {
  let lo = 0;
  let hi = edits.length - 1;
  let found: Edit | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const edit = edits[mid] as Edit;
    if (edit.outStart <= p) {
      found = edit;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Original offset where the character at `p` of the current text starts. */
function originalStart(edits: readonly Edit[], p: number): number {
  const edit = editAt(edits, p);
  if (!edit) return p;
  return p < edit.outEnd ? edit.origStart : edit.origEnd + (p - edit.outEnd);
}

/** Original offset where a span of the current text ending (exclusive) at `q > 0` ends. */
function originalEnd(edits: readonly Edit[], q: number): number {
  const edit = editAt(edits, q - 1);
  if (!edit) return q;
  return q - 1 < edit.outEnd ? edit.origEnd : edit.origEnd + (q - edit.outEnd);
}

/** The edits of a refanged text as parallel arrays sorted by `outStart`: the map, without an object per edit. */
interface EditMap {
  length: number;
  outStart: Int32Array;
  outEnd: Int32Array;
  origStart: Int32Array;
  origEnd: Int32Array;
}

function toEditMap(edits: readonly Edit[]): EditMap {
  const map: EditMap = {
    length: edits.length,
    outStart: new Int32Array(edits.length),
    outEnd: new Int32Array(edits.length),
    origStart: new Int32Array(edits.length),
    origEnd: new Int32Array(edits.length),
  };
  edits.forEach((e, i) => {
    map.outStart[i] = e.outStart;
    map.outEnd[i] = e.outEnd;
    map.origStart[i] = e.origStart;
    map.origEnd[i] = e.origEnd;
  });
  return map;
}

function toEdits(map: EditMap): Edit[] {
  return Array.from({ length: map.length }, (_, i) => ({
    outStart: map.outStart[i] as number,
    outEnd: map.outEnd[i] as number,
    origStart: map.origStart[i] as number,
    origEnd: map.origEnd[i] as number,
  }));
}

/**
 * Index of the last edit starting at or before `p` (−1 when none). `hint` is where the previous look-up
 * ended: spans are mostly mapped in text order, so the answer is usually there or a step further, and a
 * binary search over `outStart` is the fallback.
 */
function editIndexAt(map: EditMap, p: number, hint: number): number {
  const n = map.length;
  const starts = map.outStart;
  for (let i = hint; i >= 0 && i < n && i <= hint + 2; i++) {
    if ((starts[i] as number) <= p && (i + 1 === n || (starts[i + 1] as number) > p)) return i;
  }
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as number) <= p) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Applies one rule to `text` (whose edits relative to the original are `edits`), returning the new text and
 * edits, or null when the rule matches nothing. A new edit takes the original span of everything it
 * replaced, absorbing earlier edits it overlaps; edits after it shift by the length it changed.
 */
function applyRule(
  text: string,
  edits: readonly Edit[],
  rule: RefangRule,
): { text: string; edits: Edit[] } | null {
  const { replace } = rule;
  const pieces: string[] = [];
  const next: Edit[] = [];
  let matched = false;
  let cursor = 0;
  let delta = 0;
  let old = 0;
  const shifted = (e: Edit): Edit => ({
    outStart: e.outStart + delta,
    outEnd: e.outEnd + delta,
    origStart: e.origStart,
    origEnd: e.origEnd,
  });
  for (const match of ruleMatches(rule, text)) {
    const start = match.index;
    const token = match[0];
    if (token.length === 0) continue;
    matched = true;
    const end = start + token.length;
    const replacement = replace(token, ...(match.slice(1) as string[]));
    while (old < edits.length && (edits[old] as Edit).outEnd <= start)
      next.push(shifted(edits[old++] as Edit));
    const origStart = originalStart(edits, start);
    const origEnd = originalEnd(edits, end);
    while (old < edits.length && (edits[old] as Edit).outStart < end) old++;
    next.push({ outStart: start + delta, outEnd: start + delta + replacement.length, origStart, origEnd });
    pieces.push(text.slice(cursor, start), replacement);
    delta += replacement.length - token.length;
    cursor = end;
  }
  if (!matched) return null;
  while (old < edits.length) next.push(shifted(edits[old++] as Edit));
  pieces.push(text.slice(cursor));
  return { text: pieces.join(''), edits: next };
}

const WORD_ONLY = /^\w+$/;

/**
 * Matches of the rules on the ORIGINAL text, as parallel arrays: match `i` rewrites `[start[i], end[i])`
 * to `replacement(i)` for rule `rule[i]` (an index into REFANG_RULES); `inert[i]` is 1 when it swaps
 * letters for as many letters (`hxxp` → `http`: no blank, bracket or word boundary moves). A defanged dump
 * holds a match every few characters: no object per match.
 */
class Rewrites {
  length = 0;
  start: Int32Array;
  end: Int32Array;
  rule: Int32Array;
  inert: Uint8Array;
  /** Index into `replacements`, shared by every list of one text: rules mostly write the same few strings. */
  replacementIndex: Int32Array;

  constructor(
    readonly replacements: string[],
    capacity = 16,
    /** Where this list's arrays come from and, when they grow, go back to (see {@link Buffers}). */
    private readonly buffers?: Buffers,
  ) {
    const kept = buffers?.rewrites;
    if (kept !== undefined && kept.start.length >= capacity) {
      ({ start: this.start, end: this.end, rule: this.rule, inert: this.inert } = kept);
      this.replacementIndex = kept.replacementIndex;
      return;
    }
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.rule = new Int32Array(capacity);
    this.inert = new Uint8Array(capacity);
    this.replacementIndex = new Int32Array(capacity);
  }

  replacement(i: number): string {
    return this.replacements[this.replacementIndex[i] as number] as string;
  }

  /** Index of `replacement` in the shared list, added when new. */
  indexOf(replacement: string): number {
    const r = this.replacements.lastIndexOf(replacement);
    return r === -1 ? this.replacements.push(replacement) - 1 : r;
  }

  push(start: number, end: number, replacement: string, inert: boolean, rule: number): void {
    this.pushIndexed(start, end, this.indexOf(replacement), inert ? 1 : 0, rule);
  }

  pushIndexed(start: number, end: number, replacement: number, inert: number, rule: number): void {
    const i = this.length;
    if (i === this.start.length) this.grow(i * 4);
    this.start[i] = start;
    this.end[i] = end;
    this.rule[i] = rule;
    this.inert[i] = inert;
    this.replacementIndex[i] = replacement;
    this.length = i + 1;
  }

  /** A match of a pattern rule (`token` at `start`). */
  pushToken(start: number, token: string, replacement: string, rule: number): void {
    const inert = replacement.length === token.length && WORD_ONLY.test(token) && WORD_ONLY.test(replacement);
    this.push(start, start + token.length, replacement, inert, rule);
  }

  /** Copies match `i` of `from` (a list sharing the same `replacements`) to the end of this list. */
  pushFrom(from: Rewrites, i: number): void {
    this.pushIndexed(
      from.start[i] as number,
      from.end[i] as number,
      from.replacementIndex[i] as number,
      from.inert[i] as number,
      from.rule[i] as number,
    );
  }

  private grow(size: number): void {
    const grown = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.start = grown(this.start);
    this.end = grown(this.end);
    this.rule = grown(this.rule);
    this.replacementIndex = grown(this.replacementIndex);
    const inert = new Uint8Array(size);
    inert.set(this.inert);
    this.inert = inert;
    this.buffers?.keepRewrites(this);
  }
}

const BLANK = (c: number) => c === 0x20 || c === 0x09;
const OPENERS = '[({';
const isOpener = (c: number) => c === 0x5b || c === 0x28 || c === 0x7b;
const isCloser = (c: number) => c === 0x5d || c === 0x29 || c === 0x7d;

/**
 * The first characters a bracketed rule's inner token can start with, read from its pattern
 * (`…[\[({][ \t]*(?:\.|dot)[ \t]*…`, see `bracketed` in selectors/refang.ts), in every case when the
 * pattern ignores case; null when the pattern does not have that shape (the rule is then tried at every
 * bracket).
 */
function innerLeads(rule: RefangRule): Set<string> | null {
  const inner = /\[\\\[\(\{\]\[ \\t\]\*\(\?:(.+?)\)\[ \\t\]\*\[\\\]\)\}\]/.exec(rule.pattern.source)?.[1];
  if (inner === undefined) return null;
  const leads = new Set<string>();
  for (const alternative of inner.split('|')) {
    const lead = alternative.startsWith('\\') ? alternative[1] : alternative[0];
    if (lead === undefined || /[\\()[\]{}?*+|^$]/.test(lead)) return null;
    leads.add(lead);
    if (rule.pattern.flags.includes('i')) leads.add(lead.toLowerCase()).add(lead.toUpperCase());
  }
  return leads;
}

/** A bracketed rule (anchored on an opening bracket) with its pattern made sticky. */
interface BracketRule {
  index: number;
  rule: RefangRule;
  at: RegExp;
  /** The inner token's alternatives as literals (code units), when the pattern has exactly the bracketed shape. */
  literals: readonly CodeUnits[] | null;
  ignoreCase: boolean;
}

/**
 * The inner token's alternatives of a rule whose pattern is exactly `bracketed(inner)` (selectors/refang.ts)
 * with `inner` a list of literals (`\.|dot` → `.`, `dot`), or null. Such a rule is matched by
 * {@link matchLiterals} instead of its regex: the same matches, without a regex call per bracket.
 */
function innerLiterals(rule: RefangRule): string[] | null {
  const source = rule.pattern.source;
  const prefix = '(?<![ \\t])[ \\t]*[\\[({][ \\t]*(?:';
  const suffix = ')[ \\t]*[\\])}][ \\t]*';
  if (!source.startsWith(prefix) || !source.endsWith(suffix)) return null;
  const inner = source.slice(prefix.length, source.length - suffix.length);
  const literals: string[] = [];
  for (const alternative of inner.split('|')) {
    // Escaped characters stand for themselves; any other metacharacter means the inner token is a pattern.
    if (alternative === '' || /[\\()[\]{}?*+|^$.]/.test(alternative.replace(/\\[^A-Za-z0-9]/g, '')))
      return null;
    literals.push(alternative.replace(/\\([^A-Za-z0-9])/g, '$1'));
  }
  return literals;
}

/** ASCII letters folded to lower case, as a regex without the `u` flag compares under `i`. */
const fold = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

/**
 * End of the match of `bracketed(literals)` made sticky at `start`, whose opening bracket is at `p`
 * (`text[start, p)` being blanks), or −1: the blanks and the bracket, blanks, the first alternative that
 * is followed by blanks and a closing bracket, then the blanks after it, exactly as the anchored pattern
 * ({@link anchoredPattern}) reads them.
 */
function matchLiterals(
  text: CodeUnits,
  start: number,
  p: number,
  literals: readonly CodeUnits[],
  ignoreCase: boolean,
): number {
  if (!isOpener(text[p] as number)) return -1;
  const n = text.length;
  let q = p + 1;
  while (q < n && BLANK(text[q] as number)) q++;
  for (const literal of literals) {
    if (q + literal.length > n) continue;
    let k = 0;
    for (; k < literal.length; k++) {
      const c = text[q + k] as number;
      const l = literal[k] as number;
      if (c !== l && !(ignoreCase && fold(c) === fold(l))) break;
    }
    if (k < literal.length) continue;
    let r = q + literal.length;
    while (r < n && BLANK(text[r] as number)) r++;
    if (r >= n || !isCloser(text[r] as number)) continue;
    for (r++; r < n && BLANK(text[r] as number); r++);
    return r;
  }
  return -1;
}

const bracketRules: BracketRule[] = [];
/** Per ASCII character, the bracketed rules whose inner token can start with it. */
const rulesByLead: BracketRule[][] = Array.from({ length: 128 }, () => []);
/** Bracketed rules whose inner token's first characters could not be read: tried at every bracket. */
const rulesAlways: BracketRule[] = [];
REFANG_RULES.forEach((rule, index) => {
  if (rule.anchor === undefined || rule.anchor.source !== '[[({]') return;
  const b = {
    index,
    rule,
    at: anchoredPattern(rule),
    literals: rule.pattern.flags.includes('u')
      ? null
      : (innerLiterals(rule)?.map((literal) => codeUnits(literal)) ?? null),
    ignoreCase: rule.pattern.flags.includes('i'),
  };
  bracketRules.push(b);
  const leads = innerLeads(rule);
  if (leads === null || [...leads].some((lead) => lead.charCodeAt(0) >= 128)) rulesAlways.push(b);
  else for (const lead of leads) rulesByLead[lead.charCodeAt(0)]?.push(b);
});

/**
 * Next `[`, `(` or `{` at or after `from` (−1 when none): read from the code units close by (a defanged dump
 * has a bracket every few characters, where a search call costs more than the reading), else from the three
 * positions last found by the native search.
 */
function nextOpener(text: string, units: CodeUnits, from: number, next: number[]): number {
  const near = Math.min(units.length, from + 32);
  for (let i = from; i < near; i++) if (isOpener(units[i] as number)) return i;
  if (near === units.length) return -1;
  let best = -1;
  for (let k = 0; k < 3; k++) {
    let at = next[k] as number;
    if (at !== -1 && at < near) {
      at = text.indexOf(OPENERS[k] as string, near);
      next[k] = at;
    }
    if (at !== -1 && (best === -1 || at < best)) best = at;
  }
  return best;
}

/**
 * The replacements every text starts with: each fixed-replacement rule's literal (`RefangRule.literal`), so
 * a match of such a rule is recorded without calling its replacer or searching the list.
 */
const SEEDED_REPLACEMENTS = [
  ...new Set(REFANG_RULES.flatMap((rule) => (rule.literal === undefined ? [] : [rule.literal]))),
];
/** Per rule, the index of its literal in {@link SEEDED_REPLACEMENTS}, or −1. */
const LITERAL_INDEX = REFANG_RULES.map((rule) =>
  rule.literal === undefined ? -1 : SEEDED_REPLACEMENTS.indexOf(rule.literal),
);

/**
 * The bracketed rules' matches are merged, as they are found, with the other rules' (`others`, in text
 * order): `next` is the first of those not copied yet.
 */
interface Merge {
  others: Rewrites;
  next: number;
}

/** Tries `rules` at the opening bracket `p`, each from the blanks before it (not before its last match). */
function tryBracketRules(
  text: string,
  units: CodeUnits,
  p: number,
  rules: BracketRule[],
  floors: number[],
  out: Rewrites,
  merge: Merge,
): void {
  for (const b of rules) {
    const floor = floors[b.index] as number;
    if (p < floor) continue;
    let start = p;
    while (start > floor && BLANK(units[start - 1] as number)) start--;
    let end: number;
    if (b.literals !== null) {
      end = matchLiterals(units, start, p, b.literals, b.ignoreCase);
      if (end === -1) continue;
    } else {
      b.at.lastIndex = start;
      // `test` on a sticky pattern leaves `lastIndex` at the match's end, without building a match array.
      if (!b.at.test(text) || b.at.lastIndex === start) continue;
      end = b.at.lastIndex;
    }
    floors[b.index] = end;
    // The other rules' matches first, those starting here included (as a merge of the lists would order them).
    const { others } = merge;
    while (merge.next < others.length && (others.start[merge.next] as number) <= start)
      out.pushFrom(others, merge.next++);
    const literal = LITERAL_INDEX[b.index] as number;
    const replacement = literal !== -1 ? literal : out.indexOf(b.rule.replace(text.slice(start, end)));
    // A bracketed match holds a bracket: never inert.
    out.pushIndexed(start, end, replacement, 0, b.index);
  }
}

/**
 * Every rule's matches on the ORIGINAL text, as each rule would find them on its own, in text order: the
 * bracketed rules from one scan over the opening brackets (each tried only where its inner token can
 * start), the others through `ruleMatches`, then merged. Matches with the same start overlap, which the
 * caller refuses whatever their order.
 */
function matchesOnOriginal(text: string, units: CodeUnits, buffers?: Buffers): Rewrites {
  const replacements = SEEDED_REPLACEMENTS.slice();
  const lists: Rewrites[] = [];
  REFANG_RULES.forEach((rule, r) => {
    if (rule.anchor !== undefined && rule.anchor.source === '[[({]') return;
    if (rule.needles && !rule.needles.some((needle) => text.includes(needle))) return;
    const list = new Rewrites(replacements);
    for (const m of ruleMatches(rule, text)) {
      if (m[0].length === 0) continue;
      list.pushToken(m.index, m[0], rule.literal ?? rule.replace(m[0], ...(m.slice(1) as string[])), r);
    }
    if (list.length > 0) lists.push(list);
  });
  const others = inTextOrder(lists, replacements);
  if (bracketRules.length === 0) return others;
  const all = new Rewrites(replacements, 256 + others.length, buffers);
  const merge: Merge = { others, next: 0 };
  const floors = REFANG_RULES.map(() => 0);
  const n = text.length;
  // Not searched yet: below every `from`, so the first call searches for each bracket.
  const next = [-2, -2, -2];
  for (let p = nextOpener(text, units, 0, next); p !== -1; p = nextOpener(text, units, p + 1, next)) {
    let q = p + 1;
    while (q < n && BLANK(units[q] as number)) q++;
    const lead = units[q] as number;
    if (lead < 128) tryBracketRules(text, units, p, rulesByLead[lead] as BracketRule[], floors, all, merge);
    if (rulesAlways.length > 0) tryBracketRules(text, units, p, rulesAlways, floors, all, merge);
  }
  if (all.length === 0) return others;
  while (merge.next < others.length) all.pushFrom(others, merge.next++);
  return all;
}

/**
 * One pass instead of one per rule, when that provably gives the same text: every rule's matches, found on
 * the original, are applied at once. Rules run in sequence may interact only where their matches touch or
 * overlap (a match's leading blanks, its lookbehind, the word before a spelled-out `dot`), or where a
 * replacement lands between an opening and a closing bracket and becomes another rule's inner token
 * (`[[.]]`); the scheme rules (`hxxp`, `fxp`) swap letters for letters of the same length and interact with
 * nothing. Returns null when any match touches another or sits between brackets: the caller then applies
 * the rules one after another. `refang-offsets.test.ts` checks both paths against `refang`.
 */
export function refangInOnePass(text: string): { text: string; edits: Edit[] } | null {
  const r = onePass(text, codeUnits(text));
  return r && { text: r.text, edits: toEdits(r.map) };
}

/** {@link refangInOnePass}, with the map as arrays. */
function onePass(
  text: string,
  units: CodeUnits,
  buffers?: Buffers,
): { text: string; map: EditMap; units: CodeUnits } | null {
  const all = matchesOnOriginal(text, units, buffers);
  const n = all.length;
  const { start, end, rule, inert } = all;
  // `from`: where the current group of touching matches of one rule starts (`[.][.]`: one rule's pass finds
  // them side by side on any text, so they cannot interact; the group as a whole must not sit between
  // brackets).
  let from = n > 0 ? (start[0] as number) : 0;
  for (let i = 0; i < n; i++) {
    const mStart = start[i] as number;
    const mEnd = end[i] as number;
    if (isOpener(units[mStart - 1] as number) && isCloser(units[mEnd] as number)) return null;
    if (i + 1 < n) {
      const nextStart = start[i + 1] as number;
      if (nextStart < mEnd) return null;
      if (nextStart === mEnd) {
        if (rule[i + 1] === rule[i]) continue;
        if (inert[i] === 0 && inert[i + 1] === 0) return null;
      }
    }
    if (isOpener(units[from - 1] as number) && isCloser(units[mEnd] as number)) return null;
    if (i + 1 < n) from = start[i + 1] as number;
  }
  // The matches double as the map: their spans in the original, and where they land in the result.
  const map: EditMap = {
    length: n,
    outStart: buffers ? buffers.ints('outStart', n) : new Int32Array(n),
    outEnd: buffers ? buffers.ints('outEnd', n) : new Int32Array(n),
    origStart: start.subarray(0, n),
    origEnd: end.subarray(0, n),
  };
  const lengths = Int32Array.from(all.replacements, (r) => r.length);
  const { replacementIndex } = all;
  let delta = 0;
  for (let i = 0; i < n; i++) {
    const length = lengths[replacementIndex[i] as number] as number;
    const outStart = (start[i] as number) + delta;
    map.outStart[i] = outStart;
    map.outEnd[i] = outStart + length;
    delta += length - ((end[i] as number) - (start[i] as number));
  }
  if (n === 0) return { text, map, units };
  const oneByte = !all.replacements.some((r) => WIDE.test(r)) && !WIDE.test(text);
  if (oneByte) return { ...spliceOneByte(units, all, text.length + delta, buffers), map };
  const out = splice(text, all);
  return { text: out, map, units: codeUnits(out) };
}

/** A character outside Latin-1: text without one is one byte per character, which the Buffer path copies. */
const WIDE = /[\u0100-\uffff]/;

/** Applies the rewrites (in text order, none overlapping) by joining the pieces between them. */
function splice(text: string, all: Rewrites): string {
  const pieces: string[] = [];
  let cursor = 0;
  for (let i = 0; i < all.length; i++) {
    pieces.push(text.slice(cursor, all.start[i]), all.replacement(i));
    cursor = all.end[i] as number;
  }
  pieces.push(text.slice(cursor));
  return pieces.join('');
}

/**
 * {@link splice} for Latin-1 text and replacements, into one buffer: a defanged indicator dump holds a
 * rewrite every few characters, and copying bytes costs a fraction of allocating a string per piece.
 */
function spliceOneByte(
  text: CodeUnits,
  all: Rewrites,
  length: number,
  buffers?: Buffers,
): { text: string; units: CodeUnits } {
  // The result twice: as bytes to decode into the string, and as the code units the scanners read.
  const out = buffers ? buffers.bytes(length) : Buffer.allocUnsafe(length);
  const units = buffers ? buffers.units('refanged', length) : new Uint16Array(length);
  const replacements = all.replacements.map((r) => codeUnits(r));
  const { replacementIndex } = all;
  let o = 0;
  let cursor = 0;
  for (let i = 0; i < all.length; i++) {
    o = copyUnits(text, cursor, all.start[i] as number, out, units, o);
    const r = replacements[replacementIndex[i] as number] as CodeUnits;
    for (let k = 0; k < r.length; k++) {
      const c = r[k] as number;
      out[o] = c;
      units[o++] = c;
    }
    cursor = all.end[i] as number;
  }
  copyUnits(text, cursor, text.length, out, units, o);
  // Decoded in pieces under Node's external-string threshold (about 1 MB) and joined: one flat string in
  // the engine's heap, which the scans read faster than a large external one.
  const pieces: string[] = [];
  for (let at = 0; at < length; at += DECODE_PIECE)
    pieces.push(out.toString('latin1', at, Math.min(length, at + DECODE_PIECE)));
  return { text: pieces.join(''), units };
}

/** Copies `text[from, to)` to `bytes` and `units` at `o`; returns the offset after it. */
function copyUnits(
  text: CodeUnits,
  from: number,
  to: number,
  bytes: Uint8Array,
  units: CodeUnits,
  o: number,
): number {
  // Short stretches unit by unit, long ones by the native copies (a call costs more than a few units do).
  if (to - from >= 64) {
    const stretch = text.subarray(from, to);
    units.set(stretch, o);
    bytes.set(stretch, o);
    return o + (to - from);
  }
  let at = o;
  for (let k = from; k < to; k++) {
    const c = text[k] as number;
    bytes[at] = c;
    units[at++] = c;
  }
  return at;
}

/** Bytes decoded at a time by {@link spliceOneByte}. */
const DECODE_PIECE = 1 << 19;

/** Lists of matches, each in text order, merged into one list in text order. */
function inTextOrder(lists: Rewrites[], replacements: string[]): Rewrites {
  if (lists.length === 0) return new Rewrites(replacements);
  if (lists.length === 1) return lists[0] as Rewrites;
  const merged = new Rewrites(replacements);
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    let bestStart = 0;
    for (let k = 0; k < lists.length; k++) {
      const list = lists[k] as Rewrites;
      const i = at[k] as number;
      if (i < list.length && (best === -1 || (list.start[i] as number) < bestStart)) {
        best = k;
        bestStart = list.start[i] as number;
      }
    }
    if (best === -1) return merged;
    merged.pushFrom(lists[best] as Rewrites, at[best] as number);
    at[best] = (at[best] as number) + 1;
  }
}

/** The rules applied one after another, as `refang` does, each pass carrying the map forward. */
export function refangRuleByRule(original: string): { text: string; edits: Edit[] } {
  let text = original;
  let edits: Edit[] = [];
  for (const rule of REFANG_RULES) {
    if (rule.needles && !rule.needles.some((needle) => text.includes(needle))) continue;
    const next = applyRule(text, edits, rule);
    if (next) {
      text = next.text;
      edits = next.edits;
    }
  }
  return { text, edits };
}

class EditCursor implements SpanCursor {
  start = 0;
  end = 0;
  rewritten = false;
  /** The last edit starting at or before the previous span's last character (−1 when none). */
  private at = -1;

  constructor(private readonly edits: EditMap) {}

  map(start: number, end: number): void {
    const { length, outStart, outEnd, origStart, origEnd } = this.edits;
    if (length === 0) {
      this.start = start;
      this.end = end;
      this.rewritten = false;
      return;
    }
    let i = this.at;
    if (i !== -1 && (outStart[i] as number) > start) i = editIndexAt(this.edits, start, 0);
    while (i + 1 < length && (outStart[i + 1] as number) <= start) i++;
    if (i === -1) this.start = start;
    else {
      const e = outEnd[i] as number;
      this.start = start < e ? (origStart[i] as number) : (origEnd[i] as number) + (start - e);
    }
    const last = end - 1;
    while (i + 1 < length && (outStart[i + 1] as number) <= last) i++;
    if (i === -1) {
      this.end = end;
      this.rewritten = false;
    } else {
      const e = outEnd[i] as number;
      this.end = last < e ? (origEnd[i] as number) : (origEnd[i] as number) + (end - e);
      this.rewritten = e > start;
    }
    this.at = i;
  }
}

/**
 * Buffers one caller reuses from one text to the next (`extractSelectors`, which is done with a refanged
 * text before it reads another): the code units of both texts, the bytes of the refanged one, the list of
 * rewrites, the offset map and the extractor's candidate arrays. Fresh arrays of a few megabytes are mapped
 * and faulted in page by page on every call, and their external memory drives the collector: with them a
 * text with nothing to find ran at about half the speed, and refanging a 2 MB dump took about 2,000 page
 * faults, 900 with these. What is kept is bounded ({@link KEPT_UNITS}, {@link KEPT_INTS}: an 8 M-character
 * text's worth) and let go {@link RELEASE_AFTER_MS} after the last text, so an idle thread holds nothing.
 */
export class Buffers {
  private readonly kept = new Map<string, Uint16Array>();
  private readonly keptInts = new Map<string, Int32Array>();
  private keptBytes: Buffer | undefined;
  /** The arrays of the last text's list of rewrites, when they grew to hold it. */
  rewrites: Pick<Rewrites, 'start' | 'end' | 'rule' | 'inert' | 'replacementIndex'> | undefined;
  private release: NodeJS.Timeout | undefined;

  /** Called for each text: what is kept is let go {@link RELEASE_AFTER_MS} after the last one. */
  use(): void {
    if (this.release !== undefined) {
      this.release.refresh();
      return;
    }
    this.release = setTimeout(() => {
      this.kept.clear();
      this.keptInts.clear();
      this.keptBytes = undefined;
      this.rewrites = undefined;
      this.release = undefined;
    }, RELEASE_AFTER_MS);
    this.release.unref();
  }

  keepRewrites(list: Rewrites): void {
    if (list.start.length > KEPT_INTS) return;
    const { start, end, rule, inert, replacementIndex } = list;
    this.rewrites = { start, end, rule, inert, replacementIndex };
  }

  /** A kept array of at least `length` ints named `name`, whole (a caller that grows it hands it back). */
  wholeInts(name: string, length: number): Int32Array {
    const ints = this.keptInts.get(name);
    return ints !== undefined && ints.length >= length ? ints : new Int32Array(length);
  }

  /** Keeps `ints` as `name` (a grown array), unless it is over the size kept. */
  keepInts(name: string, ints: Int32Array): void {
    if (ints.length <= KEPT_INTS) this.keptInts.set(name, ints);
  }

  ints(name: string, length: number): Int32Array {
    return keptView(this.keptInts, name, length, KEPT_INTS, 1 << 12, (n) => new Int32Array(n));
  }

  units(name: 'original' | 'refanged', length: number): Uint16Array {
    return keptView(this.kept, name, length, KEPT_UNITS, 1 << 16, (n) => new Uint16Array(n));
  }

  bytes(length: number): Buffer {
    if (length > KEPT_UNITS) return Buffer.allocUnsafe(length);
    if (this.keptBytes === undefined || this.keptBytes.length < length)
      this.keptBytes = Buffer.allocUnsafeSlow(Math.max(length, 1 << 16));
    return this.keptBytes.subarray(0, length);
  }
}

/**
 * The first `length` elements of the array kept as `name` in `store`, grown (to at least `least`) and kept
 * when it is too short; a fresh array, not kept, when `length` is over `most`.
 */
function keptView<A extends Int32Array | Uint16Array>(
  store: Map<string, A>,
  name: string,
  length: number,
  most: number,
  least: number,
  make: (length: number) => A,
): A {
  if (length > most) return make(length);
  let array = store.get(name);
  if (array === undefined || array.length < length) {
    array = make(Math.max(length, least));
    store.set(name, array);
  }
  return array.subarray(0, length) as A;
}

/** Longest text whose buffers {@link Buffers} keeps (8 M characters: 16 MB of code units). */
const KEPT_UNITS = 1 << 23;
/** Longest list of ints {@link Buffers} keeps (4 M: 16 MB). */
const KEPT_INTS = 1 << 22;
/** {@link Buffers} lets go of what it keeps once no text has come for this long. */
const RELEASE_AFTER_MS = 10_000;

/**
 * Refangs `original` exactly like core's `refang` and keeps an offset map, so a match found in the
 * refanged text can be reported at its place in the original. Text without defanging costs one regex test
 * per rule and no allocation. With `buffers` the result's code units live in them, valid until their next
 * use.
 */
export function refangWithOffsets(original: string, buffers?: Buffers): RefangedText {
  buffers?.use();
  const originalUnits = codeUnits(original, buffers?.units('original', original.length));
  const fast = onePass(original, originalUnits, buffers);
  let text: string;
  let map: EditMap;
  let units: CodeUnits;
  if (fast !== null) {
    ({ text, map, units } = fast);
  } else {
    const slow = refangRuleByRule(original);
    text = slow.text;
    map = toEditMap(slow.edits);
    units = codeUnits(text);
  }
  const identity = map.length === 0;
  /** Where the last look-up landed (see `editIndexAt`). */
  let hint = 0;
  const at = (p: number) => {
    hint = editIndexAt(map, p, hint);
    return hint;
  };
  const startOf = (p: number) => {
    const i = identity ? -1 : at(p);
    if (i === -1) return p;
    const outEnd = map.outEnd[i] as number;
    return p < outEnd ? (map.origStart[i] as number) : (map.origEnd[i] as number) + (p - outEnd);
  };
  const endOf = (q: number) => {
    const i = identity ? -1 : at(q - 1);
    if (i === -1) return q;
    const outEnd = map.outEnd[i] as number;
    return q - 1 < outEnd ? (map.origEnd[i] as number) : (map.origEnd[i] as number) + (q - outEnd);
  };
  return {
    text,
    units,
    originalUnits,
    identity,
    toOriginal(start, end) {
      if (end <= start) throw new RangeError(`empty span [${start}, ${end})`);
      return [startOf(start), endOf(end)];
    },
    originalStart: startOf,
    originalEnd: endOf,
    rewritten(start, end) {
      if (identity) return false;
      // The last edit starting before `end` is the only one that can reach into the span.
      const i = at(end - 1);
      return i !== -1 && (map.outEnd[i] as number) > start;
    },
    spans: () => new EditCursor(map),
  };
}
