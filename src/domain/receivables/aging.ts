/**
 * Aged balance by due date (domain-rules.md §2.5): "not due" when days past due ≤ 0, then one
 * bucket per bound (1–30, 31–60, 61–90 by default) and a last open bucket (> 90).
 */
export const DEFAULT_AGING_BOUNDS = [30, 60, 90];

export type AgingBucketDef = { key: string; fromDays: number | null; toDays: number | null };
export type AgingBucket = AgingBucketDef & { amount: number };

export function agingBuckets(bounds: number[]): AgingBucketDef[] {
  const defs: AgingBucketDef[] = [{ key: 'not_due', fromDays: null, toDays: 0 }];
  let from = 1;
  for (const bound of bounds) {
    defs.push({ key: `d${from}_${bound}`, fromDays: from, toDays: bound });
    from = bound + 1;
  }
  defs.push({ key: `over_${from - 1}`, fromDays: from, toDays: null });
  return defs;
}

/**
 * Sums a histogram of open amounts by days past due into the buckets of `bounds`.
 * Amounts are minor units; `overdue` is everything more than 0 days past due.
 */
export function bucketizeAging(options: { histogram: { daysPastDue: number; amount: number }[]; bounds: number[] }) {
  const buckets: AgingBucket[] = agingBuckets(options.bounds).map((d) => ({ ...d, amount: 0 }));
  let total = 0;
  let overdue = 0;
  for (const { daysPastDue, amount } of options.histogram) {
    total += amount;
    if (daysPastDue <= 0) {
      buckets[0].amount += amount;
      continue;
    }
    overdue += amount;
    let index = options.bounds.findIndex((bound) => daysPastDue <= bound);
    if (index === -1) index = options.bounds.length;
    buckets[index + 1].amount += amount;
  }
  return { buckets, total, overdue };
}
