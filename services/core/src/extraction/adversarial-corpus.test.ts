import { describe, expect, it } from 'vitest';
import { HTML_CASES, PDF_CASES, TEXT_CASES } from './adversarial-corpus.js';
import { extractSelectors } from './extract-selectors.js';
import { htmlToText } from './html-text.js';
import { PdfDecompressionLimitError, pdfToText } from './pdf-text.js';

/**
 * Every adversarial input at 1 MB gives exactly the selectors it holds, with offsets into the text as
 * written. Nothing here is timed (throughput is `npm run bench:hostile`'s job); what these tests prove is
 * that the hostile shapes neither break extraction nor change what it finds. Before extraction was linear,
 * several of these inputs took minutes; a regression shows up as a test timeout.
 */
const SIZE = 1_000_000;
/** Room for a busy machine: linear cases take well under a second each, a quadratic one minutes. */
const TIMEOUT = 60_000;

function found(text: string): string[] {
  const selectors = extractSelectors(text);
  for (const s of selectors) {
    if (text.slice(s.start, s.end) !== s.raw)
      throw new Error(`offsets of ${s.value} do not point at ${s.raw}`);
  }
  return selectors.map((s) => `${s.type}:${s.value}`);
}

describe('extraction on adversarial text (1 MB each)', () => {
  it.each(TEXT_CASES.map((c) => [c.name, c] as const))(
    '%s',
    (_name, c) => {
      const { text, expected } = c.build(SIZE);
      expect(text.length).toBeGreaterThan(SIZE * 0.9);
      expect(found(text)).toEqual(expected);
    },
    TIMEOUT,
  );

  it(
    'answers the two known quadratic shapes exactly',
    () => {
      expect(found(`a${' '.repeat(40_000)}b`)).toEqual([]);
      expect(found(`http://x.evil-corp.com/${')'.repeat(50_000)}`)).toEqual(['url:http://x.evil-corp.com/']);
      // The raw span of a refang across long blank runs is the whole stretch as written.
      const spaced = `evil-corp${' '.repeat(40_000)}[.]${' '.repeat(40_000)}com`;
      const [domain] = extractSelectors(spaced);
      expect(domain).toMatchObject({ value: 'evil-corp.com', start: 0, end: spaced.length });
    },
    TIMEOUT,
  );
});

describe('millions of host labels (8 MB)', () => {
  // An unbounded label group keeps one backtrack entry per label: at 1 MB it passed, at 8 MB the regex
  // engine's stack overflowed and extraction threw.
  it.each([
    ['mixed-script labels', 'пример.'.repeat(1_200_000)],
    ['an e-mail host', `ops@evil${'.c'.repeat(4_000_000)}`],
    ['a fediverse host', `@ops@evil${'.c'.repeat(4_000_000)}`],
  ])(
    '%s: no selector, no error',
    (_name, text) => {
      expect(found(`${text} 198.51.100.7`)).toEqual(['ipv4:198.51.100.7']);
    },
    TIMEOUT,
  );
});

describe('HTML text on adversarial pages (1 MB each)', () => {
  it.each(HTML_CASES.map((c) => [c.name, c] as const))(
    '%s',
    (_name, c) => {
      const { html, expected } = c.build(SIZE);
      expect(found(htmlToText(html))).toEqual(expected);
    },
    TIMEOUT,
  );
});

describe('PDF text on adversarial documents (1 MB each)', () => {
  it.each(PDF_CASES.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const { pdf, expected, pages, refused } = c.build(SIZE);
      expect(pdf.length).toBeGreaterThan(SIZE * 0.5);
      if (refused) {
        await expect(pdfToText(pdf)).rejects.toBeInstanceOf(PdfDecompressionLimitError);
        return;
      }
      const result = await pdfToText(pdf);
      expect(result.pages).toBe(pages);
      expect(found(result.text)).toEqual(expected);
    },
    TIMEOUT * 2,
  );

  it(
    'reads a compressed document under the cap and names the cap when one is over it',
    async () => {
      const bomb = PDF_CASES.find((c) => c.name === 'highly compressed streams');
      const { pdf } = bomb!.build(20_000); // unpacks to ~20 MB: under the 64 MiB default
      const under = await pdfToText(pdf, { maxDecompressedBytes: 64 * 1024 * 1024 });
      expect(found(under.text)).toEqual(['domain:bomb.evil-corp.com']);
      const error = await pdfToText(pdf, { maxDecompressedBytes: 1_000_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PdfDecompressionLimitError);
      expect(error).toMatchObject({ limitBytes: 1_000_000 });
      expect((error as Error).message).toContain('1000000 bytes');
    },
    TIMEOUT * 2,
  );
});
