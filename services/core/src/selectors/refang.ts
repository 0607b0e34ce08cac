import type { SelectorType } from '@osint/contracts';
import { SelectorError } from './selector-error.js';

/**
 * Threat reports "defang" indicators (`hxxp://evil[.]example`) so nobody clicks them and mail filters do
 * not trip. Before an indicator can be matched against anything it has to be turned back into its real
 * form. Each rule below is a literal token an analyst or tool writes; they are deliberately narrow (a
 * bracket, parenthesis or brace around the replaced character or word) so ordinary prose survives.
 */

export type RefangReplacer = (match: string, ...groups: string[]) => string;

/**
 * One rewrite. `needles` (when set) are substrings without which the pattern cannot match: checked with
 * `includes`, they skip the regex on the (usual) text that has nothing for this rule.
 */
export interface RefangRule {
  readonly pattern: RegExp;
  readonly replace: RefangReplacer;
  readonly needles?: readonly string[];
  /**
   * For a pattern that starts with a blank run (and so with a lookbehind the engine would evaluate at every
   * character): a cheap global pattern finding the token every match holds right after its leading blanks
   * (a bracket, the word `dot`). {@link ruleMatches} then tries the pattern only at the blank run before each
   * such token: the same matches, found by scanning for the token instead of trying every position.
   */
  readonly anchor?: RegExp;
  /** Set when `replace` always returns this string, whatever it matched: callers may skip the call. */
  readonly literal?: string;
}

/** Start of the run of spaces and tabs that ends at `at`, not before `floor`. */
function blanksBefore(text: string, at: number, floor: number): number {
  let start = at;
  while (start > floor) {
    const c = text.charCodeAt(start - 1);
    if (c !== 0x20 && c !== 0x09) break;
    start--;
  }
  return start;
}

/**
 * The lookbehind a pattern starting with a blank run opens with (see `bracketed`): it only tells a scan that
 * tries every position where a match may start (at the first blank of a run).
 */
const RUN_START = '(?<![ \\t])';

/** Per rule, its pattern as tried at a chosen start (see {@link anchoredPattern}), built once. */
const anchored = new WeakMap<RefangRule, RegExp>();

/**
 * `rule.pattern` made sticky (`y`) and without a leading {@link RUN_START}, to try at a start the caller
 * chose: the first blank of a run, or, when the rule's previous match took the blanks before this token, the
 * end of that match. The lookbehind would refuse the second (it reads the blank the previous match
 * replaced), leaving `(at) [at]` as `@[at]`, which a second refang turns into `@@`. Shared by
 * {@link ruleMatches} and `refangWithOffsets`'s bracket scan; each sets `lastIndex` right before each use.
 */
export function anchoredPattern(rule: RefangRule): RegExp {
  let at = anchored.get(rule);
  if (at === undefined) {
    const { source, flags } = rule.pattern;
    at = new RegExp(
      source.startsWith(RUN_START) ? source.slice(RUN_START.length) : source,
      `${flags.replace('g', '')}y`,
    );
    anchored.set(rule, at);
  }
  return at;
}

/** Per rule, its anchor made global: built once, reused by every call. */
const anchors = new WeakMap<RefangRule, RegExp>();

/**
 * Every match of `rule` in `text`, in order, as `text.matchAll(rule.pattern)` gives them, except that a
 * token right after the rule's previous match is matched even when that match took the blanks before it
 * (see {@link anchoredPattern}): one pass then leaves nothing side by side for a second pass to rewrite
 * (brackets nested around a token still lose one layer per pass, see {@link refangSettled}). A rule with an
 * `anchor` is tried once per anchor token, at the start of the blanks before it; each character is read a
 * constant number of times either way.
 */
export function* ruleMatches(rule: RefangRule, text: string): Generator<RegExpExecArray> {
  const { anchor, pattern } = rule;
  if (!anchor) {
    pattern.lastIndex = 0;
    yield* text.matchAll(pattern);
    return;
  }
  let find = anchors.get(rule);
  if (find === undefined) {
    find = new RegExp(anchor.source, anchor.flags.includes('g') ? anchor.flags : `${anchor.flags}g`);
    anchors.set(rule, find);
  }
  const at = anchoredPattern(rule);
  find.lastIndex = 0;
  let floor = 0;
  for (let token = find.exec(text); token !== null; token = find.exec(text)) {
    at.lastIndex = blanksBefore(text, token.index, floor);
    const match = at.exec(text);
    if (match && match[0].length > 0) {
      floor = match.index + match[0].length;
      find.lastIndex = floor;
      yield match;
    } else {
      find.lastIndex = token.index + 1;
    }
  }
}

/** A rule part whose replacer ignores the match: most rules swap a whole token for a fixed string. */
const to = (literal: string) => ({ replace: () => literal, literal });

/** Horizontal whitespace that defangers like to put around the bracketed token: `example [.] com`. */
const PAD = '[ \\t]*';
const OPEN = '[\\[({]';
const CLOSE = '[\\])}]';

/**
 * `[.]`, ` ( dot ) ` and the like, with the horizontal whitespace around them. The leading `(?<![ \t])`
 * keeps the pattern linear: without it the engine would try a match from every blank of a long run of
 * blanks, each attempt scanning the rest of the run (`"a" + 40,000 spaces + "b"` took seconds). With it an
 * attempt starts only at the first blank of a run (or at a bracket), and any match that could start later
 * in the run also starts there, so nothing is lost. Every other part is a fixed token or a blank run that
 * only this attempt reads.
 */
function bracketed(inner: string): RegExp {
  return new RegExp(`(?<![ \\t])${PAD}${OPEN}${PAD}(?:${inner})${PAD}${CLOSE}${PAD}`, 'gi');
}

/** Every bracketed rule's anchor: the opening bracket after its leading blanks. */
const OPENING_BRACKET = /[[({]/g;

/** `the`, `The`, `THE`: prose capitalises a word at the start of a sentence or shouts it. */
const spellings = (words: string) =>
  words
    .split(' ')
    .flatMap((w) => [w, w[0]?.toUpperCase() + w.slice(1), w.toUpperCase()])
    .join('|');

/**
 * Words that make "x dot y" prose rather than a spelled-out domain. Several of the right-hand ones are
 * delegated TLDs (`.to`, `.in`, `.is`, `.it`, `.as`, `.by`, `.be`, `.me`, `.my`, `.no`, `.so`, `.us`,
 * `.at`, `.on`), so "connect the dot to the line" would otherwise become the domain `the.to`. A defanger
 * writing one of these names is better served by `[.]`, which is always refanged.
 */
const PROSE_BEFORE_DOT = spellings(
  'a an the this that these those each every any one no per its his her their our your my same first last next final single tiny small little big black red white blue green yellow polka',
);
const PROSE_AFTER_DOT = spellings(
  'to in on of at and or is it as by be me my no so us we he if the a an for with from into onto over under per',
);

/**
 * The rules, in order. `refang` applies them with `String.replace`; `refangWithOffsets`
 * (extraction/refang-offsets.ts) applies the same table while keeping a map back to the original text.
 *
 * Every pattern runs in time linear in the text (docs/decisions/0016-linear-time-extraction.md): each is a
 * fixed-length token, or starts only where a run of the characters it repeats begins (a `\b`, a
 * lookbehind), so no character is scanned by more than a constant number of attempts. The adversarial
 * corpus (extraction/adversarial-corpus.ts) and `npm run bench:hostile` check this.
 */
export const REFANG_RULES: readonly RefangRule[] = [
  // Schemes: hxxp, hXXp, hxxps, hXXps (any case of the x's) and fxp. Always rewritten to lowercase.
  {
    pattern: /\b[hH][xX]{2}[pP]([sS]?)\b/g,
    replace: (_m, s = '') => `http${s.toLowerCase()}`,
    needles: ['xx', 'xX', 'Xx', 'XX'],
  },
  { pattern: /\b[fF][xX][pP]\b/g, ...to('ftp'), needles: ['xp', 'xP', 'Xp', 'XP'] },
  // Scheme separators and slashes: [://], [:], [/] (also in () or {}).
  { pattern: bracketed(':\\/\\/'), anchor: OPENING_BRACKET, ...to('://') },
  { pattern: bracketed(':'), anchor: OPENING_BRACKET, ...to(':') },
  { pattern: bracketed('\\/'), anchor: OPENING_BRACKET, ...to('/') },
  // Dots: [.] (.) {.} [dot] (dot) {dot} and the comma variant [,].
  { pattern: bracketed('\\.|dot'), anchor: OPENING_BRACKET, ...to('.') },
  { pattern: /\[,\]/g, ...to('.'), needles: ['[,]'] },
  // " dot " / " DOT " between two alphanumerics (not "Dot": mixed case is prose, not defanging), unless a
  // word on either side makes it prose ("the dot to", "a dot on"): see PROSE_BEFORE_DOT.
  {
    pattern: new RegExp(
      `(?<=[A-Za-z0-9])(?<!(?<![A-Za-z0-9-])(?:${PROSE_BEFORE_DOT}))[ \\t]+(?:dot|DOT)[ \\t]+(?=[A-Za-z0-9])(?!(?:${PROSE_AFTER_DOT})(?![A-Za-z0-9-]))`,
      'g',
    ),
    ...to('.'),
    needles: ['dot', 'DOT'],
    anchor: /dot|DOT/g,
  },
  // At signs: [@] [at] (at) {at}.
  { pattern: bracketed('@|at'), anchor: OPENING_BRACKET, ...to('@') },
];

/**
 * Turns defanged indicators in `text` back into their live form (`hxxp://a[.]example` →
 * `http://a.example`). Text without defanging is returned unchanged, so it is safe to run on every pasted
 * value and every extracted document. Running it again changes nothing, except where brackets are nested
 * around a defanged token (`a[[.]]b` → `a[.]b`): each call peels one layer. A value that must not change
 * when refanged again (a selector's match key) goes through {@link refangSettled}.
 */
export function refang(text: string): string {
  let out = text;
  for (const rule of REFANG_RULES) {
    if (rule.needles && !rule.needles.some((needle) => out.includes(needle))) continue;
    const pieces: string[] = [];
    let cursor = 0;
    for (const match of ruleMatches(rule, out)) {
      pieces.push(out.slice(cursor, match.index), rule.replace(match[0], ...(match.slice(1) as string[])));
      cursor = match.index + match[0].length;
    }
    if (pieces.length === 0) continue;
    pieces.push(out.slice(cursor));
    out = pieces.join('');
  }
  return out;
}

/** Layers of brackets nested around one defanged token (`a[[[.]]]b` has three) that refangSettled peels. */
export const MAX_REFANG_LAYERS = 4;

/**
 * {@link refang} repeated until it changes nothing, or null when brackets nested more than
 * {@link MAX_REFANG_LAYERS} deep would need more passes. A normalised selector is built from this, so
 * normalising it again refangs nothing and gives the same value. The passes are bounded, so the cost stays a
 * constant times one pass whatever the nesting.
 */
export function refangSettled(text: string): string | null {
  let current = text;
  for (let pass = 0; pass <= MAX_REFANG_LAYERS; pass++) {
    const next = refang(current);
    if (next === current) return current;
    current = next;
  }
  return null;
}

/** {@link refangSettled} for a value of `type`, refusing nesting past the bound with a `defang_nested` error. */
export function refangSelector(raw: string, type: SelectorType): string {
  const value = refangSettled(raw);
  if (value === null) {
    throw new SelectorError(
      'defang_nested',
      `brackets are nested more than ${MAX_REFANG_LAYERS} deep around a defanged token`,
      type,
    );
  }
  return value;
}
