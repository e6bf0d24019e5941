import type { Actor } from '../../../app/actor';
import type { InvoiceRecord } from '../../../domain/receivables/records';
import type { Db } from '../db';

const actorJson = (actor: Actor) => JSON.stringify({ type: actor.type, id: actor.id });

/**
 * Inserts or updates invoices and credit notes by number. An update keeps what allocations
 * already settled: open = new total − (old total − old open). Updated rows are audited with
 * before/after images; rows whose values did not change are not touched.
 */
export async function upsertInvoiceRows(
  db: Db,
  actor: Actor,
  records: (InvoiceRecord & { customerId: string })[],
): Promise<{ inserted: number; updated: number; overSettled: string[] }> {
  const [result] = await db.query<{ inserted: number; updated: number; over_settled: string[] }>(
    `WITH input AS (
       SELECT * FROM unnest($3::text[], $4::uuid[], $5::text[], $6::date[], $7::date[], $8::text[], $9::bigint[], $10::bigint[], $11::boolean[], $12::text[])
         AS t(number, customer_id, kind, issue_date, due_date, currency, total_excl_tax, total_incl_tax, is_disputed, order_number)
     ),
     up AS (
       INSERT INTO invoices (organisation_id, number, customer_id, kind, issue_date, due_date, currency,
                             total_excl_tax, total_incl_tax, open_amount, status, is_disputed, order_number)
       SELECT $1, number, customer_id, kind, issue_date, due_date, currency, total_excl_tax, total_incl_tax,
              total_incl_tax, CASE WHEN total_incl_tax = 0 THEN 'paid' ELSE 'open' END, is_disputed, order_number
       FROM input
       ON CONFLICT (organisation_id, number) DO UPDATE SET
         customer_id = EXCLUDED.customer_id, kind = EXCLUDED.kind, issue_date = EXCLUDED.issue_date,
         due_date = EXCLUDED.due_date, currency = EXCLUDED.currency, total_excl_tax = EXCLUDED.total_excl_tax,
         total_incl_tax = EXCLUDED.total_incl_tax,
         open_amount = EXCLUDED.total_incl_tax - (invoices.total_incl_tax - invoices.open_amount),
         status = CASE WHEN invoices.status = 'cancelled' THEN 'cancelled'
                       WHEN EXCLUDED.total_incl_tax - (invoices.total_incl_tax - invoices.open_amount) = 0 THEN 'paid' ELSE 'open' END,
         paid_date = CASE WHEN EXCLUDED.total_incl_tax - (invoices.total_incl_tax - invoices.open_amount) = 0 THEN invoices.paid_date END,
         is_disputed = EXCLUDED.is_disputed, order_number = EXCLUDED.order_number, updated_at = now()
       WHERE (invoices.customer_id, invoices.kind, invoices.issue_date, invoices.due_date, invoices.currency,
              invoices.total_excl_tax, invoices.total_incl_tax, invoices.is_disputed, invoices.order_number)
         IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.kind, EXCLUDED.issue_date, EXCLUDED.due_date, EXCLUDED.currency,
              EXCLUDED.total_excl_tax, EXCLUDED.total_incl_tax, EXCLUDED.is_disputed, EXCLUDED.order_number)
       RETURNING invoices.*, (xmax = 0) AS inserted
     ),
     -- Every part of one statement reads the snapshot taken before it: joined here, invoices
     -- still shows the updated rows as they were (the before image) and not the inserted ones.
     audit AS (
       INSERT INTO audit_log (organisation_id, actor_type, actor_id, action, entity, entity_id, before, after)
       SELECT $1, $2::jsonb->>'type', ($2::jsonb->>'id')::uuid, 'update', 'invoice', up.id, to_jsonb(old), to_jsonb(up) - 'inserted'
       FROM up JOIN invoices old ON old.id = up.id AND old.organisation_id = $1
       WHERE NOT up.inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
            -- A new total below what was already paid would leave a negative open amount.
            coalesce(array_agg(number) FILTER (WHERE NOT inserted AND kind = 'invoice' AND open_amount < 0), '{}') AS over_settled
     FROM up`,
    [
      actor.organisationId,
      actorJson(actor),
      records.map((r) => r.number),
      records.map((r) => r.customerId),
      records.map((r) => r.kind),
      records.map((r) => r.issueDate),
      records.map((r) => r.dueDate),
      records.map((r) => r.currency),
      records.map((r) => r.totalExclTax),
      records.map((r) => r.totalInclTax),
      records.map((r) => r.isDisputed ?? false),
      records.map((r) => r.orderNumber ?? null),
    ],
  );
  return { inserted: result.inserted, updated: result.updated, overSettled: result.over_settled };
}

export type InvoiceRef = { id: string; number: string; customer_id: string; currency: string; kind: string; total_incl_tax: number };

export async function findInvoicesByNumber(db: Db, organisationId: string, numbers: string[]): Promise<Map<string, InvoiceRef>> {
  const rows = await db.query<InvoiceRef>(
    'SELECT id, number, customer_id, currency, kind, total_incl_tax FROM invoices WHERE organisation_id = $1 AND number = ANY($2::text[])',
    [organisationId, numbers],
  );
  return new Map(rows.map((r) => [r.number, r]));
}

/** Recomputes open amount, status and settlement date of invoices from their allocations. */
export async function refreshInvoiceBalances(db: Db, organisationId: string, invoiceIds: string[]): Promise<{ number: string; open_amount: number }[]> {
  if (invoiceIds.length === 0) return [];
  return db.query<{ number: string; open_amount: number }>(
    `UPDATE invoices i SET
       open_amount = i.total_incl_tax - coalesce(a.allocated, 0),
       status = CASE WHEN i.status = 'cancelled' THEN 'cancelled' WHEN i.total_incl_tax - coalesce(a.allocated, 0) = 0 THEN 'paid' ELSE 'open' END,
       paid_date = CASE WHEN i.total_incl_tax - coalesce(a.allocated, 0) = 0 THEN a.last_date END,
       updated_at = now()
     FROM (SELECT id FROM unnest($2::uuid[]) AS id) AS ids
     LEFT JOIN (
       SELECT invoice_id, sum(amount) AS allocated, max(allocation_date) AS last_date
       FROM allocations WHERE organisation_id = $1 AND invoice_id = ANY($2::uuid[]) GROUP BY invoice_id
     ) a ON a.invoice_id = ids.id
     WHERE i.organisation_id = $1 AND i.id = ids.id
     RETURNING i.number, i.open_amount`,
    [organisationId, invoiceIds],
  );
}
