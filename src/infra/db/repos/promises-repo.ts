import { DEFAULT_PROMISE_GRACE_DAYS, type PromiseTerms, type ReceivedPayment } from '../../../domain/collections/promises';
import type { Db } from '../db';

export type PromiseRow = {
  id: string; customer_id: string; amount: number; currency: string; made_on: string; promised_date: string; invoice_numbers: string[];
  note: string | null; created_by_type: string; created_at: string; cancelled_at: string | null; cancel_reason: string | null;
};

const SELECT_PROMISE = `SELECT pr.id, pr.customer_id, pr.amount, pr.currency, pr.made_on, pr.promised_date, pr.note, pr.created_by_type, pr.created_at,
       pr.cancelled_at, pr.cancel_reason,
       coalesce((SELECT array_agg(i.number ORDER BY i.number) FROM invoices i WHERE i.organisation_id = pr.organisation_id AND i.id = ANY(pr.invoice_ids)), '{}') AS invoice_numbers
FROM payment_promises pr`;

export async function insertPromise(
  db: Db,
  row: { organisationId: string; customerId: string; amount: number; currency: string; madeOn: string; promisedDate: string; invoiceIds: string[]; note: string | null; createdByType: string; createdBy: string | null },
): Promise<PromiseRow> {
  const [{ id }] = await db.query<{ id: string }>(
    `INSERT INTO payment_promises (organisation_id, customer_id, amount, currency, made_on, promised_date, invoice_ids, note, created_by_type, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9, $10) RETURNING id`,
    [row.organisationId, row.customerId, row.amount, row.currency, row.madeOn, row.promisedDate, row.invoiceIds, row.note, row.createdByType, row.createdBy],
  );
  return (await findPromise(db, row.organisationId, id)) as PromiseRow;
}

export async function findPromise(db: Db, organisationId: string, id: string): Promise<PromiseRow | undefined> {
  const [row] = await db.query<PromiseRow>(`${SELECT_PROMISE} WHERE pr.organisation_id = $1 AND pr.id = $2`, [organisationId, id]);
  return row;
}

export async function listPromises(db: Db, organisationId: string, customerId: string): Promise<PromiseRow[]> {
  return db.query<PromiseRow>(`${SELECT_PROMISE} WHERE pr.organisation_id = $1 AND pr.customer_id = $2 ORDER BY pr.promised_date DESC, pr.created_at DESC`, [organisationId, customerId]);
}

export async function cancelPromise(db: Db, organisationId: string, id: string, reason: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE payment_promises SET cancelled_at = now(), cancel_reason = $3 WHERE organisation_id = $1 AND id = $2 AND cancelled_at IS NULL RETURNING id',
    [organisationId, id, reason],
  );
  return rows.length > 0;
}

/**
 * The promises of the given customers (all, if none given) made by `asOf` (and whose deadline fell
 * in the last `withinDays`, when given), and the payments that may count towards them, by
 * customer; with the organisation's days of grace after a promised date.
 */
export async function promisesWithPayments(db: Db, organisationId: string, asOf: string, customerIds?: string[], withinDays?: number) {
  const [settings] = await db.query<{ grace: number | null }>(`SELECT (settings->'collections'->>'promiseGraceDays')::int AS grace FROM organisations WHERE id = $1`, [organisationId]);
  const graceDays = settings?.grace ?? DEFAULT_PROMISE_GRACE_DAYS;
  const promises = await db.query<{ id: string; customer_id: string; amount: number; currency: string; made_on: string; promised_date: string; cancelled: boolean }>(
    `SELECT id, customer_id, amount, currency, made_on, promised_date, cancelled_at IS NOT NULL AS cancelled FROM payment_promises
     WHERE organisation_id = $1 AND ($3::uuid[] IS NULL OR customer_id = ANY($3::uuid[])) AND made_on <= $2::date AND ($4::int IS NULL OR promised_date + $5::int > $2::date - $4::int)`,
    [organisationId, asOf, customerIds ?? null, withinDays ?? null, graceDays],
  );
  const byCustomer = new Map<string, { promises: PromiseTerms[]; payments: ReceivedPayment[] }>();
  for (const p of promises) {
    const entry = byCustomer.get(p.customer_id) ?? { promises: [], payments: [] };
    entry.promises.push({ id: p.id, amount: p.amount, currency: p.currency, madeOn: p.made_on, promisedDate: p.promised_date, cancelled: p.cancelled });
    byCustomer.set(p.customer_id, entry);
  }
  if (byCustomer.size === 0) return { graceDays, byCustomer };
  const payments = await db.query<{ customer_id: string; received_date: string; amount: number; currency: string }>(
    `SELECT p.customer_id, p.received_date, p.amount, p.currency::text AS currency
     FROM payments p JOIN (SELECT customer_id, min(made_on) AS first, max(promised_date) + $4::int AS last FROM payment_promises
                           WHERE organisation_id = $1 AND customer_id = ANY($2::uuid[]) GROUP BY customer_id) w ON w.customer_id = p.customer_id
     WHERE p.organisation_id = $1 AND p.received_date BETWEEN w.first AND least(w.last, $3::date)`,
    [organisationId, [...byCustomer.keys()], asOf, graceDays],
  );
  for (const p of payments) byCustomer.get(p.customer_id)?.payments.push({ receivedDate: p.received_date, amount: p.amount, currency: p.currency });
  return { graceDays, byCustomer };
}
