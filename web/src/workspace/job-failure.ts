/**
 * A failed job's message in words: an extraction stopped at one of its limits (ADR 0017) says so first,
 * then which limit, as the worker wrote it (`extraction_budget_exceeded: …`).
 */
export function jobFailureText(error: string | null | undefined): string {
  if (!error) return 'failed, no reason given';
  const budget = /^extraction_budget_exceeded:\s*/.exec(error);
  if (budget) return `stopped at an extraction limit: ${error.slice(budget[0].length)}`;
  return error;
}
