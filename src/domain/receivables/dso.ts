import Decimal from 'decimal.js';

/** Days rounded to one decimal, half up (reporting precision of DSO figures). */
const days1 = (d: Decimal) => d.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber();

/**
 * DSO by the countback (exhaustion) method, domain-rules.md §2.2: subtract monthly sales incl. tax
 * from the receivables going back in time; each consumed month adds its days, the last one pro rata.
 * `months` are most recent first. When receivables exceed all the months given, the DSO is "more
 * than" their days: `isBeyondHorizon`.
 */
export function countbackDso(options: { receivables: number; months: { sales: number; days: number }[] }): { days: number; isBeyondHorizon: boolean } {
  let remaining = new Decimal(options.receivables);
  let dso = new Decimal(0);
  if (remaining.lte(0)) return { days: 0, isBeyondHorizon: false };
  for (const month of options.months) {
    if (month.sales <= 0) {
      dso = dso.plus(month.days);
      continue;
    }
    if (remaining.gte(month.sales)) {
      remaining = remaining.minus(month.sales);
      dso = dso.plus(month.days);
      if (remaining.isZero()) return { days: days1(dso), isBeyondHorizon: false };
    } else {
      dso = dso.plus(remaining.div(month.sales).times(month.days));
      return { days: days1(dso), isBeyondHorizon: false };
    }
  }
  return { days: days1(dso), isBeyondHorizon: true };
}

/** DSO by the accounting (simple) method, §2.1: receivables / sales × days; null without sales. */
export function simpleDso(options: { receivables: number; sales: number; days: number }): number | null {
  if (options.sales <= 0) return null;
  return days1(new Decimal(options.receivables).div(options.sales).times(options.days));
}

/** Best possible DSO, §2.3: not-yet-due receivables / sales × days; null without sales. */
export function bestPossibleDso(options: { currentReceivables: number; sales: number; days: number }): number | null {
  if (options.sales <= 0) return null;
  return days1(new Decimal(Math.max(0, options.currentReceivables)).div(options.sales).times(options.days));
}

/** Countback variant of the best possible DSO: the exhaustion runs on current receivables only. */
export function countbackBestPossibleDso(options: { currentReceivables: number; months: { sales: number; days: number }[] }) {
  return countbackDso({ receivables: Math.max(0, options.currentReceivables), months: options.months });
}

/** Average days delinquent, §2.3: DSO − best possible DSO, never below 0. */
export function averageDaysDelinquent(options: { dso: number; bestPossibleDso: number }): number {
  return days1(Decimal.max(0, new Decimal(options.dso).minus(options.bestPossibleDso)));
}
