/** Detects the bank statement format from the content and parses it. */
import { isCamt, parseCamt } from './camt';
import { isCfonb120, parseCfonb120 } from './cfonb120';
import { isMt940, parseMt940 } from './mt940';
import { isOfx, parseOfx } from './ofx';
import { DATE_RANGE_REASON, isIsoDate } from '../../domain/calendar';
import { type ParsedStatements, StatementParseError } from './types';

export const MAX_STATEMENT_BYTES = 50 * 1024 * 1024;

/** Statements are ASCII/Latin-1 or UTF-8; decode UTF-8 when valid, else Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export function looksLikeStatement(text: string): boolean {
  const head = text.slice(0, 4096);
  return isCamt(head) || isOfx(head) || isMt940(text.slice(0, 20_000)) || isCfonb120(head);
}

export function parseStatement(input: Uint8Array | string): ParsedStatements {
  return withDatesInRange(parseStatementOfAnyFormat(input));
}

/** Every date a statement carries must be in the range Encours accepts everywhere (1900–2199). */
function withDatesInRange(parsed: ParsedStatements): ParsedStatements {
  parsed.statements.forEach((statement, s) => {
    const where = `statement ${s + 1}`;
    for (const field of ['openingDate', 'closingDate'] as const) {
      const value = statement[field];
      if (value !== null && !isIsoDate(value)) throw new StatementParseError(`${where}, ${field}`, `"${value}" ${DATE_RANGE_REASON}`);
    }
    statement.lines.forEach((line, l) => {
      for (const field of ['bookingDate', 'valueDate'] as const) {
        const value = line[field];
        if (value !== null && !isIsoDate(value)) throw new StatementParseError(`${where}, entry ${l + 1}, ${field}`, `"${value}" ${DATE_RANGE_REASON}`);
      }
    });
  });
  return parsed;
}

function parseStatementOfAnyFormat(input: Uint8Array | string): ParsedStatements {
  if (input.length > MAX_STATEMENT_BYTES) throw new StatementParseError('file', `larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MB`);
  const text = typeof input === 'string' ? input : decodeText(input);
  const head = text.slice(0, 4096);
  if (isCamt(head)) return parseCamt(text);
  if (isOfx(head)) return parseOfx(text);
  if (isCfonb120(head)) return parseCfonb120(text);
  if (isMt940(text.slice(0, 20_000)) || /^\s*(\{1:|:\d{2}[A-Z]?:)/.test(text)) return parseMt940(text);
  throw new StatementParseError('file', 'not a bank statement (expected camt.052/053/054 XML, CFONB 120, MT940/MT942 or OFX)');
}
