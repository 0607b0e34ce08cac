import {
  documentText,
  type ExtractedSelector,
  type ExtractOptions,
  extractSelectors,
  PdfDecompressionLimitError,
} from '../extraction/index.js';
import { ExtractionBudgetError } from './budget.js';

/** What the pool asks a thread to do. Everything is structured-clone data: no functions, no classes. */
export type ExtractionTask =
  | { kind: 'text'; text: string; options: TaskOptions }
  | {
      kind: 'document';
      bytes: Uint8Array;
      mediaType: string;
      options: TaskOptions;
      maxTextChars: number;
      maxPdfDecompressedBytes: number;
    };

/** {@link ExtractOptions} as data: the allow-list as its entries (compiled inside the thread). */
export interface TaskOptions {
  defaultRegion?: string | null;
  allowList?: readonly string[];
  maxMatches?: number;
}

export interface DocumentExtraction {
  text: string;
  facts: Record<string, unknown>;
  selectors: ExtractedSelector[];
}

export type TaskResult = ExtractedSelector[] | DocumentExtraction;

/**
 * Runs one task. `onText` reports the converted text's length before extraction reads it, so the pool can
 * grow the time budget with what the document turned out to hold.
 */
let pdfParserLoaded = false;

/**
 * Loads the PDF parser (pdf.js, several MB of code) into this thread once; true when this call loaded it.
 * Loading is not the input's fault, so the pool restarts the task's clock after it.
 */
async function loadPdfParser(): Promise<boolean> {
  if (pdfParserLoaded) return false;
  await import('unpdf');
  pdfParserLoaded = true;
  return true;
}

export async function runTask(
  task: ExtractionTask,
  onText: (chars: number) => void,
  onLoaded: () => void = () => {},
): Promise<TaskResult> {
  const options: ExtractOptions = {
    defaultRegion: task.options.defaultRegion ?? null,
    allowList: task.options.allowList ?? [],
    ...(task.options.maxMatches === undefined ? {} : { maxMatches: task.options.maxMatches }),
  };
  if (task.kind === 'text') return extractSelectors(task.text, options);
  if (/^application\/pdf\b/i.test(task.mediaType.trim()) && (await loadPdfParser())) onLoaded();
  const { text, facts } = await documentText(task.bytes, task.mediaType, {
    maxDecompressedBytes: task.maxPdfDecompressedBytes,
  }).catch((error: unknown) => {
    // A compression bomb is over a budget like any other: permanent for these bytes, named by its setting.
    if (error instanceof PdfDecompressionLimitError) {
      throw new ExtractionBudgetError(
        'pdf_decompressed_bytes',
        error.limitBytes,
        `${error.message} (EXTRACTION_PDF_MAX_DECOMPRESSED_BYTES)`,
      );
    }
    throw error;
  });
  if (text.length > task.maxTextChars) {
    throw new ExtractionBudgetError(
      'text_chars',
      task.maxTextChars,
      `the document's text has ${text.length} characters, more than the ${task.maxTextChars} extraction reads (EXTRACTION_MAX_TEXT_CHARS)`,
    );
  }
  onText(text.length);
  return { text, facts, selectors: extractSelectors(text, options) };
}
