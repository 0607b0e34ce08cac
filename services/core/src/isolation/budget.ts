import type { ExtractionLimits } from './settings.js';

/** Which limit stopped an extraction; `setting` names the environment variable that sets it. */
export type BudgetLimit = 'time' | 'heap' | 'input_bytes' | 'text_chars' | 'pdf_decompressed_bytes';

const SETTING: Record<BudgetLimit, keyof ExtractionLimits> = {
  time: 'EXTRACTION_TIME_PER_MB_MS',
  heap: 'EXTRACTION_HEAP_MB',
  input_bytes: 'EXTRACTION_MAX_INPUT_BYTES',
  text_chars: 'EXTRACTION_MAX_TEXT_CHARS',
  pdf_decompressed_bytes: 'EXTRACTION_PDF_MAX_DECOMPRESSED_BYTES',
};

/**
 * Extraction stopped at one of its limits. Permanent for the input: the same bytes under the same settings
 * hit the same limit, so a job must not retry it and an API answers 422 `extraction_budget_exceeded`.
 */
export class ExtractionBudgetError extends Error {
  override readonly name = 'ExtractionBudgetError';
  readonly code = 'extraction_budget_exceeded';
  readonly setting: keyof ExtractionLimits;

  constructor(
    readonly limit: BudgetLimit,
    /** The limit's value in its unit (ms, MB, bytes, characters). */
    readonly value: number,
    message: string,
  ) {
    super(message);
    this.setting = SETTING[limit];
  }

  /** The facts a problem+json body or a job row carries. */
  toJSON() {
    return { code: this.code, limit: this.limit, setting: this.setting, value: this.value };
  }
}

/** Time budget for an input of `size` bytes (or characters): base + per-MB share, proportional to the size. */
export function timeBudgetMs(size: number, limits: ExtractionLimits): number {
  return Math.ceil(limits.EXTRACTION_TIME_BASE_MS + (limits.EXTRACTION_TIME_PER_MB_MS * size) / 1_000_000);
}
