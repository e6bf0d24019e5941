/**
 * Detects what a file is and parses it with the right parser, storing nothing:
 * the single entry point behind `encours parse` and imports.
 */
import { isPdf } from './einvoice/facturx-pdf';
import { parseEInvoice } from './einvoice/parse-einvoice';
import { EInvoiceError, type EInvoice } from './einvoice/types';
import { decodeText, looksLikeStatement, MAX_STATEMENT_BYTES, parseStatement } from './statements/parse-statement';
import { StatementParseError, type ParsedStatements } from './statements/types';

export type ParsedDocument = { type: 'einvoice'; invoice: EInvoice } | { type: 'statement'; statements: ParsedStatements };

export class UnrecognisedFormatError extends Error {
  constructor(readonly fileName: string | undefined) {
    super(
      `${fileName ?? 'file'}: not a recognised format (expected a Factur-X/ZUGFeRD PDF, a CII or UBL invoice, or a camt.052/053/054, CFONB 120, MT940/MT942 or OFX statement)`,
    );
  }
}

const EINVOICE_ROOT = /<(?:[\w-]+:)?(CrossIndustryInvoice|Invoice|CreditNote)[\s>]/;

export async function parseDocument(bytes: Uint8Array, fileName?: string): Promise<ParsedDocument> {
  if (isPdf(bytes)) return { type: 'einvoice', invoice: await parseEInvoice(bytes) };
  const text = decodeText(bytes.subarray(0, Math.min(bytes.length, MAX_STATEMENT_BYTES + 1)));
  const head = text.slice(0, 4096);
  if (looksLikeStatement(text)) return { type: 'statement', statements: parseStatement(bytes) };
  if (head.trimStart().startsWith('<') && (EINVOICE_ROOT.test(head) || !/<(?:[\w-]+:)?Document[\s>]/.test(head))) {
    return { type: 'einvoice', invoice: await parseEInvoice(bytes) };
  }
  throw new UnrecognisedFormatError(fileName);
}

export { EInvoiceError, StatementParseError };
