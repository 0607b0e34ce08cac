import { decompressedStreamBytes, MAX_PDF_DECOMPRESSED_BYTES } from './pdf-streams.js';

export { MAX_PDF_DECOMPRESSED_BYTES } from './pdf-streams.js';

/**
 * Largest number of pages read from one PDF. The API caps upload size, but a small file can still declare
 * a huge page tree; past this the rest is skipped and the caller is told (`truncated`).
 */
export const MAX_PDF_PAGES = 2_000;

export interface PdfText {
  text: string;
  pages: number;
  /** True when the document had more than {@link MAX_PDF_PAGES} pages and the rest was not read. */
  truncated: boolean;
}

/** Raised for bytes that are not a readable PDF (corrupt, encrypted without a password): retrying cannot help. */
export class UnreadablePdfError extends Error {
  override readonly name: string = 'UnreadablePdfError';
}

/**
 * Raised for a PDF whose streams decompress to more than the cap ({@link MAX_PDF_DECOMPRESSED_BYTES} by
 * default): a compression bomb, or a document too large to read safely. Permanent, like any unreadable PDF.
 */
export class PdfDecompressionLimitError extends UnreadablePdfError {
  override readonly name = 'PdfDecompressionLimitError';

  constructor(readonly limitBytes: number) {
    super(
      `the PDF's streams decompress to more than ${limitBytes} bytes (the cap on what one PDF may unpack to)`,
    );
  }
}

export interface PdfTextOptions {
  /** Cap on what the PDF's streams may decompress to, summed (default {@link MAX_PDF_DECOMPRESSED_BYTES}). */
  maxDecompressedBytes?: number;
}

/** Spaces and tabs before each line break; the lookbehind starts an attempt only at the start of a run. */
const BLANKS_BEFORE_BREAK = /(?<![ \t])[ \t]+\n/g;

/**
 * The text layer of a PDF (no OCR: scanned pages yield nothing), one page after another separated by a
 * blank line. unpdf ships a serverless build of Mozilla's pdf.js with no native parts and no network use;
 * it is imported on first use so processes that never read a PDF (the API) never load it. What the
 * document's streams decompress to is measured first and capped (see {@link PdfDecompressionLimitError}).
 */
export async function pdfToText(bytes: Uint8Array, options: PdfTextOptions = {}): Promise<PdfText> {
  const limit = options.maxDecompressedBytes ?? MAX_PDF_DECOMPRESSED_BYTES;
  // Measured before pdf.js sees the bytes: pdf.js inflates whatever a stream holds, with no cap of its own.
  if (decompressedStreamBytes(bytes, limit) > limit) throw new PdfDecompressionLimitError(limit);
  const { getDocumentProxy } = await import('unpdf');
  // pdf.js takes ownership of (and detaches) the buffer it is given: hand it a copy.
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, stopAtErrors: false });
  } catch (error) {
    throw new UnreadablePdfError(`not a readable PDF: ${(error as Error).message}`);
  }
  try {
    const pages = Math.min(pdf.numPages, MAX_PDF_PAGES);
    const texts: string[] = [];
    for (let n = 1; n <= pages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let pageText = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        pageText += item.str;
        if (item.hasEOL) pageText += '\n';
      }
      texts.push(pageText.replace(BLANKS_BEFORE_BREAK, '\n').trim());
      page.cleanup();
    }
    return { text: texts.join('\n\n'), pages: pdf.numPages, truncated: pdf.numPages > pages };
  } finally {
    await pdf.destroy();
  }
}
