import type { OpenInvoice, KnownCustomer } from '../../../domain/matching/match-payment';
import type { Db } from '../db';

export type StatementRow = {
  format: string; statementRef: string | null; accountIban: string | null; accountNumber: string | null; currency: string | null;
  openingBalance: number | null; closingBalance: number | null; openingDate: string | null; closingDate: string | null;
  isBalanceConsistent: boolean | null; balanceDifference: string | null; fingerprint: string;
};

/** Inserts a statement once (by fingerprint); returns its id and whether it is new. */
export async function insertStatement(db: Db, organisationId: string, importId: string | null, s: StatementRow): Promise<{ id: string; isNew: boolean }> {
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO bank_statements (organisation_id, import_id, format, statement_ref, account_iban, account_number, currency, opening_balance,
       closing_balance, opening_date, closing_date, is_balance_consistent, balance_difference, fingerprint)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (organisation_id, fingerprint) DO NOTHING RETURNING id`,
    [organisationId, importId, s.format, s.statementRef, s.accountIban, s.accountNumber, s.currency, s.openingBalance, s.closingBalance, s.openingDate, s.closingDate, s.isBalanceConsistent, s.balanceDifference, s.fingerprint],
  );
  if (inserted.length > 0) return { id: inserted[0].id, isNew: true };
  const [existing] = await db.query<{ id: string }>('SELECT id FROM bank_statements WHERE organisation_id = $1 AND fingerprint = $2', [organisationId, s.fingerprint]);
  return { id: existing.id, isNew: false };
}

export type LineRow = {
  lineNo: number; bookingDate: string; valueDate: string | null; amount: number; currency: string; counterpartyName: string | null;
  counterpartyIban: string | null; remittance: string | null; structuredReference: string | null; endToEndId: string | null;
  bankReference: string | null; fingerprint: string; status: 'debit' | 'unmatched';
};

/** Inserts lines not seen before (by fingerprint) and returns only those. */
export async function insertNewLines(db: Db, organisationId: string, statementId: string, lines: LineRow[]) {
  if (lines.length === 0) return [];
  const col = <K extends keyof LineRow>(k: K) => lines.map((l) => l[k]);
  return db.query<{ id: string; fingerprint: string }>(
    `INSERT INTO bank_lines (organisation_id, statement_id, line_no, booking_date, value_date, amount, currency, counterparty_name, counterparty_iban,
       remittance, structured_reference, end_to_end_id, bank_reference, fingerprint, status)
     SELECT $1, $2, * FROM unnest($3::int[], $4::date[], $5::date[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
       $12::text[], $13::text[], $14::text[], $15::text[])
     ON CONFLICT (organisation_id, fingerprint) DO NOTHING
     RETURNING id, fingerprint`,
    [organisationId, statementId, col('lineNo'), col('bookingDate'), col('valueDate'), col('amount'), col('currency'), col('counterpartyName'), col('counterpartyIban'),
      col('remittance'), col('structuredReference'), col('endToEndId'), col('bankReference'), col('fingerprint'), col('status')],
  );
}

/** What matching needs, loaded once per batch of lines. */
export async function loadMatchingData(db: Db, organisationId: string): Promise<{ invoices: OpenInvoice[]; customers: (KnownCustomer & { externalRef: string })[] }> {
  const invoices = await db.query<{ id: string; number: string; customer_id: string; currency: string; open_amount: number; due_date: string }>(
    `SELECT id, number, customer_id, currency, open_amount, due_date FROM invoices
     WHERE organisation_id = $1 AND open_amount > 0 AND status = 'open' AND kind = 'invoice'`,
    [organisationId],
  );
  const customers = await db.query<{ id: string; legal_name: string; external_ref: string; ibans: string[] }>(
    `SELECT c.id, c.legal_name, c.external_ref, coalesce(array_agg(ci.iban) FILTER (WHERE ci.iban IS NOT NULL), '{}') AS ibans
     FROM customers c LEFT JOIN customer_ibans ci ON ci.organisation_id = c.organisation_id AND ci.customer_id = c.id
     WHERE c.organisation_id = $1 GROUP BY c.id`,
    [organisationId],
  );
  return {
    invoices: invoices.map((i) => ({ id: i.id, number: i.number, customerId: i.customer_id, currency: i.currency, openAmount: i.open_amount, dueDate: i.due_date })),
    customers: customers.map((c) => ({ id: c.id, name: c.legal_name, externalRef: c.external_ref, ibans: c.ibans })),
  };
}

export async function insertMatch(
  db: Db,
  organisationId: string,
  m: { lineId: string; customerId: string | null; method: string; confidence: number; reasons: string[]; allocations: unknown; unapplied: number; status: 'applied' | 'proposed'; paymentId: string | null },
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO payment_matches (organisation_id, line_id, customer_id, method, confidence, reasons, allocations, unapplied, status, payment_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10) RETURNING id`,
    [organisationId, m.lineId, m.customerId, m.method, m.confidence, JSON.stringify(m.reasons), JSON.stringify(m.allocations), m.unapplied, m.status, m.paymentId],
  );
  return row.id;
}

export async function setLineStatus(db: Db, organisationId: string, lineId: string, status: 'unmatched' | 'proposed' | 'matched' | 'ignored') {
  await db.query('UPDATE bank_lines SET status = $3 WHERE organisation_id = $1 AND id = $2', [organisationId, lineId, status]);
}

export async function rememberIban(db: Db, organisationId: string, customerId: string, iban: string) {
  await db.query(
    `INSERT INTO customer_ibans (organisation_id, customer_id, iban) VALUES ($1, $2, $3) ON CONFLICT (organisation_id, iban) DO NOTHING`,
    [organisationId, customerId, iban.replace(/\s/g, '').toUpperCase()],
  );
}

export type MatchRow = {
  id: string; line_id: string; customer_id: string | null; customer_name: string | null; customer_ref: string | null; method: string; confidence: string;
  reasons: string[]; allocations: { invoiceId: string; invoiceNumber: string; amount: number }[]; unapplied: number; status: string; payment_id: string | null;
  booking_date: string; amount: number; currency: string; counterparty_name: string | null; counterparty_iban: string | null; remittance: string | null;
  line_fingerprint: string; created_at: Date;
};

const MATCH_SELECT = `SELECT m.id, m.line_id, m.customer_id, c.legal_name AS customer_name, c.external_ref AS customer_ref, m.method, m.confidence::text AS confidence,
       m.reasons, m.allocations, m.unapplied, m.status, m.payment_id, l.booking_date, l.amount, l.currency, l.counterparty_name, l.counterparty_iban,
       l.remittance, l.fingerprint AS line_fingerprint, m.created_at
     FROM payment_matches m JOIN bank_lines l ON l.id = m.line_id LEFT JOIN customers c ON c.id = m.customer_id`;

export async function listMatches(db: Db, organisationId: string, filter: { status?: string; limit: number }) {
  return db.query<MatchRow>(
    `${MATCH_SELECT} WHERE m.organisation_id = $1 AND ($2::text IS NULL OR m.status = $2) ORDER BY l.booking_date DESC, m.id LIMIT $3`,
    [organisationId, filter.status ?? null, filter.limit],
  );
}

export async function getMatch(db: Db, organisationId: string, id: string): Promise<MatchRow | undefined> {
  const [row] = await db.query<MatchRow>(`${MATCH_SELECT} WHERE m.organisation_id = $1 AND m.id = $2 FOR UPDATE OF m`, [organisationId, id]);
  return row;
}

export async function decideMatch(db: Db, organisationId: string, id: string, decision: { status: 'applied' | 'rejected' | 'undone'; paymentId?: string | null; by: { type: string; id: string | null } }) {
  await db.query(
    `UPDATE payment_matches SET status = $3, payment_id = coalesce($4, payment_id), decided_by_type = $5, decided_by = $6, decided_at = now()
     WHERE organisation_id = $1 AND id = $2`,
    [organisationId, id, decision.status, decision.paymentId ?? null, decision.by.type, decision.by.id],
  );
}

export async function listUnmatchedLines(db: Db, organisationId: string, limit: number) {
  return db.query<{ id: string; booking_date: string; amount: number; currency: string; counterparty_name: string | null; remittance: string | null; status: string }>(
    `SELECT id, booking_date, amount, currency, counterparty_name, remittance, status FROM bank_lines
     WHERE organisation_id = $1 AND status = 'unmatched' ORDER BY booking_date DESC, id LIMIT $2`,
    [organisationId, limit],
  );
}

/** Deletes a payment and returns the invoices its allocations touched. */
export async function deletePayment(db: Db, organisationId: string, paymentId: string): Promise<string[]> {
  const released = await db.query<{ invoice_id: string }>('DELETE FROM allocations WHERE organisation_id = $1 AND payment_id = $2 RETURNING invoice_id', [organisationId, paymentId]);
  await db.query('DELETE FROM payments WHERE organisation_id = $1 AND id = $2', [organisationId, paymentId]);
  return released.map((r) => r.invoice_id);
}
