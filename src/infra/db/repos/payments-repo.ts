import type { Db } from '../db';

export type StoredPayment = {
  id: string;
  reference: string;
  customer_id: string | null;
  received_date: string;
  currency: string;
  amount: number;
  method: string | null;
  allocations: { invoice_number: string; invoice_id: string; amount: number }[];
};

export async function findPaymentsByReference(db: Db, organisationId: string, references: string[]): Promise<Map<string, StoredPayment>> {
  const rows = await db.query<StoredPayment>(
    `SELECT p.id, p.reference, p.customer_id, p.received_date, p.currency, p.amount, p.method,
            coalesce(jsonb_agg(jsonb_build_object('invoice_number', i.number, 'invoice_id', i.id, 'amount', a.amount) ORDER BY i.number)
                     FILTER (WHERE a.id IS NOT NULL), '[]'::jsonb) AS allocations
     FROM payments p
     LEFT JOIN allocations a ON a.payment_id = p.id
     LEFT JOIN invoices i ON i.organisation_id = a.organisation_id AND i.id = a.invoice_id
     WHERE p.organisation_id = $1 AND p.reference = ANY($2::text[])
     GROUP BY p.id`,
    [organisationId, references],
  );
  return new Map(rows.map((r) => [r.reference, r]));
}

export type PaymentRow = {
  reference: string;
  customerId: string | null;
  receivedDate: string;
  currency: string;
  amount: number;
  unappliedAmount: number;
  method: string | null;
};

/** Inserts or replaces payments by reference; returns their ids by reference. */
export async function upsertPaymentRows(db: Db, organisationId: string, rows: PaymentRow[]): Promise<Map<string, string>> {
  const result = await db.query<{ id: string; reference: string }>(
    `INSERT INTO payments (organisation_id, reference, customer_id, received_date, currency, amount, unapplied_amount, method)
     SELECT $1, * FROM unnest($2::text[], $3::uuid[], $4::date[], $5::text[], $6::bigint[], $7::bigint[], $8::text[])
     ON CONFLICT (organisation_id, reference) DO UPDATE SET
       customer_id = EXCLUDED.customer_id, received_date = EXCLUDED.received_date, currency = EXCLUDED.currency,
       amount = EXCLUDED.amount, unapplied_amount = EXCLUDED.unapplied_amount, method = EXCLUDED.method
     RETURNING id, reference`,
    [
      organisationId,
      rows.map((r) => r.reference),
      rows.map((r) => r.customerId),
      rows.map((r) => r.receivedDate),
      rows.map((r) => r.currency),
      rows.map((r) => r.amount),
      rows.map((r) => r.unappliedAmount),
      rows.map((r) => r.method),
    ],
  );
  return new Map(result.map((r) => [r.reference, r.id]));
}

/** Removes the allocations of these payments; returns the invoices they touched. */
export async function deleteAllocationsOf(db: Db, organisationId: string, paymentIds: string[]): Promise<string[]> {
  if (paymentIds.length === 0) return [];
  const rows = await db.query<{ invoice_id: string }>(
    'DELETE FROM allocations WHERE organisation_id = $1 AND payment_id = ANY($2::uuid[]) RETURNING invoice_id',
    [organisationId, paymentIds],
  );
  return rows.map((r) => r.invoice_id);
}

export async function insertAllocations(
  db: Db,
  organisationId: string,
  allocations: { paymentId: string; invoiceId: string; amount: number; date: string }[],
): Promise<void> {
  if (allocations.length === 0) return;
  await db.query(
    `INSERT INTO allocations (organisation_id, payment_id, invoice_id, amount, allocation_date)
     SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::date[])`,
    [
      organisationId,
      allocations.map((a) => a.paymentId),
      allocations.map((a) => a.invoiceId),
      allocations.map((a) => a.amount),
      allocations.map((a) => a.date),
    ],
  );
}
