import { type CreditLimit, effectiveLimit, exposureOf } from '../../domain/credit/limits';
import type { Db } from '../../infra/db/db';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import { getCustomer } from '../../infra/db/repos/ledger-queries';
import type { Actor } from '../actor';
import { notFound } from '../app-error';

/**
 * A customer's credit position now: the limit in force (and why), its exposure (open receivables
 * in the organisation currency + open orders in that currency), the share of the limit used and
 * the alert thresholds crossed.
 */
export async function creditPosition(options: { db: Db; actor: Actor; customerId: string; today: string }) {
  const { db, actor, customerId, today } = options;
  const org = await getOrganisation(db, actor.organisationId);
  const baseCurrency = org?.base_currency ?? 'EUR';
  const found = await getCustomer(db, { organisationId: actor.organisationId, baseCurrency, today, id: customerId });
  if (!found) throw notFound('customer');
  const limits = await db.query<{ id: string; source: CreditLimit['source']; amount: number; valid_from: string; valid_until: string | null; reason: string | null; created_by_type: string; created_at: Date }>(
    'SELECT id, source, amount, valid_from, valid_until, reason, created_by_type, created_at FROM credit_limits WHERE organisation_id = $1 AND customer_id = $2 ORDER BY created_at DESC, id',
    [actor.organisationId, customerId],
  );
  const [orders] = await db.query<{ open_orders: number; oldest_overdue: number | null }>(
    `SELECT coalesce((SELECT sum(amount_incl_tax) FROM orders WHERE organisation_id = $1 AND customer_id = $2 AND status = 'open' AND currency = $3), 0)::bigint AS open_orders,
            (SELECT max($4::date - due_date) FROM invoices WHERE organisation_id = $1 AND customer_id = $2 AND status = 'open' AND open_amount > 0 AND due_date < $4::date) AS oldest_overdue`,
    [actor.organisationId, customerId, baseCurrency, today],
  );
  const chosen = effectiveLimit(
    limits.map((l) => ({ source: l.source, amount: l.amount, validFrom: l.valid_from, validUntil: l.valid_until, reason: l.reason })),
    today,
  );
  const thresholds = ((org?.settings as { credit?: { thresholds?: number[] } })?.credit?.thresholds) ?? undefined;
  const exposure = exposureOf({ openReceivables: found.summary.outstanding, openOrders: orders.open_orders, limit: chosen.limit?.amount ?? null, thresholds });
  return { customerId, baseCurrency, limit: chosen.limit, limitReason: chosen.reason, limits, openReceivables: found.summary.outstanding, openOrders: orders.open_orders, oldestOverdueDays: orders.oldest_overdue ?? 0, ...exposure };
}
