/**
 * What crosses between the main thread and a parsing worker. Parse errors are sent as plain data
 * and rebuilt as the same classes on the main thread (parse-pool.ts), so callers keep their
 * `instanceof` checks. Types only here: the worker loads just the parser its file needs.
 */
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
