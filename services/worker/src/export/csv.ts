/**
 * RFC 4180 CSV with a spreadsheet formula-injection guard (OWASP "CSV Injection"): a cell whose text starts
 * with `=`, `+`, `-`, `@` (or a tab or carriage return, which some spreadsheets skip before reading a
 * formula) is prefixed with `'`, so opening the export never evaluates attacker-chosen text from a
 * collected document. Phone numbers (`+44…`) therefore appear as `'+44…`: the guard cannot tell them apart.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 §2 says. */
export function csvRow(cells: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
