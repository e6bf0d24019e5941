/**
 * Receivables aggregates by currency, as of any date. Amounts stay in their currency here;
 * conversion to the organisation's currency happens in the use case with stored rates.
 *
 * "As of" a past date replays the ledger: an invoice counts if issued by then and not settled
 * by then, for its total minus the allocations dated on or before that day.
 */
import type { Db } from '../db';
import { NON_CENT_DIGITS, netItemsSql } from './open-items-sql';

export type Scope = { organisationId: string; customerId?: string; segment?: string; collectorId?: string; customerIds?: string[] };

/** SQL condition on invoices `i` (and optionally a customers join) for a scope, with params appended. */
function scopeSql(scope: Scope, params: unknown[], alias = 'i'): { join: string; where: string } {
  params.push(scope.organisationId);
  let where = `${alias}.organisation_id = $${params.length}`;
  let join = '';
  if (scope.customerId) {
    params.push(scope.customerId);
    where += ` AND ${alias}.customer_id = $${params.length}`;
  }
  if (scope.customerIds) {
    params.push(scope.customerIds);
    where += ` AND ${alias}.customer_id = ANY($${params.length}::uuid[])`;
  }
  if (scope.segment || scope.collectorId) {
    join = ` JOIN customers c ON c.id = ${alias}.customer_id`;
    if (scope.segment) {
      params.push(scope.segment);
      where += ` AND c.segment = $${params.length}`;
    }
    if (scope.collectorId) {
      params.push(scope.collectorId);
      where += ` AND c.collector_id = $${params.length}`;
    }
  }
  return { join, where };
}

export type NetOptions = { scope: Scope; dates: string[]; isCurrent: boolean; baseCurrency: string; rateDate: string };

/** The shared open-items CTEs (open-items-sql.ts) for a scope, with their parameters appended to `params`. */
function scopedNetSql(params: unknown[], o: NetOptions): string {
  params.push(o.scope.organisationId, o.dates, o.rateDate, o.baseCurrency, NON_CENT_DIGITS);
  const n = params.length;
  const invoiceScope = scopeSql(o.scope, params, 'i');
  const paymentScope = scopeSql(o.scope, params, 'p');
  return netItemsSql({
    org: `$${n - 4}`, dates: `$${n - 3}::date[]`, rateDate: `$${n - 2}`, base: `$${n - 1}`, digits: `$${n}`, isCurrent: o.isCurrent,
    invoiceScope, paymentScope,
  });
}

/** Runs a query answering one JSON `result` of rows and the currencies left out for want of a rate. */
async function withMissing<T>(db: Db, sql: string, params: unknown[]): Promise<{ rows: T[]; missing: string[] }> {
  const [row] = await db.query<{ result: { rows: T[]; missing: string[] } }>(sql, params);
  return row.result;
}

export type HistogramRow = { days_past_due: number | null; amount: number };

/**
 * Net open amounts in the organisation currency grouped by days past due at `asOf`; the row of
 * `days_past_due` null holds the credits left over (credits beyond invoices, cash of no customer).
 */
export async function openItemsHistogram(db: Db, o: Omit<NetOptions, 'dates'> & { asOf: string }): Promise<{ rows: HistogramRow[]; missing: string[] }> {
  const params: unknown[] = [];
  const net = scopedNetSql(params, { ...o, dates: [o.asOf] });
  return withMissing<HistogramRow>(
    db,
    `WITH ${net}
     SELECT json_build_object(
       'rows', (SELECT coalesce(json_agg(h), '[]') FROM (SELECT (as_of - due_date) AS days_past_due, sum(amount)::bigint AS amount FROM net GROUP BY 1) h),
       'missing', (SELECT coalesce(json_agg(currency ORDER BY currency), '[]') FROM missing)) AS result`,
    params,
  );
}

export type BalancePointRow = { as_of: string; total: number; overdue: number; current: number; credits: number };

/**
 * Total, overdue (past due), not yet due and leftover credits at several dates (trends, CEI), in the
 * organisation currency: total = overdue + current + credits.
 */
export async function balancesAt(db: Db, o: NetOptions): Promise<{ rows: BalancePointRow[]; missing: string[] }> {
  const params: unknown[] = [];
  const net = scopedNetSql(params, o);
  return withMissing<BalancePointRow>(
    db,
    `WITH ${net}
     SELECT json_build_object(
       'rows', (SELECT coalesce(json_agg(b), '[]') FROM (
                  SELECT as_of::text AS as_of, sum(amount)::bigint AS total,
                         coalesce(sum(amount) FILTER (WHERE due_date < as_of), 0)::bigint AS overdue,
                         coalesce(sum(amount) FILTER (WHERE due_date >= as_of), 0)::bigint AS current,
                         coalesce(sum(amount) FILTER (WHERE due_date IS NULL), 0)::bigint AS credits
                  FROM net GROUP BY 1) b),
       'missing', (SELECT coalesce(json_agg(currency ORDER BY currency), '[]') FROM missing)) AS result`,
    params,
  );
}

export type MonthlySalesRow = { month: string; currency: string; sales: number };

/** Credit sales incl. tax per calendar month (credit notes net them) between two dates. */
export async function monthlySales(db: Db, scope: Scope, from: string, to: string): Promise<MonthlySalesRow[]> {
  const params: unknown[] = [from, to];
  const { join, where } = scopeSql(scope, params);
  return db.query<MonthlySalesRow>(
    `SELECT to_char(i.issue_date, 'YYYY-MM') AS month, i.currency, sum(i.total_incl_tax)::bigint AS sales
     FROM invoices i${join}
     WHERE ${where} AND i.status <> 'cancelled' AND i.issue_date BETWEEN $1::date AND $2::date
     GROUP BY 1, 2`,
    params,
  );
}

export type PaidStatsRow = { currency: string; count: number; amount: number; amount_days_to_pay: string; amount_days_late: string; amount_days_late_clipped: string; days_to_pay: number };

/** Sums over invoices fully paid in a window, for average and amount-weighted days to pay and days late. */
export async function paidInvoiceStats(db: Db, scope: Scope, from: string, to: string): Promise<PaidStatsRow[]> {
  const params: unknown[] = [from, to];
  const { join, where } = scopeSql(scope, params);
  return db.query<PaidStatsRow>(
    `SELECT i.currency, count(*)::int AS count, sum(i.total_incl_tax)::bigint AS amount,
            sum(i.total_incl_tax::numeric * (i.paid_date - i.issue_date))::text AS amount_days_to_pay,
            sum(i.total_incl_tax::numeric * (i.paid_date - i.due_date))::text AS amount_days_late,
            sum(i.total_incl_tax::numeric * greatest(i.paid_date - i.due_date, 0))::text AS amount_days_late_clipped,
            sum(i.paid_date - i.issue_date)::bigint AS days_to_pay
     FROM invoices i${join}
     WHERE ${where} AND i.kind = 'invoice' AND i.status = 'paid' AND i.total_incl_tax > 0 AND i.paid_date BETWEEN $1::date AND $2::date
     GROUP BY 1`,
    params,
  );
}

/** Latest rate on or before `asOf` for each currency: units of the base currency per unit. */
export async function ratesAt(db: Db, organisationId: string, currencies: string[], asOf: string): Promise<Map<string, string>> {
  const rows = await db.query<{ currency: string; rate: string }>(
    `SELECT DISTINCT ON (currency) currency, rate FROM exchange_rates
     WHERE organisation_id = $1 AND currency = ANY($2::text[]) AND rate_date <= $3::date
     ORDER BY currency, rate_date DESC`,
    [organisationId, currencies, asOf],
  );
  return new Map(rows.map((r) => [r.currency, r.rate]));
}
