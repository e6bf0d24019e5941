import { addDays, addMonths, endOfMonth, monthEndsUpTo, startOfMonth } from '../../domain/calendar';
import { bucketizeAging, DEFAULT_AGING_BOUNDS } from '../../domain/receivables/aging';
import { collectionEffectivenessIndex } from '../../domain/receivables/cei';
import { averageDaysDelinquent, bestPossibleDso, countbackDso, simpleDso } from '../../domain/receivables/dso';
import type { Db } from '../../infra/db/db';
import {
  balancesAt,
  monthlySales,
  openItemsHistogram,
  paidInvoiceStats,
  type Scope,
} from '../../infra/db/repos/analytics-repo';
import { converterAt } from './base-currency';

export type ReportOptions = { db: Db; scope: Scope; baseCurrency: string; asOf: string; today: string };

/** Months used by the period metrics (simple DSO, best possible DSO, CEI): the 3 months ending at the reporting date. */
export const PERIOD_MONTHS = 3;
/** Months of sales the countback DSO may consume before saying "more than N months". */
export const COUNTBACK_MONTHS = 12;

/**
 * Aged balance by due date (domain-rules §2.5), in the organisation's currency, with credits imputed
 * to each customer's oldest items (open-items-sql.ts): buckets + leftover credits = total, exactly.
 */
export async function agedBalance(options: ReportOptions & { bounds?: number[] }) {
  const { db, scope, asOf } = options;
  const { rows, missing } = await openItemsHistogram(db, { scope, asOf, isCurrent: asOf >= options.today, baseCurrency: options.baseCurrency, rateDate: asOf });
  const histogram = rows.filter((h) => h.days_past_due !== null).map((h) => ({ daysPastDue: h.days_past_due as number, amount: h.amount }));
  const aging = bucketizeAging({ histogram, bounds: options.bounds ?? DEFAULT_AGING_BOUNDS });
  const credits = rows.filter((h) => h.days_past_due === null).reduce((sum, h) => sum + h.amount, 0);
  return {
    asOf,
    currency: options.baseCurrency,
    buckets: aging.buckets,
    /** Credits left once imputed (a customer in credit, cash of no customer), in their own column; the total nets them. */
    credits,
    total: aging.total + credits,
    overdue: aging.overdue,
    unconvertedCurrencies: missing,
  };
}

/** Outstanding, overdue and not yet due at several dates, from the shared definition (open-items-sql.ts). */
async function balancePoints(options: ReportOptions, dates: string[]) {
  const { db, scope, today, baseCurrency, asOf } = options;
  // Dates before today replay the ledger; today (or later) reads the maintained open amounts.
  const past = dates.filter((d) => d < today);
  const current = dates.filter((d) => d >= today);
  const none = { rows: [], missing: [] };
  const results = await Promise.all([
    past.length > 0 ? balancesAt(db, { scope, dates: past, isCurrent: false, baseCurrency, rateDate: asOf }) : none,
    current.length > 0 ? balancesAt(db, { scope, dates: current, isCurrent: true, baseCurrency, rateDate: asOf }) : none,
  ]);
  const byDate = new Map(results.flatMap((r) => r.rows).map((r) => [r.as_of, r]));
  const at = (date: string) => {
    const row = byDate.get(date);
    return { total: row?.total ?? 0, overdue: row?.overdue ?? 0, current: row?.current ?? 0 };
  };
  return { at, missing: results.flatMap((r) => r.missing) };
}

/** Headline receivables KPIs (domain-rules §2.1–2.4, 2.6). */
export async function receivablesKpis(options: ReportOptions) {
  const { db, scope, asOf } = options;
  const period = countbackPeriods(asOf, PERIOD_MONTHS);
  const periodDays = period.reduce((s, p) => s + p.days, 0);
  /** The period metrics start after the month end preceding the period (a quarter for the default). */
  const periodStart = endOfMonth(addMonths(startOfMonth(asOf), -PERIOD_MONTHS));
  const salesFrom = startOfMonth(addMonths(asOf, -(COUNTBACK_MONTHS - 1)));
  const paidFrom = addDays(addMonths(asOf, -12), 1);
  // Every argument is computed before the first query starts: a throw between two started
  // queries would leave a rejection nobody awaits.
  const [balances, sales, paid] = await Promise.all([
    balancePoints(options, [periodStart, asOf]),
    monthlySales(db, scope, salesFrom, asOf),
    paidInvoiceStats(db, scope, paidFrom, asOf),
  ]);
  const converter = await converterAt(db, {
    organisationId: scope.organisationId,
    baseCurrency: options.baseCurrency,
    currencies: [...sales, ...paid].map((r) => r.currency),
    asOf,
  });
  const { at } = balances;
  const end = at(asOf);
  const begin = at(periodStart);

  const salesByMonth = new Map<string, number>();
  for (const s of sales) salesByMonth.set(s.month, (salesByMonth.get(s.month) ?? 0) + (converter.toBase(s.sales, s.currency) ?? 0));
  const countbackMonths = countbackPeriods(asOf, COUNTBACK_MONTHS).map((m) => ({ sales: salesByMonth.get(m.month) ?? 0, days: m.days }));
  const periodSales = period.reduce((s, p) => s + (salesByMonth.get(p.month) ?? 0), 0);

  const countback = countbackDso({ receivables: end.total, months: countbackMonths });
  const simple = simpleDso({ receivables: end.total, sales: periodSales, days: periodDays });
  const bestPossible = bestPossibleDso({ currentReceivables: end.current, sales: periodSales, days: periodDays });
  const cei = collectionEffectivenessIndex({
    beginReceivables: begin.total,
    sales: periodSales,
    endReceivables: end.total,
    endCurrentReceivables: end.current,
    months: PERIOD_MONTHS,
    variant: 'period',
  });

  let paidAmount = 0;
  let paidCount = 0;
  let amountDaysToPay = 0;
  let amountDaysLate = 0;
  let daysToPaySum = 0;
  for (const p of paid) {
    const amount = converter.toBase(p.amount, p.currency);
    if (amount === null || p.amount === 0) continue;
    const scale = amount / p.amount; // the weights only need the same currency scale
    paidAmount += amount;
    paidCount += p.count;
    amountDaysToPay += Number(p.amount_days_to_pay) * scale;
    amountDaysLate += Number(p.amount_days_late) * scale;
    daysToPaySum += p.days_to_pay;
  }
  const round1 = (n: number) => Math.round(n * 10) / 10;

  return {
    asOf,
    currency: options.baseCurrency,
    outstanding: end.total,
    overdue: end.overdue,
    overdueShare: end.total > 0 ? round1((end.overdue / end.total) * 100) : null,
    dso: {
      countback: countback.days,
      countbackIsBeyondHorizon: countback.isBeyondHorizon,
      simple,
      bestPossible,
      averageDaysDelinquent: simple === null || bestPossible === null ? null : averageDaysDelinquent({ dso: simple, bestPossibleDso: bestPossible }),
    },
    cei,
    daysToPay: {
      average: paidCount > 0 ? round1(daysToPaySum / paidCount) : null,
      weighted: paidAmount > 0 ? round1(amountDaysToPay / paidAmount) : null,
      weightedLate: paidAmount > 0 ? round1(amountDaysLate / paidAmount) : null,
      paidInvoiceCount: paidCount,
    },
    periodStart,
    unconvertedCurrencies: [...new Set([...balances.missing, ...converter.missing])].sort(),
  };
}

/** The months a countback walks through, most recent first: the current month up to `asOf`, then whole months. */
export function countbackPeriods(asOf: string, count: number): { month: string; days: number }[] {
  const periods = [{ month: asOf.slice(0, 7), days: Number(asOf.slice(8, 10)) }];
  for (let i = 1; i < count; i++) {
    const monthEnd = endOfMonth(addMonths(startOfMonth(asOf), -i));
    periods.push({ month: monthEnd.slice(0, 7), days: Number(monthEnd.slice(8, 10)) });
  }
  return periods;
}

/** Month-end series of outstanding, overdue and DSO (countback and simple) for trend charts. */
export async function receivablesTrends(options: ReportOptions & { months: number }) {
  const { db, scope, asOf } = options;
  const dates = monthEndsUpTo(asOf, options.months);
  const salesFrom = startOfMonth(addMonths(dates[0], -(COUNTBACK_MONTHS - 1)));
  const [balances, sales] = await Promise.all([balancePoints(options, dates), monthlySales(db, scope, salesFrom, asOf)]);
  const converter = await converterAt(db, {
    organisationId: scope.organisationId,
    baseCurrency: options.baseCurrency,
    currencies: sales.map((r) => r.currency),
    asOf,
  });
  const salesByMonth = new Map<string, number>();
  for (const s of sales) salesByMonth.set(s.month, (salesByMonth.get(s.month) ?? 0) + (converter.toBase(s.sales, s.currency) ?? 0));
  const points = dates.map((date) => {
    const { total: outstanding, overdue } = balances.at(date);
    const periods = countbackPeriods(date, COUNTBACK_MONTHS);
    const countback = countbackDso({ receivables: outstanding, months: periods.map((p) => ({ sales: salesByMonth.get(p.month) ?? 0, days: p.days })) });
    const periodSales = periods.slice(0, PERIOD_MONTHS).reduce((s, p) => s + (salesByMonth.get(p.month) ?? 0), 0);
    const periodDays = periods.slice(0, PERIOD_MONTHS).reduce((s, p) => s + p.days, 0);
    return {
      date,
      outstanding,
      overdue,
      dsoCountback: countback.days,
      dsoSimple: simpleDso({ receivables: outstanding, sales: periodSales, days: periodDays }),
    };
  });
  return { currency: options.baseCurrency, points, unconvertedCurrencies: [...new Set([...balances.missing, ...converter.missing])].sort() };
}
