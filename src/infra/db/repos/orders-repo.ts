import type { Actor } from '../../../app/actor';
import type { OrderRecord } from '../../../domain/receivables/records';
import type { Db } from '../db';

export async function upsertOrderRows(db: Db, actor: Actor, records: (OrderRecord & { customerId: string })[]) {
  const rows = await db.query<{ was_new: boolean }>(
    `WITH input AS (
       SELECT * FROM unnest($3::text[], $4::uuid[], $5::date[], $6::date[], $7::text[], $8::bigint[], $9::text[])
         AS t(number, customer_id, order_date, expected_invoice_date, currency, amount_incl_tax, status)
     ),
     old AS (SELECT o.* FROM orders o WHERE o.organisation_id = $1 AND o.number = ANY($3::text[])),
     up AS (
       INSERT INTO orders (organisation_id, number, customer_id, order_date, expected_invoice_date, currency, amount_incl_tax, status)
       SELECT $1, * FROM input
       ON CONFLICT (organisation_id, number) DO UPDATE SET
         customer_id = EXCLUDED.customer_id, order_date = EXCLUDED.order_date, expected_invoice_date = EXCLUDED.expected_invoice_date,
         currency = EXCLUDED.currency, amount_incl_tax = EXCLUDED.amount_incl_tax, status = EXCLUDED.status, updated_at = now()
       WHERE (orders.customer_id, orders.order_date, orders.expected_invoice_date, orders.currency, orders.amount_incl_tax, orders.status)
         IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.order_date, EXCLUDED.expected_invoice_date, EXCLUDED.currency, EXCLUDED.amount_incl_tax, EXCLUDED.status)
       RETURNING orders.*
     ),
     audit AS (
       INSERT INTO audit_log (organisation_id, actor_type, actor_id, action, entity, entity_id, before, after)
       SELECT $1, $2::jsonb->>'type', ($2::jsonb->>'id')::uuid, 'update', 'order', up.id, to_jsonb(old), to_jsonb(up)
       FROM up JOIN old ON old.id = up.id
     )
     SELECT old.id IS NULL AS was_new FROM up LEFT JOIN old ON old.id = up.id`,
    [
      actor.organisationId,
      JSON.stringify({ type: actor.type, id: actor.id }),
      records.map((r) => r.number),
      records.map((r) => r.customerId),
      records.map((r) => r.orderDate),
      records.map((r) => r.expectedInvoiceDate ?? null),
      records.map((r) => r.currency),
      records.map((r) => r.amountInclTax),
      records.map((r) => r.status),
    ],
  );
  const inserted = rows.filter((r) => r.was_new).length;
  return { inserted, updated: rows.length - inserted };
}
