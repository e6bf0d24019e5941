import { safeCellText } from '../formats/csv/safe-cell';

/**
 * RFC 4180 CSV (comma, CRLF, quoted when needed) of flat records; nested values are written as JSON.
 * Text cells that a spreadsheet would run as a formula are neutralised (see safe-cell.ts).
 */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => {
    const text = safeCellText(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const header = columns.map((c) => cell(c)).join(',');
  return `${[header, ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}
