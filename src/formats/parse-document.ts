/**
 * Detects what a file is and parses it with the right parser, storing nothing:
 * the single entry point behind `encours parse` and imports.
 */
import { isPdf } from './einvoice/facturx-pdf';
import { parseEInvoice } from './einvoice/parse-einvoice';
import { EInvoiceError, type EInvoice } from './einvoice/types';

export type ParsedDocument = { type: 'einvoice'; invoice: EInvoice };

export class UnrecognisedFormatError extends Error {
  constructor(readonly fileName: string | undefined) {
    super(`${fileName ?? 'file'}: not a recognised format (expected a Factur-X/ZUGFeRD PDF, or a CII or UBL invoice)`);
  }
}

const EINVOICE_ROOT = /<(?:[\w-]+:)?(CrossIndustryInvoice|Invoice|CreditNote)[\s>]/;

export async function parseDocument(bytes: Uint8Array, fileName?: string): Promise<ParsedDocument> {
  if (isPdf(bytes)) return { type: 'einvoice', invoice: await parseEInvoice(bytes) };
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096));
  if (head.trimStart().startsWith('<')) {
    if (EINVOICE_ROOT.test(head) || !/<(?:[\w-]+:)?Document[\s>]/.test(head)) return { type: 'einvoice', invoice: await parseEInvoice(bytes) };
  }
  throw new UnrecognisedFormatError(fileName);
}

export { EInvoiceError };
