/**
 * Credit limits and exposure (domain-rules.md §4; issue #4 §5–7): the effective limit among
 * several sources, exposure = open receivables + orders not yet invoiced − insured part, the share
 * of the limit used, the alert thresholds crossed, and the answer to an order check.
 */
export type LimitSource = 'insurer' | 'provider' | 'internal';
export type CreditLimit = { source: LimitSource; amount: number; validFrom: string; validUntil: string | null; reason: string | null };

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
  const perSource = (['insurer', 'provider'] as const).map((s) => current.filter((l) => l.source === s)).filter((l) => l.length > 0).map(latest);
  const lowest = perSource.sort((a, b) => a.amount - b.amount)[0];
  return { limit: lowest, reason: perSource.length > 1 ? `lowest of insurer and provider limits (${lowest.source})` : `${lowest.source} limit` };
}

export const DEFAULT_THRESHOLDS = [50, 70, 90, 100];

export function exposureOf(options: { openReceivables: number; openOrders: number; insured?: number; limit: number | null; thresholds?: number[] }) {
  const exposure = options.openReceivables + options.openOrders - (options.insured ?? 0);
  const usedPercent = options.limit && options.limit > 0 ? Math.round((exposure / options.limit) * 1000) / 10 : null;
  const crossed = usedPercent === null ? [] : (options.thresholds ?? DEFAULT_THRESHOLDS).filter((t) => usedPercent >= t);
  return { exposure, usedPercent, thresholdsCrossed: crossed, available: options.limit === null ? null : options.limit - exposure };
}

export type OrderDecision = 'accepted' | 'on_hold' | 'refused';

/**
 * Order check for ERPs and CRMs: accept when the order fits under the limit and nothing is badly
 * overdue; hold it (for a person to release) when it would exceed the limit or an invoice is overdue
 * beyond the tolerated days; refuse when there is no limit at all and the policy requires one.
 */
export function checkOrder(options: {
  amount: number;
  exposure: number;
  limit: number | null;
  oldestOverdueDays: number;
  maxOverdueDays?: number;
  requireLimit?: boolean;
  format: (minor: number) => string;
}): { decision: OrderDecision; reasons: string[] } {
  const maxOverdue = options.maxOverdueDays ?? 60;
  const reasons: string[] = [];
  if (options.limit === null) {
    if (options.requireLimit) return { decision: 'refused', reasons: ['no credit limit for this customer'] };
  } else if (options.exposure + options.amount > options.limit) {
    reasons.push(`exposure ${options.format(options.exposure)} + order ${options.format(options.amount)} exceeds the limit ${options.format(options.limit)}`);
  }
  if (options.oldestOverdueDays > maxOverdue) reasons.push(`an invoice is ${options.oldestOverdueDays} days overdue (tolerance ${maxOverdue})`);
  return reasons.length > 0 ? { decision: 'on_hold', reasons } : { decision: 'accepted', reasons: ['within the limit and no invoice badly overdue'] };
}
