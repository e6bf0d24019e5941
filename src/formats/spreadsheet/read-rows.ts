/**
 * Streams the rows of a CSV (any of ; , tab separators, UTF-8 or Windows-1252, with or without
 * BOM) or of the first sheet of an XLSX workbook, with their line numbers, in bounded memory.
 */
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { scanZip } from './zip-scan';

export const MAX_XLSX_BYTES = 50 * 1024 * 1024;
/** An XLSX is a zip: refuse one that would inflate beyond this (zip bombs). */
export const MAX_XLSX_INFLATED_BYTES = 500 * 1024 * 1024;

export class SpreadsheetError extends Error {
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`${location}: ${reason}`);
    this.name = 'SpreadsheetError';
  }
}

export type Row = { line: number; cells: unknown[] };

export function isXlsx(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (Excel's French CSV export). */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  const encoding = isUtf8(bytes) ? 'utf-8' : 'windows-1252';
  return { text: new TextDecoder(encoding).decode(bytes), encoding };
}

/** The separator that splits the header line into the most columns. */
export function detectDelimiter(headerLine: string): ';' | ',' | '\t' {
  const counts = ([';', ',', '\t'] as const).map((d) => ({ d, n: headerLine.split(d).length }));
  return counts.sort((a, b) => b.n - a.n)[0].d;
}

/** Decodes in 1 MB slices, so a large file never exists twice in memory. */
function* decodedChunks(bytes: Uint8Array, encoding: 'utf-8' | 'windows-1252'): Generator<string> {
  const decoder = new TextDecoder(encoding, { ignoreBOM: false });
  const size = 1024 * 1024;
  for (let offset = 0; offset < bytes.length; offset += size) {
    yield decoder.decode(bytes.subarray(offset, offset + size), { stream: offset + size < bytes.length });
  }
}

export async function* csvRows(bytes: Uint8Array): AsyncGenerator<Row> {
  const encoding = isUtf8(bytes) ? 'utf-8' : 'windows-1252';
  const head = new TextDecoder(encoding).decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  const firstLine = head.slice(0, head.search(/\r?\n|$/));
  const parser = Readable.from(decodedChunks(bytes, encoding)).pipe(
    parse({ delimiter: detectDelimiter(firstLine), relax_column_count: true, skip_empty_lines: true, bom: true, info: true, trim: true, max_record_size: 1_000_000 }),
  );
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: record.info.lines, cells: record.record };
    }
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    throw new SpreadsheetError(`line ${e.lines ?? '?'}`, `malformed CSV: ${e.message ?? String(error)}`);
  }
}

/** Sums the uncompressed sizes declared in the zip's central directory, without inflating anything. */
function declaredInflatedSize(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const entries = view.getUint16(i + 10, true);
    let offset = view.getUint32(i + 16, true);
    let total = 0;
    for (let k = 0; k < entries && offset + 46 <= bytes.length; k++) {
      if (view.getUint32(offset, true) !== 0x02014b50) break;
      total += view.getUint32(offset + 24, true);
      offset += 46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
    }
    return total;
  }
  throw new SpreadsheetError('file', 'not a readable XLSX (no zip directory)');
}

export async function* xlsxRows(bytes: Uint8Array): AsyncGenerator<Row> {
  if (bytes.length > MAX_XLSX_BYTES) throw new SpreadsheetError('file', `larger than ${MAX_XLSX_BYTES / 1024 / 1024} MB`);
  if (declaredInflatedSize(bytes) > MAX_XLSX_INFLATED_BYTES) throw new SpreadsheetError('file', `inflates beyond ${MAX_XLSX_INFLATED_BYTES / 1024 / 1024} MB`);
  // The declared sizes may lie: count what the entries really inflate to before exceljs reads them.
  const problem = await scanZip(bytes, MAX_XLSX_INFLATED_BYTES);
  if (problem) throw new SpreadsheetError('file', problem.reason);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as unknown[]).slice(1).map((v) => cellValue(v));
        if (values.every((v) => v === null || v === '')) continue;
        yield { line: row.number, cells: values };
      }
      return; // the first sheet only
    }
  } catch (error) {
    if (error instanceof SpreadsheetError) throw error;
    throw new SpreadsheetError('file', `unreadable XLSX: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function cellValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date || typeof value !== 'object') return value;
  const v = value as { result?: unknown; text?: string; richText?: { text: string }[] };
  if ('result' in v) return v.result ?? null; // formula: its computed value
  if (v.richText) return v.richText.map((r) => r.text).join('');
  if (v.text !== undefined) return v.text;
  return String(value);
}

export function rowsOf(bytes: Uint8Array): AsyncGenerator<Row> {
  return isXlsx(bytes) ? xlsxRows(bytes) : csvRows(bytes);
}
