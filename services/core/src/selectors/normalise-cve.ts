import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

/**
 * MITRE's CVE ID syntax: four-digit year, then four digits or more; sequences longer than four digits
 * have no leading zero. Hyphen-like characters are accepted because PDFs and word processors turn `-`
 * into en dashes.
 */
const CVE = /^CVE[-\u2010-\u2015\u2212](\d{4})[-\u2010-\u2015\u2212](0\d{3}|[1-9]\d{3,})$/i;
const FIRST_CVE_YEAR = 1999;

/** Normalises a CVE identifier to `CVE-YYYY-NNNN…` in upper case. */
export function normaliseCve(raw: string): SelectorValue {
  const input = raw.trim();
  const match = CVE.exec(input);
  const year = Number(match?.[1]);
  if (!match || year < FIRST_CVE_YEAR) {
    throw new SelectorError('invalid_cve', `"${input}" is not a CVE identifier (CVE-YYYY-NNNN)`, 'cve');
  }
  const sequence = match[2] ?? '';
  return { value: `CVE-${match[1]}-${sequence}`, attributes: { year, sequence: Number(sequence) } };
}
