/**
 * What crosses between the main thread and a parsing worker. Parse errors are sent as plain data
 * and rebuilt as the same classes, so callers keep their `instanceof` checks.
 */
import { EInvoiceError } from '../../formats/einvoice/types';
import { UnrecognisedFormatError } from '../../formats/parse-document';
import { SpreadsheetError } from '../../formats/spreadsheet/read-rows';
import { StatementParseError } from '../../formats/statements/types';

export type ParseKind = 'statement' | 'einvoice' | 'rows';
export type ToWorker = { type: 'start'; kind: ParseKind; bytes: Uint8Array } | { type: 'more' } | { type: 'cancel' };
export type WireError = { name: string; message: string; location?: string; reason?: string };
export type FromWorker =
  | { type: 'result'; value: unknown }
  | { type: 'rows'; rows: unknown[] }
  | { type: 'end' }
  | { type: 'error'; error: WireError };

export function toWire(error: unknown): WireError {
  if (error instanceof Error) {
    const e = error as Error & { location?: string; reason?: string };
    return { name: e.name, message: e.message, location: e.location, reason: e.reason };
  }
  return { name: 'Error', message: String(error) };
}

export function fromWire(error: WireError): Error {
  const location = error.location ?? 'file';
  const reason = error.reason ?? error.message;
  switch (error.name) {
    case 'SpreadsheetError':
      return new SpreadsheetError(location, reason);
    case 'EInvoiceError':
      return new EInvoiceError(location, reason);
    case 'StatementParseError':
      return new StatementParseError(location, reason);
    case 'UnrecognisedFormatError': {
      const e = new UnrecognisedFormatError(undefined);
      e.message = error.message;
      return e;
    }
    default: {
      const e = new Error(error.message);
      e.name = error.name;
      return e;
    }
  }
}
