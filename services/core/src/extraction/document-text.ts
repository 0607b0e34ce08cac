import { htmlToText } from './html-text.js';
import { type PdfTextOptions, pdfToText } from './pdf-text.js';

/** Media types the extractor reads; the API accepts exactly these for documents. */
export const EXTRACTABLE_MEDIA_TYPES = ['text/plain', 'text/html', 'application/pdf'] as const;

/** Raised for a media type the extractor cannot read: permanent, the job must not be retried. */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
}

export interface DocumentText {
  text: string;
  /** Facts about the conversion worth keeping in the job result (pages, truncation...). */
  facts: Record<string, unknown>;
}

/** UTF-8 (BOM dropped; invalid sequences become U+FFFD rather than failing the document). */
function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
}

/**
 * Makes text storable and JSON-safe without moving any offset: NUL (which PostgreSQL text cannot hold) and
 * unpaired UTF-16 surrogates (which JSON and jsonb refuse) each become one U+FFFD.
 */
export function sanitiseText(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must be replaced here.
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/**
 * Turns a document's stored bytes into the text extraction reads and mentions point into: plain text as
 * is (UTF-8), HTML as its visible text, PDF as its text layer. Media-type parameters (`; charset=...`)
 * are ignored: the API stores UTF-8 for pasted text and uploads are read as UTF-8.
 */
export async function documentText(
  bytes: Uint8Array,
  mediaType: string,
  options: DocumentTextOptions = {},
): Promise<DocumentText> {
  const { text, facts } = await convert(bytes, mediaType, options);
  return { text: sanitiseText(text), facts };
}

/** Limits on reading a document (PDF: {@link PdfTextOptions}). */
export type DocumentTextOptions = PdfTextOptions;

async function convert(
  bytes: Uint8Array,
  mediaType: string,
  options: DocumentTextOptions,
): Promise<DocumentText> {
  const type = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  switch (type) {
    case 'text/plain':
      return { text: decodeUtf8(bytes), facts: {} };
    case 'text/html':
    case 'application/xhtml+xml':
      return { text: htmlToText(decodeUtf8(bytes)), facts: {} };
    case 'application/pdf': {
      const pdf = await pdfToText(bytes, options);
      return {
        text: pdf.text,
        facts: { pages: pdf.pages, ...(pdf.truncated ? { pagesTruncated: true } : {}) },
      };
    }
    default:
      throw new UnsupportedMediaTypeError(`cannot extract text from media type "${mediaType}"`);
  }
}
