import { z } from 'zod';
import { positiveInt } from '../config/common.js';
import { MAX_PDF_DECOMPRESSED_BYTES } from '../extraction/pdf-streams.js';

/**
 * Limits of the extraction pool, read by the API (look-ups) and the worker (documents). Each is an
 * environment variable with a default; .env.example and docs/conventions.md list them, ADR 0017 says why.
 */
export const extractionSettings = {
  /** Worker threads per process that run extraction; created on first use, kept while idle. */
  EXTRACTION_THREADS: positiveInt(2),
  /** Time budget of one extraction: this much, plus EXTRACTION_TIME_PER_MB_MS per MB of input. */
  EXTRACTION_TIME_BASE_MS: positiveInt(5_000),
  /**
   * The size-proportional part of the time budget (per 1,000,000 bytes or characters of input). Wall-clock
   * time, so it leaves room for a busy machine: a 1 MB, 250-page PDF takes about 2.5 s of CPU to read and
   * 14 s of wall clock on two cores shared with twenty other busy processes.
   */
  EXTRACTION_TIME_PER_MB_MS: positiveInt(30_000),
  /** V8 old-generation heap of each extraction thread (`resourceLimits.maxOldGenerationSizeMb`). */
  EXTRACTION_HEAP_MB: positiveInt(512),
  /** Largest document (stored bytes) an extraction thread is given. */
  EXTRACTION_MAX_INPUT_BYTES: positiveInt(32 * 1024 * 1024),
  /** Largest text (UTF-16 code units) extraction reads: a document's converted text, or a pasted text. */
  EXTRACTION_MAX_TEXT_CHARS: positiveInt(16_000_000),
  /** Most a PDF's streams may decompress to, summed (64 MiB): a compression bomb stops here, measured first. */
  EXTRACTION_PDF_MAX_DECOMPRESSED_BYTES: positiveInt(MAX_PDF_DECOMPRESSED_BYTES),
} as const;

const settingsSchema = z.object(extractionSettings);
export type ExtractionLimits = z.infer<typeof settingsSchema>;

/** The defaults, for tools and tests that build a pool without a process configuration. */
export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = settingsSchema.parse({});
