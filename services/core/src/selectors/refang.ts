/**
 * Threat reports "defang" indicators (`hxxp://evil[.]example`) so nobody clicks them and mail filters do
 * not trip. Before an indicator can be matched against anything it has to be turned back into its real
 * form. Each rule below is a literal token an analyst or tool writes; they are deliberately narrow (a
 * bracket, parenthesis or brace around the replaced character or word) so ordinary prose survives.
 */

type Rule = readonly [pattern: RegExp, replacement: (match: string, ...groups: string[]) => string];

/** A replacer that ignores the match: most rules swap a whole token for a fixed string. */
const to = (literal: string) => () => literal;

/** Horizontal whitespace that defangers like to put around the bracketed token: `example [.] com`. */
const PAD = '[ \\t]*';
const OPEN = '[\\[({]';
const CLOSE = '[\\])}]';

function bracketed(inner: string): RegExp {
  return new RegExp(`${PAD}${OPEN}${PAD}(?:${inner})${PAD}${CLOSE}${PAD}`, 'gi');
}

const RULES: readonly Rule[] = [
  // Schemes: hxxp, hXXp, hxxps, hXXps (any case of the x's) and fxp. Always rewritten to lowercase.
  [/\b[hH][xX]{2}[pP]([sS]?)\b/g, (_m, s = '') => `http${s.toLowerCase()}`],
  [/\b[fF][xX][pP]\b/g, to('ftp')],
  // Scheme separators and slashes: [://], [:], [/] (also in () or {}).
  [bracketed(':\\/\\/'), to('://')],
  [bracketed(':'), to(':')],
  [bracketed('\\/'), to('/')],
  // Dots: [.] (.) {.} [dot] (dot) {dot} and the comma variant [,].
  [bracketed('\\.|dot'), to('.')],
  [/\[,\]/g, to('.')],
  // " dot " / " DOT " between two alphanumerics (not "Dot": mixed case is prose, not defanging).
  [/(?<=[A-Za-z0-9])[ \t]+(?:dot|DOT)[ \t]+(?=[A-Za-z0-9])/g, to('.')],
  // At signs: [@] [at] (at) {at}.
  [bracketed('@|at'), to('@')],
];

/**
 * Turns defanged indicators in `text` back into their live form (`hxxp://a[.]example` →
 * `http://a.example`). Text without defanging is returned unchanged, and the function is idempotent, so
 * it is safe to run on every pasted value and every extracted document.
 */
export function refang(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) {
    out = out.replace(pattern, replacement);
  }
  return out;
}
