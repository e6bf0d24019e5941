/** Detects the bank statement format from the content and parses it. */
import { isCamt, parseCamt } from './camt';
import { isCfonb120, parseCfonb120 } from './cfonb120';
import { isMt940, parseMt940 } from './mt940';
import { isOfx, parseOfx } from './ofx';
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
  if (input.length > MAX_STATEMENT_BYTES) throw new StatementParseError('file', `larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MB`);
  const text = typeof input === 'string' ? input : decodeText(input);
  const head = text.slice(0, 4096);
  if (isCamt(head)) return parseCamt(text);
  if (isOfx(head)) return parseOfx(text);
  if (isCfonb120(head)) return parseCfonb120(text);
  if (isMt940(text.slice(0, 20_000)) || /^\s*(\{1:|:\d{2}[A-Z]?:)/.test(text)) return parseMt940(text);
  throw new StatementParseError('file', 'not a bank statement (expected camt.052/053/054 XML, CFONB 120, MT940/MT942 or OFX)');
}
