import { REFANG_RULES, type RefangRule, ruleMatches } from '../selectors/refang.js';

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
  /** True when nothing was rewritten (`text === original`, offsets are the identity). */
  identity: boolean;
  /**
   * Maps a span `[start, end)` of `text` (end exclusive, `end > start`) to the span of the original it was
   * made from. A span that starts or ends inside a rewritten token widens to the whole token.
   */
  toOriginal(start: number, end: number): [start: number, end: number];
}

/**
 * A rewritten stretch: `[outStart, outEnd)` of the current text was made from `[origStart, origEnd)` of
 * the original. Between edits the two texts run in step, so a sorted list of edits is the whole map
 * (memory proportional to the number of defanged tokens, not to the text).
 */
interface Edit {
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
  const shifted = (e: Edit): Edit => ({ ...e, outStart: e.outStart + delta, outEnd: e.outEnd + delta });
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

/**
 * Refangs `original` exactly like core's `refang` and keeps an offset map, so a match found in the
 * refanged text can be reported at its place in the original. Text without defanging costs one regex test
 * per rule and no allocation.
 */
export function refangWithOffsets(original: string): RefangedText {
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
  const map = edits;
  return {
    text,
    identity: map.length === 0,
    toOriginal(start, end) {
      if (end <= start) throw new RangeError(`empty span [${start}, ${end})`);
      return map.length === 0 ? [start, end] : [originalStart(map, start), originalEnd(map, end)];
    },
  };
}
