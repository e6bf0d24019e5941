/** Read side of the ledger: lists with filters, sorting and keyset pagination; one customer. */
import type { Db } from '../db';
import { keysetClause, pageOf, type SortSpec } from '../keyset';
import { NON_CENT_DIGITS, netItemsSql } from './open-items-sql';

export { NON_CENT_DIGITS, toBaseSql } from './open-items-sql';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

export type CustomerListFilter = {
  organisationId: string;
  baseCurrency: string;
  today: string;
  search?: string;
  segment?: string;
  collectorId?: string;
  hasOverdue?: boolean;
  parentId?: string;
  bands?: string[];
  minScore?: number;
  maxScore?: number;
  /** Open receivables + orders not yet invoiced, in minor units of the organisation currency. */
  minExposure?: number;
  sort: 'legalName' | '-legalName' | 'outstanding' | '-outstanding' | 'overdue' | '-overdue' | 'exposure' | '-exposure' | 'riskScore' | '-riskScore';
  limit: number;
  cursor?: string;
};

export type CustomerSummaryRow = {
  id: string;
  external_ref: string;
  legal_name: string;
  siren: string | null;
  country: string;
  city: string | null;
  segment: string | null;
  currency: string | null;
  outstanding: number;
  overdue: number;
  exposure: number;
  open_invoice_count: number;
  name_key: string;
  risk_score: number | null;
  risk_band: string | null;
};

const CUSTOMER_SORTS: Record<CustomerListFilter['sort'], SortSpec> = {
  legalName: { column: 'name_key', type: 'text', descending: false },
  '-legalName': { column: 'name_key', type: 'text', descending: true },
  outstanding: { column: 'outstanding', type: 'bigint', descending: false },
  '-outstanding': { column: 'outstanding', type: 'bigint', descending: true },
  overdue: { column: 'overdue', type: 'bigint', descending: false },
  '-overdue': { column: 'overdue', type: 'bigint', descending: true },
  exposure: { column: 'exposure', type: 'bigint', descending: false },
  '-exposure': { column: 'exposure', type: 'bigint', descending: true },
  riskScore: { column: 'risk_score', type: 'int', descending: false },
  '-riskScore': { column: 'risk_score', type: 'int', descending: true },
};

/**
 * Customers with their outstanding and overdue at `$2` (open-items-sql.ts: the one definition, shared
 * with the analytics): $1 organisation, $2 reporting date, $3 base currency, $4 minor-unit digits.
 */
function customerBalancesSql(where: string, isCurrent = true): string {
  return `WITH ${netItemsSql({ org: '$1', dates: 'ARRAY[$2::date]', rateDate: '$2', base: '$3', digits: '$4', isCurrent, invoiceScope: { join: '', where: 'true' } })},
     bal AS (
       SELECT customer_id, sum(amount)::bigint AS outstanding,
              coalesce(sum(amount) FILTER (WHERE due_date < $2::date), 0)::bigint AS overdue,
              coalesce(max($2::date - due_date) FILTER (WHERE due_date < $2::date), 0) AS oldest_days_past_due
       FROM net WHERE customer_id IS NOT NULL GROUP BY 1
     ),
     cnt AS (
       SELECT i.customer_id, count(*)::int AS open_invoice_count FROM invoices i
       WHERE i.organisation_id = $1 AND i.kind = 'invoice' AND i.open_amount <> 0 AND i.status <> 'cancelled' GROUP BY 1
     ),
     ord AS (
       SELECT o.customer_id, sum(o.amount_incl_tax)::bigint AS open_orders FROM orders o
       WHERE o.organisation_id = $1 AND o.status = 'open' AND o.currency = $3 GROUP BY 1
     ),
     rows AS (
       SELECT c.id, c.external_ref, c.legal_name, c.siren, c.country, c.city, c.segment, c.currency,
              coalesce(b.outstanding, 0) AS outstanding,
              coalesce(b.overdue, 0) AS overdue, coalesce(cnt.open_invoice_count, 0) AS open_invoice_count,
              coalesce(b.outstanding, 0) + coalesce(ord.open_orders, 0) AS exposure,
              lower(c.legal_name) AS name_key, c.risk_score, c.risk_band, coalesce(b.oldest_days_past_due, 0) AS oldest_days_past_due
       FROM customers c LEFT JOIN bal b ON b.customer_id = c.id LEFT JOIN cnt ON cnt.customer_id = c.id LEFT JOIN ord ON ord.customer_id = c.id
       WHERE ${where}
     )`;
}

export async function listCustomers(db: Db, f: CustomerListFilter) {
  const params: unknown[] = [f.organisationId, f.today, f.baseCurrency, NON_CENT_DIGITS];
  let where = 'c.organisation_id = $1';
  if (f.search) {
    params.push(`%${escapeLike(f.search.trim())}%`, f.search.replace(/\s/g, ''));
    where += ` AND (c.legal_name ILIKE $${params.length - 1} OR c.external_ref ILIKE $${params.length - 1} OR c.siren = $${params.length} OR c.siret = $${params.length})`;
  }
  if (f.segment) {
    params.push(f.segment);
    where += ` AND c.segment = $${params.length}`;
  }
  if (f.collectorId) {
    params.push(f.collectorId);
    where += ` AND c.collector_id = $${params.length}`;
  }
  if (f.parentId) {
    params.push(f.parentId);
    where += ` AND c.parent_id = $${params.length}`;
  }
  if (f.bands && f.bands.length > 0) {
    params.push(f.bands);
    where += ` AND c.risk_band = ANY($${params.length}::text[])`;
  }
  if (f.minScore !== undefined) {
    params.push(f.minScore);
    where += ` AND c.risk_score >= $${params.length}`;
  }
  if (f.maxScore !== undefined) {
    params.push(f.maxScore);
    where += ` AND c.risk_score <= $${params.length}`;
  }
  const sort = CUSTOMER_SORTS[f.sort];
  const conditions: string[] = [];
  if (f.hasOverdue) conditions.push('overdue > 0');
  if (f.minExposure !== undefined) {
    params.push(f.minExposure);
    conditions.push(`exposure >= $${params.length}`);
  }
  const sql = `${customerBalancesSql(where)}, filtered AS (SELECT * FROM rows ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''})
     SELECT * FROM filtered ${keysetClause(sort, f.cursor, f.limit, params)}`;
  const rows = await db.query<CustomerSummaryRow>(sql, params);
  return pageOf(rows, f.limit, (row) => row[sort.column as keyof CustomerSummaryRow]);
}

export async function getCustomer(db: Db, f: { organisationId: string; baseCurrency: string; today: string; id: string }) {
  const params: unknown[] = [f.organisationId, f.today, f.baseCurrency, NON_CENT_DIGITS, f.id];
  const [summary] = await db.query<CustomerSummaryRow>(`${customerBalancesSql('c.organisation_id = $1 AND c.id = $5')} SELECT * FROM rows`, params);
  if (!summary) return undefined;
  const [detail] = await db.query<{
    siret: string | null; vat_number: string | null; lei: string | null; address_line1: string | null; address_line2: string | null;
    postal_code: string | null; activity_code: string | null; payment_terms_days: number | null; tags: string[];
    parent_id: string | null; parent_name: string | null; collector_id: string | null; collector_name: string | null;
    created_at: Date; updated_at: Date;
  }>(
    `SELECT c.siret, c.vat_number, c.lei, c.address_line1, c.address_line2, c.postal_code, c.activity_code, c.payment_terms_days, c.tags,
            p.id AS parent_id, p.legal_name AS parent_name, u.id AS collector_id, u.name AS collector_name, c.created_at, c.updated_at
     FROM customers c LEFT JOIN customers p ON p.id = c.parent_id LEFT JOIN users u ON u.id = c.collector_id
     WHERE c.organisation_id = $1 AND c.id = $2`,
    [f.organisationId, f.id],
  );
  const subsidiaries = await db.query<{ id: string; legal_name: string }>(
    'SELECT id, legal_name FROM customers WHERE organisation_id = $1 AND parent_id = $2 ORDER BY lower(legal_name), id',
    [f.organisationId, f.id],
  );
  const contacts = await db.query<{ id: string; name: string; email: string | null; phone: string | null; role: string | null; is_primary: boolean }>(
    'SELECT id, name, email, phone, role, is_primary FROM contacts WHERE organisation_id = $1 AND customer_id = $2 ORDER BY is_primary DESC, lower(name), id',
    [f.organisationId, f.id],
  );
  return { summary, detail, subsidiaries, contacts };
}

export async function listSegments(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db.query<{ segment: string }>(
    'SELECT DISTINCT segment FROM customers WHERE organisation_id = $1 AND segment IS NOT NULL ORDER BY segment',
    [organisationId],
  );
  return rows.map((r) => r.segment);
}

export type InvoiceListFilter = {
  organisationId: string;
  today: string;
  customerId?: string;
  status: 'open' | 'overdue' | 'paid' | 'all';
  kind?: 'invoice' | 'credit_note';
  search?: string;
  dueFrom?: string;
  dueTo?: string;
  sort: 'dueDate' | '-dueDate' | 'issueDate' | '-issueDate' | 'totalInclTax' | '-totalInclTax' | 'openAmount' | '-openAmount' | 'number';
  limit: number;
  cursor?: string;
};

export type InvoiceRow = {
  id: string; number: string; kind: 'invoice' | 'credit_note'; customer_id: string; customer_name: string; issue_date: string; due_date: string;
  currency: string; total_excl_tax: number; total_incl_tax: number; open_amount: number; status: 'open' | 'paid' | 'cancelled';
  is_disputed: boolean; paid_date: string | null; days_past_due: number;
};

const INVOICE_SORTS: Record<InvoiceListFilter['sort'], SortSpec> = {
  dueDate: { column: 'due_date', type: 'date', descending: false },
  '-dueDate': { column: 'due_date', type: 'date', descending: true },
  issueDate: { column: 'issue_date', type: 'date', descending: false },
  '-issueDate': { column: 'issue_date', type: 'date', descending: true },
  totalInclTax: { column: 'total_incl_tax', type: 'bigint', descending: false },
  '-totalInclTax': { column: 'total_incl_tax', type: 'bigint', descending: true },
  openAmount: { column: 'open_amount', type: 'bigint', descending: false },
  '-openAmount': { column: 'open_amount', type: 'bigint', descending: true },
  number: { column: 'number', type: 'text', descending: false },
};

export async function listInvoices(db: Db, f: InvoiceListFilter) {
  const params: unknown[] = [f.organisationId, f.today];
  let where = 'i.organisation_id = $1';
  const add = (cond: string, value: unknown) => {
    params.push(value);
    where += ` AND ${cond.replace('?', `$${params.length}`)}`;
  };
  if (f.customerId) add('i.customer_id = ?', f.customerId);
  if (f.kind) add('i.kind = ?', f.kind);
  if (f.search) add('i.number ILIKE ?', `%${escapeLike(f.search.trim())}%`);
  if (f.dueFrom) add('i.due_date >= ?::date', f.dueFrom);
  if (f.dueTo) add('i.due_date <= ?::date', f.dueTo);
  if (f.status === 'open') where += " AND i.open_amount <> 0 AND i.status = 'open'";
  if (f.status === 'overdue') where += " AND i.open_amount > 0 AND i.status = 'open' AND i.due_date < $2::date";
  if (f.status === 'paid') where += " AND i.status = 'paid'";
  const sort = INVOICE_SORTS[f.sort];
  const rows = await db.query<InvoiceRow>(
    `WITH rows AS (
       SELECT i.id, i.number, i.kind, i.customer_id, c.legal_name AS customer_name, i.issue_date, i.due_date, i.currency,
              i.total_excl_tax, i.total_incl_tax, i.open_amount, i.status, i.is_disputed, i.paid_date,
              CASE WHEN i.open_amount > 0 AND i.status = 'open' THEN greatest($2::date - i.due_date, 0) ELSE 0 END AS days_past_due
       FROM invoices i JOIN customers c ON c.id = i.customer_id
       WHERE ${where}
     )
     SELECT * FROM rows ${keysetClause(sort, f.cursor, f.limit, params)}`,
    params,
  );
  return pageOf(rows, f.limit, (row) => row[sort.column as keyof InvoiceRow]);
}

export type PaymentRow = {
  id: string; reference: string; customer_id: string | null; customer_name: string | null; received_date: string; currency: string;
  amount: number; unapplied_amount: number; method: string | null; allocations: { invoiceId: string; invoiceNumber: string; amount: number }[];
};

export async function listPayments(db: Db, f: { organisationId: string; customerId?: string; unappliedOnly?: boolean; limit: number; cursor?: string }) {
  const params: unknown[] = [f.organisationId];
  let where = 'p.organisation_id = $1';
  if (f.customerId) {
    params.push(f.customerId);
    where += ` AND p.customer_id = $${params.length}`;
  }
  if (f.unappliedOnly) where += ' AND p.unapplied_amount > 0';
  const sort: SortSpec = { column: 'received_date', type: 'date', descending: true };
  const rows = await db.query<PaymentRow>(
    `WITH rows AS (
       SELECT p.id, p.reference, p.customer_id, c.legal_name AS customer_name, p.received_date, p.currency, p.amount,
              p.unapplied_amount, p.method,
              coalesce((SELECT jsonb_agg(jsonb_build_object('invoiceId', i.id, 'invoiceNumber', i.number, 'amount', a.amount) ORDER BY i.number)
                        FROM allocations a JOIN invoices i ON i.organisation_id = a.organisation_id AND i.id = a.invoice_id WHERE a.payment_id = p.id), '[]'::jsonb) AS allocations
       FROM payments p LEFT JOIN customers c ON c.id = p.customer_id
       WHERE ${where}
     )
     SELECT * FROM rows ${keysetClause(sort, f.cursor, f.limit, params)}`,
    params,
  );
  return pageOf(rows, f.limit, (row) => row.received_date);
}

export type OrderRow = {
  id: string; number: string; customer_id: string; customer_name: string; order_date: string; expected_invoice_date: string | null;
  currency: string; amount_incl_tax: number; status: 'open' | 'invoiced' | 'cancelled';
};

export async function listOrders(db: Db, f: { organisationId: string; customerId?: string; status?: string; limit: number; cursor?: string }) {
  const params: unknown[] = [f.organisationId];
  let where = 'o.organisation_id = $1';
  if (f.customerId) {
    params.push(f.customerId);
    where += ` AND o.customer_id = $${params.length}`;
  }
  if (f.status) {
    params.push(f.status);
    where += ` AND o.status = $${params.length}`;
  }
  const sort: SortSpec = { column: 'order_date', type: 'date', descending: true };
  const rows = await db.query<OrderRow>(
    `WITH rows AS (
       SELECT o.id, o.number, o.customer_id, c.legal_name AS customer_name, o.order_date, o.expected_invoice_date, o.currency,
              o.amount_incl_tax, o.status
       FROM orders o JOIN customers c ON c.id = o.customer_id WHERE ${where}
     )
     SELECT * FROM rows ${keysetClause(sort, f.cursor, f.limit, params)}`,
    params,
  );
  return pageOf(rows, f.limit, (row) => row.order_date);
}

/**
 * Customers with the most overdue at `asOf`, with the age of their oldest item still overdue once
 * credits are imputed. Before today the ledger is replayed, as in the aged balance.
 */
export async function topOverdueCustomers(db: Db, f: { organisationId: string; baseCurrency: string; asOf: string; today: string; limit: number }) {
  const params: unknown[] = [f.organisationId, f.asOf, f.baseCurrency, NON_CENT_DIGITS, f.limit];
  return db.query<CustomerSummaryRow & { oldest_days_past_due: number }>(
    `${customerBalancesSql('c.organisation_id = $1', f.asOf >= f.today)}
     SELECT * FROM rows WHERE overdue > 0 ORDER BY overdue DESC, id LIMIT $5`,
    params,
  );
}

/** Sum of the open receivables of several customers, in the organisation currency. */
export async function customerOutstanding(db: Db, f: { organisationId: string; baseCurrency: string; today: string; ids: string[] }): Promise<number> {
  const [row] = await db.query<{ total: number }>(
    `${customerBalancesSql('c.organisation_id = $1 AND c.id = ANY($5::uuid[])')} SELECT coalesce(sum(outstanding), 0)::bigint AS total FROM rows`,
    [f.organisationId, f.today, f.baseCurrency, NON_CENT_DIGITS, f.ids],
  );
  return row?.total ?? 0;
}
