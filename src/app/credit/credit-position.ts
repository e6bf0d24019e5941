import { type CreditLimit, effectiveLimit, exposureOf, insuredPart, insurerCover } from '../../domain/credit/limits';
import { type LegalEventKind, legalStatusOf } from '../../domain/legal/legal-events';
import type { Db } from '../../infra/db/db';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import { customerOutstanding, getCustomer } from '../../infra/db/repos/ledger-queries';
import type { Actor } from '../actor';
import { notFound } from '../app-error';

type LimitRow = { id: string; customer_id: string; source: CreditLimit['source']; scope: 'customer' | 'group'; amount: number; cover_percent: string | null; valid_from: string; valid_until: string | null; reason: string | null; created_by_type: string; created_at: Date };
const toLimit = (l: LimitRow): CreditLimit => ({ source: l.source, amount: l.amount, validFrom: l.valid_from, validUntil: l.valid_until, reason: l.reason, coverPercent: l.cover_percent });

export type CreditSettings = { thresholds?: number[]; segmentThresholds?: Record<string, number[]>; maxOverdueDays?: number; requireLimit?: boolean; deductInsured?: boolean };

/**
 * A customer's credit position now: the limit in force (and why), its exposure (open receivables
 * in the organisation currency + open orders in that currency, less the insured part when the
 * organisation deducts it), the share of the limit used, the thresholds crossed, its group's
 * shared limit and exposure, and what blocks new credit (legal procedure, closure, manual block).
 */
export async function creditPosition(options: { db: Db; actor: Actor; customerId: string; today: string }) {
  const { db, actor, customerId, today } = options;
  const organisationId = actor.organisationId;
  const org = await getOrganisation(db, organisationId);
  const baseCurrency = org?.base_currency ?? 'EUR';
  const settings = ((org?.settings as { credit?: CreditSettings })?.credit ?? {}) as CreditSettings;
  const found = await getCustomer(db, { organisationId, baseCurrency, today, id: customerId });
  if (!found) throw notFound('customer');
  const [customer] = await db.query<{ siren: string | null; blocked: boolean; parent_id: string | null; has_subsidiaries: boolean }>(
    `SELECT siren, blocked, parent_id, EXISTS (SELECT 1 FROM customers s WHERE s.organisation_id = c.organisation_id AND s.parent_id = c.id) AS has_subsidiaries
     FROM customers c WHERE organisation_id = $1 AND id = $2`,
    [organisationId, customerId],
  );
  const groupRoot = customer.parent_id ?? (customer.has_subsidiaries ? customerId : null);
  const limits = await db.query<LimitRow>(
    `SELECT id, customer_id, source, scope, amount, cover_percent, valid_from, valid_until, reason, created_by_type, created_at FROM credit_limits
     WHERE organisation_id = $1 AND ((customer_id = $2 AND scope = 'customer') OR (customer_id = $3 AND scope = 'group')) ORDER BY created_at DESC, id`,
    [organisationId, customerId, groupRoot],
  );
  const [orders] = await db.query<{ open_orders: number; oldest_overdue: number | null }>(
    `SELECT coalesce((SELECT sum(amount_incl_tax) FROM orders WHERE organisation_id = $1 AND customer_id = $2 AND status = 'open' AND currency = $3), 0)::bigint AS open_orders,
            (SELECT max($4::date - due_date) FROM invoices WHERE organisation_id = $1 AND customer_id = $2 AND status = 'open' AND open_amount > 0 AND due_date < $4::date) AS oldest_overdue`,
    [organisationId, customerId, baseCurrency, today],
  );
  const own = limits.filter((l) => l.scope === 'customer');
  const chosen = effectiveLimit(own.map(toLimit), today);
  const gross = found.summary.outstanding + orders.open_orders;
  const cover = insurerCover(own.map(toLimit), today);
  const insured = insuredPart(gross, cover);
  const exposure = exposureOf({ openReceivables: found.summary.outstanding, openOrders: orders.open_orders, insured: settings.deductInsured ? insured : 0, limit: chosen.limit?.amount ?? null, thresholds: (found.summary.segment && settings.segmentThresholds?.[found.summary.segment]) || settings.thresholds });

  let group: { rootId: string; name: string; members: number; exposure: number; limit: CreditLimit | null; limitReason: string; usedPercent: number | null } | null = null;
  if (groupRoot) {
    const members = await db.query<{ id: string; legal_name: string }>('SELECT id, legal_name FROM customers WHERE organisation_id = $1 AND (id = $2 OR parent_id = $2)', [organisationId, groupRoot]);
    const outstanding = await customerOutstanding(db, { organisationId, baseCurrency, today, ids: members.map((m) => m.id) });
    const [groupOrders] = await db.query<{ total: number }>(
      `SELECT coalesce(sum(amount_incl_tax), 0)::bigint AS total FROM orders WHERE organisation_id = $1 AND customer_id = ANY($2::uuid[]) AND status = 'open' AND currency = $3`,
      [organisationId, members.map((m) => m.id), baseCurrency],
    );
    const groupLimit = effectiveLimit(limits.filter((l) => l.scope === 'group').map(toLimit), today);
    const groupExposure = outstanding + groupOrders.total;
    group = {
      rootId: groupRoot,
      name: members.find((m) => m.id === groupRoot)?.legal_name ?? '',
      members: members.length,
      exposure: groupExposure,
      limit: groupLimit.limit,
      limitReason: groupLimit.reason,
      usedPercent: groupLimit.limit && groupLimit.limit.amount > 0 ? Math.round((groupExposure / groupLimit.limit.amount) * 1000) / 10 : null,
    };
  }

  const legalEvents = customer.siren
    ? await db.query<{ kind: LegalEventKind; published_on: string; judgment_date: string | null; cancelled: boolean }>(
        'SELECT kind, published_on, judgment_date, cancelled FROM legal_events WHERE organisation_id = $1 AND siren = $2',
        [organisationId, customer.siren],
      )
    : [];
  const legal = legalStatusOf(legalEvents.map((e) => ({ kind: e.kind, publishedOn: e.published_on, judgmentDate: e.judgment_date, cancelled: e.cancelled })), today);

  return {
    customerId,
    baseCurrency,
    settings,
    limit: chosen.limit,
    limitReason: chosen.reason,
    limits,
    openReceivables: found.summary.outstanding,
    openOrders: orders.open_orders,
    grossExposure: gross,
    insured,
    insurerCover: cover,
    oldestOverdueDays: orders.oldest_overdue ?? 0,
    group,
    legal,
    blocked: customer.blocked,
    ...exposure,
  };
}
