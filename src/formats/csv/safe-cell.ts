/**
 * CSV formula injection (OWASP "CSV Injection"): a spreadsheet opening a CSV runs a cell that
 * starts with =, +, -, @, tab or carriage return as a formula. Every CSV we write passes its text
 * cells through `neutraliseFormula`, which prefixes such a cell with a single quote so it is shown
 * as text.
 *
 * Numbers are kept as they are: a cell that is entirely a decimal number ("-12.50", "-1 200,00",
 * "+3") cannot run anything and must stay a number for the reader (negative amounts, credit notes).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d[\d\u00a0\u202f ]*(?:[.,]\d+)?$/;

export function neutraliseFormula(text: string): string {
  if (!FORMULA_START.test(text) || PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}

/** The text of a cell: numbers and booleans as they are, objects as JSON, text neutralised. */
export function safeCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return neutraliseFormula(typeof value === 'object' ? JSON.stringify(value) : String(value));
}
