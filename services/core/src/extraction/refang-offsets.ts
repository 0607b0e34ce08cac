/**
 * `refang` (selectors/refang.ts) with a map back to the original text. Refanging changes lengths
 * (`evil[.]example` → `evil.example`, `hxxps` → `https`, `a [.] b` → `a.b`), yet a mention must point at the
 * evidence as written: the extractor matches on the refanged text and translates every span back through
 * the map built here.
 *
 * The rule table mirrors selectors/refang.ts rule for rule, in the same order, because the two must agree
 * exactly: `refang-offsets.test.ts` asserts `refangWithOffsets(x).text === refang(x)` over the whole
 * ioc-fanger corpus and over generated text, so a change to one table without the other fails a test.
 */

type Replacer = (match: string, ...groups: string[]) => string;
type Rule = readonly [pattern: RegExp, replacement: Replacer];

const to = (literal: string) => () => literal;
const PAD = '[ \\t]*';
const OPEN = '[\\[({]';
const CLOSE = '[\\])}]';

function bracketed(inner: string): RegExp {
  return new RegExp(`${PAD}${OPEN}${PAD}(?:${inner})${PAD}${CLOSE}${PAD}`, 'gi');
}

const RULES: readonly Rule[] = [
  [/\b[hH][xX]{2}[pP]([sS]?)\b/g, (_m, s = '') => `http${s.toLowerCase()}`],
  [/\b[fF][xX][pP]\b/g, to('ftp')],
  [bracketed(':\\/\\/'), to('://')],
  [bracketed(':'), to(':')],
  [bracketed('\\/'), to('/')],
  [bracketed('\\.|dot'), to('.')],
  [/\[,\]/g, to('.')],
  [/(?<=[A-Za-z0-9])[ \t]+(?:dot|DOT)[ \t]+(?=[A-Za-z0-9])/g, to('.')],
  [bracketed('@|at'), to('@')],
];

/** Refanged text plus the way back to the original. */
export interface RefangedText {
  /** Same string `refang(original)` returns. */
  text: string;
  /** True when nothing was rewritten (`text === original`, offsets are the identity). */
  identity: boolean;
  /**
   * Maps a span `[start, end)` of `text` (end exclusive, `end > start`) to the span of the original it was
   * made from. A span that starts or ends inside a rewritten token widens to the whole token.
   */
  toOriginal(start: number, end: number): [start: number, end: number];
}

/**
 * Per character of the current text: where in the original it starts and ends. A character produced by a
 * replacement carries the whole replaced token's span, so spans never cut a defanged token in half.
 */
interface OffsetMap {
  starts: Int32Array;
  ends: Int32Array;
}

function identityMap(length: number): OffsetMap {
  const starts = new Int32Array(length);
  const ends = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    starts[i] = i;
    ends[i] = i + 1;
  }
  return { starts, ends };
}

/** Applies one rule to `text`, returning the new text and map, or null when the rule matches nothing. */
function applyRule(
  text: string,
  map: OffsetMap | null,
  [pattern, replace]: Rule,
): { text: string; map: OffsetMap } | null {
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return null;
  pattern.lastIndex = 0;
  const current = map ?? identityMap(text.length);
  const pieces: string[] = [];
  // Worst case the text keeps its length (no rule lengthens text by more than it removes: `hxxp` → `http`).
  const starts = new Int32Array(text.length + 8);
  const ends = new Int32Array(text.length + 8);
  let out = 0;
  let cursor = 0;
  const copy = (from: number, to: number) => {
    starts.set(current.starts.subarray(from, to), out);
    ends.set(current.ends.subarray(from, to), out);
    out += to - from;
  };
  for (const match of text.matchAll(pattern)) {
    const at = match.index;
    const token = match[0];
    if (token.length === 0) continue;
    pieces.push(text.slice(cursor, at));
    copy(cursor, at);
    const replacement = replace(token, ...(match.slice(1) as string[]));
    const origStart = current.starts[at] ?? 0;
    const origEnd = current.ends[at + token.length - 1] ?? origStart;
    for (let k = 0; k < replacement.length; k++) {
      starts[out + k] = origStart;
      ends[out + k] = origEnd;
    }
    out += replacement.length;
    pieces.push(replacement);
    cursor = at + token.length;
  }
  pieces.push(text.slice(cursor));
  copy(cursor, text.length);
  return { text: pieces.join(''), map: { starts: starts.subarray(0, out), ends: ends.subarray(0, out) } };
}

/**
 * Refangs `original` exactly like core's `refang` and keeps an offset map, so a match found in the
 * refanged text can be reported at its place in the original. Text without defanging costs one regex test
 * per rule and no allocation.
 */
export function refangWithOffsets(original: string): RefangedText {
  let text = original;
  let map: OffsetMap | null = null;
  for (const rule of RULES) {
    const next = applyRule(text, map, rule);
    if (next) {
      text = next.text;
      map = next.map;
    }
  }
  if (map === null) {
    return { text, identity: true, toOriginal: (start, end) => [start, end] };
  }
  const { starts, ends } = map;
  return {
    text,
    identity: false,
    toOriginal(start, end) {
      if (end <= start) throw new RangeError(`empty span [${start}, ${end})`);
      return [starts[start] ?? original.length, ends[end - 1] ?? original.length];
    },
  };
}
