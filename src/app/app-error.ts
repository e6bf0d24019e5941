/** A refusal the caller can act on. The HTTP layer maps `code` to a status and an RFC 9457 body. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'data_dir_locked'
  | 'provider_unavailable';

export type FieldIssue = {
  /** Position of the record in a batch (0-based), when the input was a batch. */
  index?: number;
  /** Natural key of the record (invoice number, customer ref…), when known. */
  ref?: string;
  field: string;
  reason: string;
  value?: unknown;
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}
