import { constants, deflateRawSync } from 'node:zlib';
import { buildPdf } from './pdf-fixture.js';
import { MAX_PDF_PAGES } from './pdf-text.js';

/**
 * Adversarial inputs for extraction, shared by the tests (`adversarial-corpus.test.ts`, which assert the
 * exact selectors found) and `npm run bench:hostile` (which prints throughput at 1 MB and 8 MB). Each
 * generator writes long runs of one character or token the patterns care about, framed by a head and a tail
 * that hold known selectors, so a test can say exactly what must come out: the framing selectors plus
 * whatever the run itself embeds. Not exported from the package index: production code never needs them.
 */

/** `type:value` pairs, in text order, that extraction must find in a generated text. */
export type Expected = readonly string[];

export interface TextCase {
  readonly kind: 'text';
  readonly name: string;
  /** About `size` UTF-16 code units of text, and what it holds. */
  build(size: number): { text: string; expected: Expected };
}

export interface HtmlCase {
  readonly kind: 'html';
  readonly name: string;
  /** About `size` characters of HTML, and the selectors its visible text holds. */
  build(size: number): { html: string; expected: Expected };
}

export interface PdfCase {
  readonly kind: 'pdf';
  readonly name: string;
  /**
   * About `size` bytes of PDF, with what reading it must give: the selectors of its text layer, or the
   * refusal (`refused: true`) of a document over the decompression cap.
   */
  build(size: number): { pdf: Uint8Array; expected: Expected; pages?: number; refused?: boolean };
}

export type AdversarialCase = TextCase | HtmlCase | PdfCase;

/** Selectors every text case starts with (defanged, so refang and offsets are exercised on every input). */
const HEAD = 'C2 hxxps://evil-corp[.]com/gate and 185.220.101.42\n';
const HEAD_EXPECTED = ['url:https://evil-corp.com/gate', 'ipv4:185.220.101.42'];
/** Selectors every text case ends with. */
const TAIL = '\nmail ops@evil-corp.net md5 44d88612fea8a8f36de82e1278abb02f';
const TAIL_EXPECTED = ['email:ops@evil-corp.net', 'md5:44d88612fea8a8f36de82e1278abb02f'];

/** `unit` repeated to about `size` characters (at least once). */
export function repeatTo(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.floor(size / unit.length)));
}

/** A run of `unit` that embeds nothing: the text must give exactly the framing selectors. */
function inert(name: string, unit: string): TextCase {
  return {
    kind: 'text',
    name,
    build(size) {
      const room = Math.max(0, size - HEAD.length - TAIL.length);
      return { text: HEAD + repeatTo(unit, room) + TAIL, expected: [...HEAD_EXPECTED, ...TAIL_EXPECTED] };
    },
  };
}

/** A run built around one selector (`make(room)` returns the run); `found` is what it must give. */
function embedding(name: string, make: (room: number) => string, found: Expected): TextCase {
  return {
    kind: 'text',
    name,
    build(size) {
      const room = Math.max(0, size - HEAD.length - TAIL.length);
      return { text: HEAD + make(room) + TAIL, expected: [...HEAD_EXPECTED, ...found, ...TAIL_EXPECTED] };
    },
  };
}

/** Half the room for each side of a token. */
const half = (room: number, unit = 1) => Math.max(1, Math.floor(room / 2 / unit));

/**
 * Text cases: long runs of every character and token the patterns read (blanks around defang brackets,
 * closing brackets after a URL, dots, defang tokens, digits, hex, `@`, `:`, scheme prefixes, nested and
 * unbalanced brackets, very long tokens, mixed scripts).
 */
export const TEXT_CASES: readonly TextCase[] = [
  embedding('a, spaces, b', (room) => `a${' '.repeat(room)}b`, []),
  embedding('tabs and spaces, b', (room) => `a${' \t'.repeat(half(room))}b`, []),
  embedding(
    'blanks around a defanged dot',
    (room) => `evil-corp${' '.repeat(half(room))}[.]${' '.repeat(half(room))}org`,
    ['domain:evil-corp.org'],
  ),
  embedding(
    'blanks around a defanged at',
    (room) => `ops${'\t'.repeat(half(room))}(at)${' '.repeat(half(room))}evil-corp.info`,
    ['email:ops@evil-corp.info'],
  ),
  inert('blanks before unclosed brackets', '    ['),
  inert('opening brackets then blanks', '[ ( { '),
  embedding('closing parentheses after a URL', (room) => `http://x.evil-corp.com/a${')'.repeat(room)}`, [
    'url:http://x.evil-corp.com/a',
  ]),
  embedding(
    'closing brackets of every kind after a URL',
    (room) => `see http://x.evil-corp.com/b${')]}>'.repeat(half(room, 2))}`,
    ['url:http://x.evil-corp.com/b'],
  ),
  embedding(
    'sentence punctuation after a URL',
    (room) => `http://x.evil-corp.com/c${'.,;:!?'.repeat(half(room, 3))}`,
    ['url:http://x.evil-corp.com/c'],
  ),
  embedding(
    'nested brackets around a domain',
    (room) => `${'('.repeat(half(room))}evil-corp.info${')'.repeat(half(room))}`,
    ['domain:evil-corp.info'],
  ),
  inert('unbalanced opening brackets', '(['),
  inert('unbalanced closing brackets', ')]}'),
  inert('dots', '.'),
  inert('dotted single letters', 'a.'),
  inert('dotted digits', '9.'),
  inert('dotted quads glued together', '1.1.1.1.'),
  inert('defanged dots', '[.]'),
  inert('defanged dot words', '(dot)'),
  inert('spelled-out dots', 'a dot '),
  inert('defanged labels', 'x[.]'),
  inert('defanged at signs', '[at]'),
  inert('defanged separators', '[:][/][://][,]'),
  inert('defanged schemes', 'hxxp '),
  inert('scheme prefixes', 'http://'),
  inert('defanged scheme prefixes', 'hxxps[:]//'),
  inert('digits', '1'),
  inert('spaced digits', '1 '),
  inert('grouped digits', '12-34 '),
  inert('hex digits', 'f'),
  inert('hex alphabet', '0123456789abcdef'),
  inert('hex one short of a digest', `${'ab'.repeat(15)}c `),
  inert('at signs', '@'),
  inert('letters and at signs', 'a@'),
  inert('at-separated labels', 'a@b.'),
  inert('colons', ':'),
  // The run opens with one compressed IPv6 address; every later group is glued to it, so none starts there.
  embedding('hex groups and colons', (room) => repeatTo('a:a:a::', room), ['ipv6:a:a:a::a:a:a']),
  inert('platform prefixes', 'twitter: '),
  inert('a very long word', 'a'),
  inert('a very long hyphenated token', 'a-'),
  inert('underscores', '_'),
  inert('mixed scripts with combining marks', 'aа١ब्中ـ\u0301'),
  inert('mixed-script dotted labels', 'пример.'),
  inert('unicode blanks', '\u00A0\u2003\u3000'),
];

/** The visible text of the HTML cases frames its run like the text cases. */
const HTML_HEAD = '<html><body><p>C2 evil-corp.com</p>';
const HTML_TAIL = '<p>mail ops@evil-corp.net</p></body></html>';
const HTML_EXPECTED_HEAD = ['domain:evil-corp.com'];
const HTML_EXPECTED_TAIL = ['email:ops@evil-corp.net'];

function html(name: string, make: (room: number) => string, found: Expected): HtmlCase {
  return {
    kind: 'html',
    name,
    build(size) {
      const room = Math.max(0, size - HTML_HEAD.length - HTML_TAIL.length);
      return {
        html: HTML_HEAD + make(room) + HTML_TAIL,
        expected: [...HTML_EXPECTED_HEAD, ...found, ...HTML_EXPECTED_TAIL],
      };
    },
  };
}

/** Adversarial HTML: deep nesting, huge attributes, huge blank runs in `pre`. */
export const HTML_CASES: readonly HtmlCase[] = [
  html(
    'deeply nested elements',
    (room) => `${'<div>'.repeat(half(room, 11))}deep.evil-corp.org${'</div>'.repeat(half(room, 11))}`,
    ['domain:deep.evil-corp.org'],
  ),
  html('unclosed nested elements', (room) => `<p>${'<b><i>'.repeat(Math.floor(room / 7))}x`, []),
  html(
    'a huge hidden style attribute',
    (room) =>
      `<span style="${' '.repeat(half(room))}display:none${' '.repeat(half(room))}">hidden.evil-corp.org</span>`,
    [],
  ),
  html(
    'a huge style attribute that hides nothing',
    (room) => `<span style="display:none${' '.repeat(room)}x">shown.evil-corp.org</span>`,
    ['domain:shown.evil-corp.org'],
  ),
  html('a huge attribute value', (room) => `<a title="${'a'.repeat(room)}">titled.evil-corp.org</a>`, [
    'domain:titled.evil-corp.org',
  ]),
  html(
    'blanks before a line break in pre',
    (room) => `<pre>pre.evil-corp.org${' '.repeat(room)}\nnext</pre>`,
    ['domain:pre.evil-corp.org'],
  ),
  html('many tiny elements', (room) => '<i>a</i> '.repeat(Math.floor(room / 9)), []),
];

/** Lines on each page of the many-pages PDF (about 4 KB): one selector, then prose without any. */
const FILLER = 'the operators rotated their infrastructure every week while reusing the same tooling';
const pageLines = (n: number) => [
  `page ${n} host p${n}.evil-corp.com`,
  ...Array.from({ length: 40 }, () => FILLER),
];
/** Bytes one such page takes in the file, objects and cross-reference entry included. */
const PAGE_BYTES = 4_000;

/** Adversarial PDFs: as many pages as fit, and streams compressed as far as deflate goes. */
export const PDF_CASES: readonly PdfCase[] = [
  {
    kind: 'pdf',
    name: 'many pages',
    build(size) {
      const pages = Math.max(1, Math.floor(size / PAGE_BYTES));
      const pdf = buildPdf(Array.from({ length: pages }, (_, i) => pageLines(i + 1)));
      const read = Math.min(pages, MAX_PDF_PAGES);
      return {
        pdf,
        pages,
        expected: Array.from({ length: read }, (_, i) => `domain:p${i + 1}.evil-corp.com`),
      };
    },
  },
  {
    kind: 'pdf',
    name: 'highly compressed streams',
    build(size) {
      // Deflate turns ~1,000 bytes of one repeated operator into one. One MB of it is compressed once
      // (ending on a byte boundary, not final) and the piece repeated: a valid deflate stream of `size`
      // bytes that unpacks to about a thousand times that, well over the default cap from 1 MB on,
      // without ever holding the unpacked bytes here.
      const piece = deflateRawSync(Buffer.alloc(1 << 20, '0 0 m '), {
        level: 9,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      const copies = Math.max(1, Math.floor(size / piece.length));
      const stream = Buffer.concat([
        Buffer.from([0x78, 0xda]), // zlib header (deflate, 32 KiB window, best compression)
        ...Array.from({ length: copies }, () => piece),
        deflateRawSync(Buffer.alloc(0)), // an empty final block
      ]);
      return {
        pdf: buildPdf([['bomb.evil-corp.com']], { extraStreams: [stream] }),
        expected: [],
        refused: true,
      };
    },
  },
];

export const ADVERSARIAL_CASES: readonly AdversarialCase[] = [...TEXT_CASES, ...HTML_CASES, ...PDF_CASES];
