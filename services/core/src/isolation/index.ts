/**
 * Isolation of extraction: a worker-thread pool with time, heap and input budgets (ADR 0017). The API's
 * look-ups and the worker's extract jobs call it; nothing else runs extraction on a main thread.
 */
export { type BudgetLimit, ExtractionBudgetError, timeBudgetMs } from './budget.js';
export { ExtractionPool } from './pool.js';
export { DEFAULT_EXTRACTION_LIMITS, type ExtractionLimits, extractionSettings } from './settings.js';
export type { DocumentExtraction, TaskOptions } from './tasks.js';
