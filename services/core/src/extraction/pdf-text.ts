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
  override readonly name = 'UnreadablePdfError';
}

/**
 * The text layer of a PDF (no OCR: scanned pages yield nothing), one page after another separated by a
 * blank line. unpdf ships a serverless build of Mozilla's pdf.js with no native parts and no network use;
 * it is imported on first use so processes that never read a PDF (the API) never load it.
 */
export async function pdfToText(bytes: Uint8Array): Promise<PdfText> {
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
      texts.push(pageText.replace(/[ \t]+\n/g, '\n').trim());
      page.cleanup();
    }
    return { text: texts.join('\n\n'), pages: pdf.numPages, truncated: pdf.numPages > pages };
  } finally {
    await pdf.destroy();
  }
}
