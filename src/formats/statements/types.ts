/** Bank statements normalised from camt.052/053/054, CFONB 120, MT940/MT942 and OFX. */
export type StatementLine = {
  bookingDate: string;
  valueDate: string | null;
  /** Signed decimal in the statement currency: credits positive, debits negative. */
  amount: string;
  currency: string;
  counterparty: { name: string | null; iban: string | null; bic: string | null };
  remittance: { unstructured: string | null; structured: string | null };
  endToEndId: string | null;
  /** Bank reference: AcctSvcrRef, MT940 bank reference, CFONB entry number, OFX FITID. */
  reference: string | null;
  bankTransactionCode: string | null;
};

export type Statement = {
  id: string | null;
  account: { iban: string | null; number: string | null; bic: string | null; name: string | null };
  currency: string;
  openingBalance: string | null;
  closingBalance: string | null;
  openingDate: string | null;
  closingDate: string | null;
  lines: StatementLine[];
  /** opening + Σ lines = closing, when both balances are known. */
  balanceCheck: { isConsistent: boolean; difference: string } | null;
};

export type StatementFormat = 'camt.052' | 'camt.053' | 'camt.054' | 'cfonb120' | 'mt940' | 'mt942' | 'ofx';
export type ParsedStatements = { format: StatementFormat; statements: Statement[] };

export class StatementParseError extends Error {
  constructor(
    /** Where: line number, element path or record. */
    readonly location: string,
    readonly reason: string,
  ) {
    super(`${location}: ${reason}`);
    this.name = 'StatementParseError';
  }
}
