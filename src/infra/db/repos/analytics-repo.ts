/**
 * Receivables aggregates by currency, as of any date. Amounts stay in their currency here;
 * conversion to the organisation's currency happens in the use case with stored rates.
 *
 * "As of" a past date replays the ledger: an invoice counts if issued by then and not settled
 * by then, for its total minus the allocations dated on or before that day.
 */
import type { Db } from '../db';

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

export type HistogramRow = { currency: string; days_past_due: number; amount: number };

/**
 * Open items grouped by currency and days past due at `asOf`. When `asOf` is today or later the
 * maintained open amounts are exact and the partial index of open items answers alone.
 */
export async function openItemsHistogram(db: Db, scope: Scope, asOf: string, isCurrent: boolean): Promise<HistogramRow[]> {
  const params: unknown[] = [asOf];
  const { join, where } = scopeSql(scope, params);
  if (isCurrent) {
    return db.query<HistogramRow>(
      `SELECT i.currency, ($1::date - i.due_date) AS days_past_due, sum(i.open_amount)::bigint AS amount
       FROM invoices i${join}
       WHERE ${where} AND i.open_amount <> 0 AND i.status <> 'cancelled' AND i.issue_date <= $1::date
       GROUP BY 1, 2`,
      params,
    );
  }
  return db.query<HistogramRow>(
    `SELECT i.currency, ($1::date - i.due_date) AS days_past_due,
            sum(i.total_incl_tax - coalesce(s.settled, 0))::bigint AS amount
     FROM invoices i${join}
     LEFT JOIN LATERAL (SELECT sum(a.amount) AS settled FROM allocations a WHERE a.invoice_id = i.id AND a.allocation_date <= $1::date) s ON true
     WHERE ${where} AND i.status <> 'cancelled' AND i.issue_date <= $1::date AND (i.paid_date IS NULL OR i.paid_date > $1::date)
     GROUP BY 1, 2
     HAVING sum(i.total_incl_tax - coalesce(s.settled, 0)) <> 0`,
    params,
  );
}

export type BalancePointRow = { as_of: string; currency: string; total: number; overdue: number; current: number };

/** Total, overdue and not-yet-due receivables at several dates (trends, CEI). */
export async function balancesAt(db: Db, scope: Scope, dates: string[]): Promise<BalancePointRow[]> {
  const params: unknown[] = [dates];
  const { join, where } = scopeSql(scope, params);
  return db.query<BalancePointRow>(
    `SELECT d.as_of::text AS as_of, i.currency,
            sum(i.total_incl_tax - coalesce(s.settled, 0))::bigint AS total,
            coalesce(sum(i.total_incl_tax - coalesce(s.settled, 0)) FILTER (WHERE i.due_date < d.as_of), 0)::bigint AS overdue,
            coalesce(sum(i.total_incl_tax - coalesce(s.settled, 0)) FILTER (WHERE i.due_date >= d.as_of), 0)::bigint AS current
     FROM unnest($1::date[]) AS d(as_of)
     JOIN invoices i ON i.issue_date <= d.as_of AND (i.paid_date IS NULL OR i.paid_date > d.as_of) AND i.status <> 'cancelled'
     ${join}
     LEFT JOIN LATERAL (SELECT sum(a.amount) AS settled FROM allocations a WHERE a.invoice_id = i.id AND a.allocation_date <= d.as_of) s ON true
     WHERE ${where}
     GROUP BY 1, 2`,
    params,
  );
}

export type UnappliedRow = { as_of: string; currency: string; amount: number };

/** Cash received and not applied to invoices, at several dates (it reduces receivables). */
export async function unappliedCashAt(db: Db, scope: Scope, dates: string[]): Promise<UnappliedRow[]> {
  const params: unknown[] = [dates];
  const { join, where } = scopeSql(scope, params, 'p');
  return db.query<UnappliedRow>(
    `SELECT d.as_of::text AS as_of, p.currency, sum(p.unapplied_amount)::bigint AS amount
     FROM unnest($1::date[]) AS d(as_of)
     JOIN payments p ON p.received_date <= d.as_of AND p.unapplied_amount > 0
     ${join.replace(/i\.customer_id/g, 'p.customer_id')}
     WHERE ${where}
     GROUP BY 1, 2`,
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
