import { type CreditLimit, effectiveLimit, exposureOf, insuredPart, insurerCover, type NoLimitPolicy } from '../../domain/credit/limits';
import { parseAmount } from '../../domain/money';
import { legalStatusOf } from '../../domain/legal/legal-events';
import type { Db } from '../../infra/db/db';
import { creditSnapshot, type LimitTerms } from '../../infra/db/repos/credit-repo';
import type { Actor } from '../actor';
import { notFound } from '../app-error';

export const toCreditLimit = (l: LimitTerms): CreditLimit => ({ source: l.source, amount: l.amount, validFrom: l.valid_from, validUntil: l.valid_until, reason: l.reason, coverPercent: l.cover_percent });

export type CreditSettings = {
  thresholds?: number[]; segmentThresholds?: Record<string, number[]>; maxOverdueDays?: number; requireLimit?: boolean; deductInsured?: boolean;
  noLimit?: NoLimitPolicy; defaultLimits?: Partial<Record<string, string>>; reservationDays?: number;
};
/** Days an accepted order check reserves its amount while its order has not arrived. */
export const DEFAULT_RESERVATION_DAYS = 7;

/**
 * A customer's credit position now: the limit in force (and why), its exposure (open receivables
 * in the organisation currency + open orders in that currency, less the insured part when the
 * organisation deducts it), the share of the limit used, the thresholds crossed, its group's
 * shared limit and exposure, and what blocks new credit (legal procedure, closure, manual block).
 */
export async function creditPosition(options: { db: Db; actor: Actor; customerId: string; today: string } | { db: Db; actor: Actor; customerRef: string; today: string }) {
  const { db, actor, today } = options;
  const s = await creditSnapshot(db, actor.organisationId, 'customerId' in options ? options.customerId : { ref: options.customerRef }, today);
  if (!s) throw notFound('customer');
  const customerId = s.customer_id;
  const settings = ((s.settings as { credit?: CreditSettings }).credit ?? {}) as CreditSettings;
  const own = s.limits.filter((l) => l.scope === 'customer');
  const chosen = effectiveLimit(own.map(toCreditLimit), today);
  const gross = s.outstanding + s.open_orders + s.reserved;
  const cover = insurerCover(own.map(toCreditLimit), today);
  const insured = insuredPart(gross, cover);
  const thresholds = (s.segment && settings.segmentThresholds?.[s.segment]) || settings.thresholds;
  const exposure = exposureOf({ openReceivables: s.outstanding, openOrders: s.open_orders, reserved: s.reserved, insured: settings.deductInsured ? insured : 0, limit: chosen.limit?.amount ?? null, thresholds });

  let group: { rootId: string; name: string; members: number; exposure: number; limit: CreditLimit | null; limitReason: string; usedPercent: number | null } | null = null;
  if (s.group_root) {
    const groupLimit = effectiveLimit(s.limits.filter((l) => l.scope === 'group').map(toCreditLimit), today);
    const groupExposure = s.group_outstanding + s.group_orders + s.group_reserved;
    group = {
      rootId: s.group_root,
      name: s.group_name ?? '',
      members: s.group_members,
      exposure: groupExposure,
      limit: groupLimit.limit,
      limitReason: groupLimit.reason,
      usedPercent: groupLimit.limit && groupLimit.limit.amount > 0 ? Math.round((groupExposure / groupLimit.limit.amount) * 1000) / 10 : null,
    };
  }
  const legal = legalStatusOf(s.legal_events.map((e) => ({ kind: e.kind, publishedOn: e.published_on, judgmentDate: e.judgment_date, cancelled: e.cancelled })), today);

  // With the 'band' policy, a customer without a limit is measured against its band's default limit.
  const defaultAmount = s.risk_band ? settings.defaultLimits?.[s.risk_band] : undefined;
  const parsedDefault = defaultAmount === undefined ? null : parseAmount(defaultAmount, s.base_currency);
  const defaultLimit = { band: s.risk_band, amount: parsedDefault?.ok ? parsedDefault.minor : null };

  return {
    customerId,
    baseCurrency: s.base_currency,
    settings,
    limit: chosen.limit,
    limitReason: chosen.reason,
    limits: s.limits,
    openReceivables: s.outstanding,
    openOrders: s.open_orders,
    reserved: s.reserved,
    riskBand: s.risk_band,
    defaultLimit,
    grossExposure: gross,
    insured,
    insurerCover: cover,
    oldestOverdueDays: s.oldest_overdue ?? 0,
    group,
    legal,
    blocked: s.blocked,
    openThresholdAlerts: s.open_threshold_alerts,
    /** The alert thresholds of the customer's segment, or the organisation's (undefined: the defaults). */
    thresholds,
    ...exposure,
  };
}
