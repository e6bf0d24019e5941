/**
 * Credit limits and exposure (domain-rules.md §4; issue #4 §5–7): the effective limit among
 * several sources, exposure = open receivables + orders not yet invoiced − insured part, the share
 * of the limit used, the alert thresholds crossed, and the answer to an order check.
 */
import type { Band } from '../scoring/bureau-scales';
import type { LegalStatus } from '../legal/legal-events';

export type LimitSource = 'insurer' | 'provider' | 'internal' | 'policy';
export type CreditLimit = { source: LimitSource; amount: number; validFrom: string; validUntil: string | null; reason: string | null; coverPercent?: string | null };

/**
 * The limit in force at `asOf`: a temporary limit (with an end date) wins while it lasts; then an
 * internal decision overrides; otherwise the most prudent of insurer and provider (the lower one).
 */
export function effectiveLimit(limits: CreditLimit[], asOf: string): { limit: CreditLimit | null; reason: string } {
  const current = limits.filter((l) => l.validFrom <= asOf && (l.validUntil === null || l.validUntil >= asOf));
  if (current.length === 0) return { limit: null, reason: 'no limit in force' };
  const latest = (list: CreditLimit[]) => [...list].sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  const temporary = current.filter((l) => l.validUntil !== null);
  if (temporary.length > 0) {
    const t = latest(temporary);
    return { limit: t, reason: `temporary ${t.source} limit until ${t.validUntil}` };
  }
  const internal = current.filter((l) => l.source === 'internal');
  if (internal.length > 0) return { limit: latest(internal), reason: 'internal decision overrides other sources' };
  // Insurer, provider and policy limits: the most prudent (lowest) wins.
  const perSource = (['insurer', 'provider', 'policy'] as const).map((s) => current.filter((l) => l.source === s)).filter((l) => l.length > 0).map(latest);
  const lowest = perSource.sort((a, b) => a.amount - b.amount)[0];
  return { limit: lowest, reason: perSource.length > 1 ? `lowest of ${perSource.map((l) => l.source).sort().join(', ')} limits (${lowest.source})` : `${lowest.source} limit` };
}

/** The insurer cover in force (amount and quotité), if any: it is what an insured exposure deducts. */
export function insurerCover(limits: CreditLimit[], asOf: string): { amount: number; coverPercent: string } | null {
  const current = limits.filter((l) => l.source === 'insurer' && l.validFrom <= asOf && (l.validUntil === null || l.validUntil >= asOf));
  const latest = [...current].sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  return latest?.coverPercent ? { amount: latest.amount, coverPercent: latest.coverPercent } : null;
}

/** Insured part = min(gross exposure, cover amount) × quotité, rounded down to the minor unit. */
export function insuredPart(grossExposure: number, cover: { amount: number; coverPercent: string } | null): number {
  if (!cover || grossExposure <= 0) return 0;
  const [whole, fraction = ''] = cover.coverPercent.split('.');
  const basisPoints = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return Math.floor((Math.min(grossExposure, cover.amount) * basisPoints) / 10_000);
}

/**
 * A policy limit from the company's equity and turnover by risk band (domain-rules.md §4.2:
 * grade-dependent share of net worth and of turnover, the most restrictive wins), rounded down to
 * `step`. Bands without a share get 0: cash in advance or secured only.
 */
export type LimitPolicy = Partial<Record<Band, { equityPercent: number; revenuePercent?: number } | null>>;
export const DEFAULT_LIMIT_POLICY: LimitPolicy = { A: { equityPercent: 35, revenuePercent: 5 }, B: { equityPercent: 25, revenuePercent: 4 }, C: { equityPercent: 10, revenuePercent: 2 } };

export function policyLimit(options: { band: Band; equity: number | null; revenue?: number | null; policy?: LimitPolicy; step?: number }): { amount: number; reason: string } | null {
  // An organisation's policy overrides band by band; null (or absent from both) = no credit.
  const rule = options.policy && options.band in options.policy ? options.policy[options.band] : DEFAULT_LIMIT_POLICY[options.band];
  if (!rule) return { amount: 0, reason: `band ${options.band}: no credit (cash in advance or secured only)` };
  if (options.equity === null) return null;
  const byEquity = Math.max(0, Math.floor((options.equity * rule.equityPercent) / 100));
  const byRevenue = rule.revenuePercent !== undefined && options.revenue !== null && options.revenue !== undefined ? Math.max(0, Math.floor((options.revenue * rule.revenuePercent) / 100)) : null;
  const step = options.step ?? 100_000;
  const amount = Math.floor(Math.min(byEquity, byRevenue ?? byEquity) / step) * step;
  const reason = byRevenue !== null && byRevenue < byEquity
    ? `band ${options.band}: ${rule.revenuePercent} % of turnover (lower than ${rule.equityPercent} % of equity)`
    : `band ${options.band}: ${rule.equityPercent} % of equity`;
  return { amount, reason };
}

export const DEFAULT_THRESHOLDS = [50, 70, 90, 100];

/** Exposure = open receivables + open orders + amounts reserved by accepted order checks not yet ordered − insured part. */
export function exposureOf(options: { openReceivables: number; openOrders: number; reserved?: number; insured?: number; limit: number | null; thresholds?: number[] }) {
  const exposure = options.openReceivables + options.openOrders + (options.reserved ?? 0) - (options.insured ?? 0);
  const usedPercent = options.limit && options.limit > 0 ? Math.round((exposure / options.limit) * 1000) / 10 : null;
  const crossed = usedPercent === null ? [] : (options.thresholds ?? DEFAULT_THRESHOLDS).filter((t) => usedPercent >= t);
  return { exposure, usedPercent, thresholdsCrossed: crossed, available: options.limit === null ? null : options.limit - exposure };
}

export type OrderDecision = 'accepted' | 'on_hold' | 'refused';
const PROCEDURE_NAMES = { sauvegarde: 'procédure de sauvegarde', redressement: 'redressement judiciaire', liquidation: 'liquidation judiciaire' } as const;

/**
 * What an order check does for a customer without any limit (neither its own nor its group's):
 * accept it, hold it for a person, refuse it, or (`band`) measure it against a default limit set
 * for the customer's risk band — the caller passes that default as `defaultLimit`.
 */
export type NoLimitPolicy = 'accept' | 'hold' | 'refuse' | 'band';
export const NO_LIMIT_POLICIES = ['accept', 'hold', 'refuse', 'band'] as const satisfies readonly NoLimitPolicy[];

/**
 * Order check for ERPs and CRMs: accept when the order fits under the limit and nothing is badly
 * overdue; hold it (for a person to release) when it would exceed the limit or an invoice is overdue
 * beyond the tolerated days. A customer without a limit is decided by the organisation's
 * `noLimit` policy (default accept; `requireLimit` is the former name of `refuse`), and the reason
 * says there is no limit rather than "within the limit".
 */
export function checkOrder(options: {
  amount: number;
  exposure: number;
  limit: number | null;
  oldestOverdueDays: number;
  maxOverdueDays?: number;
  requireLimit?: boolean;
  noLimit?: NoLimitPolicy;
  /** With `noLimit: 'band'`: the default limit of the customer's band, or null when its band has none (or it has no band). */
  defaultLimit?: { band: string | null; amount: number | null } | null;
  /** A parent and its subsidiaries share a group limit; the customer's own limit is its sub-limit. */
  group?: { exposure: number; limit: number | null; name: string } | null;
  legal?: LegalStatus | null;
  blocked?: boolean;
  format: (minor: number) => string;
}): { decision: OrderDecision; reasons: string[] } {
  const maxOverdue = options.maxOverdueDays ?? 60;
  const reasons: string[] = [];
  // A company in a procedure or closed, or a customer blocked by a person: no new credit at all.
  const legal = options.legal;
  if (legal?.isClosed) reasons.push(`company closed${legal.closedOn ? ` on ${legal.closedOn}` : ''}: no new credit`);
  else if (legal?.procedure) reasons.push(`${PROCEDURE_NAMES[legal.procedure]} opened${legal.openedOn ? ` ${legal.openedOn}` : ''}: pre-opening claims are frozen`);
  if (options.blocked) reasons.push('customer is blocked');
  if (reasons.length > 0) return { decision: 'refused', reasons };
  const group = options.group;
  const groupLimit = group?.limit ?? null;
  if (group && groupLimit !== null && group.exposure + options.amount > groupLimit) {
    reasons.push(`group ${group.name}: exposure ${options.format(group.exposure)} + order ${options.format(options.amount)} exceeds the group limit ${options.format(groupLimit)}`);
  }
  const policy: NoLimitPolicy = options.noLimit ?? (options.requireLimit ? 'refuse' : 'accept');
  // No limit at all: neither the customer's own nor a group limit it shares.
  const noLimit = options.limit === null && groupLimit === null;
  let accepted = 'within the limit and no invoice badly overdue';
  if (options.limit !== null) {
    if (options.exposure + options.amount > options.limit) reasons.push(`exposure ${options.format(options.exposure)} + order ${options.format(options.amount)} exceeds the limit ${options.format(options.limit)}`);
  } else if (!noLimit) {
    accepted = 'within the group limit and no invoice badly overdue';
  } else if (policy === 'refuse') {
    return { decision: 'refused', reasons: ['no credit limit for this customer'] };
  } else if (policy === 'hold') {
    reasons.push('no credit limit for this customer: held for review (organisation setting)');
  } else if (policy === 'band') {
    const band = options.defaultLimit?.band ?? null;
    const amount = options.defaultLimit?.amount ?? null;
    if (amount === null) reasons.push(band ? `no credit limit for this customer and no default limit for band ${band}` : 'no credit limit for this customer and no risk band for a default limit');
    else if (options.exposure + options.amount > amount) reasons.push(`no credit limit for this customer: exposure ${options.format(options.exposure)} + order ${options.format(options.amount)} exceeds the default limit of band ${band} ${options.format(amount)}`);
    else accepted = `no credit limit for this customer: within the default limit of band ${band} ${options.format(amount)} and no invoice badly overdue`;
  } else {
    accepted = 'no credit limit for this customer: accepted (organisation setting) and no invoice badly overdue';
  }
  if (options.oldestOverdueDays > maxOverdue) reasons.push(`an invoice is ${options.oldestOverdueDays} days overdue (tolerance ${maxOverdue})`);
  return reasons.length > 0 ? { decision: 'on_hold', reasons } : { decision: 'accepted', reasons: [accepted] };
}
