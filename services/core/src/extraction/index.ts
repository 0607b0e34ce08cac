/**
 * Extraction: from research material (pasted text, HTML, PDF) to selectors with offsets into the text as
 * written. Shared by the worker (extract jobs) and the API ("paste a list" search).
 */
export {
  type AllowList,
  type AllowListReason,
  allowListReason,
  compileAllowList,
  EMPTY_ALLOW_LIST,
} from './allow-list.js';
export {
  type DocumentText,
  type DocumentTextOptions,
  documentText,
  EXTRACTABLE_MEDIA_TYPES,
  sanitiseText,
  UnsupportedMediaTypeError,
} from './document-text.js';
export {
  DEFAULT_MAX_MATCHES,
  EXTRACTOR_VERSION,
  type ExtractedSelector,
  type ExtractOptions,
  extractSelectors,
  isVersionContext,
} from './extract-selectors.js';
export { htmlToText } from './html-text.js';
export {
  MAX_PDF_DECOMPRESSED_BYTES,
  MAX_PDF_PAGES,
  PdfDecompressionLimitError,
  type PdfText,
  type PdfTextOptions,
  pdfToText,
  UnreadablePdfError,
} from './pdf-text.js';
export { type RefangedText, refangWithOffsets } from './refang-offsets.js';
