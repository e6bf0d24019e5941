/**
 * The one definition of what a customer owes and what of it is overdue, shared by the customers
 * list, the customer page, the dashboard, the reports and the API (docs/analytics.md, domain-rules.md §2.5):
 *
 * - every open item (invoice, credit note, unapplied cash) is converted ONCE into minor units of the
 *   organisation currency (half away from zero, `round` on numeric); every total is a sum of these
 *   integers, so a total always equals the sum of its parts;
 * - a customer's credits (open credit notes, unapplied cash) are imputed to its open invoices, the
 *   due ones first and the oldest first (C. civ. art. 1342-10, imputation of payments); what they
 *   leave of each invoice is its net open amount, bucketed by that invoice's due date;
 * - credits beyond all the customer's invoices stay a credit (a row without due date), as does cash
 *   not yet attributed to any customer.
 *
 * Hence for every customer 0 ≤ overdue ≤ outstanding whenever it owes anything, and the aged
 * balance, the KPIs and the lists add up to the same totals.
 */
import { minorUnitDigits } from '../../../domain/money';

/** Currencies whose minor unit is not the cent, for conversions done in SQL. */
export const NON_CENT_DIGITS = JSON.stringify(
  Object.fromEntries(
    Intl.supportedValuesOf('currency')
      .map((c) => [c, minorUnitDigits(c)] as const)
      .filter(([, d]) => d !== 2),
  ),
);

/** SQL expression converting `amountExpr` of currency `currencyExpr` into base-currency minor units (rates CTE `r`). */
export function toBaseSql(amountExpr: string, currencyExpr: string, baseParam: string, digitsParam: string): string {
  const digits = (c: string) => `coalesce((${digitsParam}::jsonb->>${c})::int, 2)`;
  return `round(${amountExpr} * CASE WHEN ${currencyExpr} = ${baseParam} THEN 1
            ELSE r.rate * power(10::numeric, ${digits(baseParam)} - ${digits(currencyExpr)}) END)`;
}

export type NetItemsOptions = {
  /** Placeholder of the organisation id. */
  org: string;
  /** SQL array of reporting dates, e.g. `$2::date[]` or `ARRAY[$2::date]`. */
  dates: string;
  /** Placeholder of the date whose exchange rates convert (the reporting date). */
  rateDate: string;
  base: string;
  digits: string;
  /**
   * Reporting at today or later: the maintained open amounts are exact. Before: the ledger is
   * replayed (an invoice counts if issued by then and not settled by then, less allocations dated by then).
   */
  isCurrent: boolean;
  /** Extra joins and conditions on invoices `i` and payments `p` (scope: customer, segment, collector). */
  invoiceScope?: { join: string; where: string };
  paymentScope?: { join: string; where: string };
};

/**
 * CTEs (to follow `WITH`) ending with:
 * - `net(as_of, customer_id, due_date, amount)`: net open amounts in base minor units per customer and due
 *   date (amount > 0), and remaining credits (due_date NULL, amount < 0; customer_id NULL for cash of no customer);
 * - `missing(currency)`: currencies of open items without a rate, left out of every total.
 */
export function netItemsSql(o: NetItemsOptions): string {
  const toBase = (amount: string, currency: string) => toBaseSql(amount, currency, o.base, o.digits);
  const invoiceScope = o.invoiceScope ?? { join: '', where: 'true' };
  const paymentScope = o.paymentScope ?? { join: '', where: 'true' };
  const open = o.isCurrent ? 'i.open_amount' : '(i.total_incl_tax - coalesce(s.settled, 0))';
  const openCondition = o.isCurrent ? 'i.open_amount <> 0' : '(i.paid_date IS NULL OR i.paid_date > d.as_of)';
  const settled = o.isCurrent
    ? ''
    : 'LEFT JOIN LATERAL (SELECT sum(a.amount) AS settled FROM allocations a WHERE a.invoice_id = i.id AND a.allocation_date <= d.as_of) s ON true';
  return `r AS (
       SELECT DISTINCT ON (currency) currency, rate FROM exchange_rates
       WHERE organisation_id = ${o.org} AND rate_date <= ${o.rateDate}::date ORDER BY currency, rate_date DESC
     ),
     items AS (
       SELECT d.as_of, i.customer_id, i.due_date, i.currency, ${toBase(open, 'i.currency')} AS amount
       FROM unnest(${o.dates}) AS d(as_of)
       JOIN invoices i ON i.organisation_id = ${o.org} AND i.issue_date <= d.as_of AND i.status <> 'cancelled' AND ${openCondition}
       ${invoiceScope.join}
       ${settled}
       LEFT JOIN r ON r.currency = i.currency
       WHERE ${invoiceScope.where}
       UNION ALL
       SELECT d.as_of, p.customer_id, NULL::date, p.currency, -${toBase('p.unapplied_amount', 'p.currency')}
       FROM unnest(${o.dates}) AS d(as_of)
       JOIN payments p ON p.organisation_id = ${o.org} AND p.received_date <= d.as_of AND p.unapplied_amount > 0
       ${paymentScope.join}
       LEFT JOIN r ON r.currency = p.currency
       WHERE ${paymentScope.where}
     ),
     missing AS (SELECT DISTINCT currency FROM items WHERE amount IS NULL),
     pos AS (SELECT as_of, customer_id, due_date, sum(amount) AS amount FROM items WHERE amount > 0 GROUP BY 1, 2, 3),
     cred AS (SELECT as_of, customer_id, -sum(amount) AS credit FROM items WHERE amount < 0 GROUP BY 1, 2),
     owed AS (SELECT as_of, customer_id, sum(amount) AS amount FROM pos GROUP BY 1, 2),
     net AS (
       SELECT * FROM (
         SELECT p.as_of, p.customer_id, p.due_date,
                -- what the credits leave of this due date once imputed to it and every older one
                greatest(0, least(p.amount, sum(p.amount) OVER (PARTITION BY p.as_of, p.customer_id ORDER BY p.due_date ROWS UNBOUNDED PRECEDING) - coalesce(c.credit, 0)))::bigint AS amount
         FROM pos p LEFT JOIN cred c ON c.as_of = p.as_of AND c.customer_id = p.customer_id
       ) imputed WHERE amount > 0
       UNION ALL
       SELECT c.as_of, c.customer_id, NULL::date, (coalesce(o.amount, 0) - c.credit)::bigint
       FROM cred c LEFT JOIN owed o ON o.as_of = c.as_of AND o.customer_id = c.customer_id
       WHERE c.credit > coalesce(o.amount, 0)
     )`;
}
