import { isIsoDate, DATE_RANGE_REASON } from '../../domain/calendar';
import { isKnownCurrency, parseAmount } from '../../domain/money';
import { altmanZDoublePrime, altmanZPrime, conanHolder, type FinancialStatement, financialRatios } from '../../domain/scoring/financial-ratios';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import type { Actor } from '../actor';
import { AppError, type FieldIssue, notFound } from '../app-error';
import { throwIfIssues } from '../ledger/batch';
import { type CustomerKey, resolveCustomerKeys } from './customer-keys';
import { recomputeScores } from './recompute-scores';

/** The figures of a statement (French PCG mapping in domain-rules.md §3), required ones first. */
export const REQUIRED_FIGURES = ['totalAssets', 'currentAssets', 'currentLiabilities', 'totalLiabilities', 'equity'] as const;
export const OPTIONAL_FIGURES = [
  'inventories', 'cash', 'longTermDebt', 'financialDebt', 'retainedEarnings', 'operatingIncome', 'ebitda', 'revenue', 'interestExpense', 'staffCosts', 'valueAdded', 'tradePayables', 'purchases',
] as const;
export type FigureName = (typeof REQUIRED_FIGURES)[number] | (typeof OPTIONAL_FIGURES)[number];

/** Ratios and failure scores of one statement, recomputed on read so a formula fix applies to history. */
export function analyseStatement(figures: FinancialStatement) {
  return { ratios: financialRatios(figures), altmanZ2: altmanZDoublePrime(figures), altmanZPrime: altmanZPrime(figures), conanHolder: conanHolder(figures) };
}

export type StatementInput = { fiscalYearEnd: string; currency: string; source?: string | null; figures: Partial<Record<FigureName, string | number | null>> };

/** The statement's figures in minor units, or each wrong field and why (reported through `issue`). */
function checkStatement(statement: StatementInput, issue: (field: string, reason: string, value?: unknown) => void): Record<string, number> {
  if (!isIsoDate(statement.fiscalYearEnd)) issue('fiscalYearEnd', DATE_RANGE_REASON, statement.fiscalYearEnd);
  const knownCurrency = isKnownCurrency(statement.currency);
  if (!knownCurrency) issue('currency', 'unknown ISO 4217 currency', statement.currency);
  const figures: Record<string, number> = {};
  for (const name of [...REQUIRED_FIGURES, ...OPTIONAL_FIGURES]) {
    const value = statement.figures[name];
    if (value === null || value === undefined || value === '') {
      if ((REQUIRED_FIGURES as readonly string[]).includes(name)) issue(`figures.${name}`, 'is required');
      continue;
    }
    if (!knownCurrency) continue;
    const parsed = parseAmount(value, statement.currency);
    if (!parsed.ok) issue(`figures.${name}`, parsed.reason, value);
    else figures[name] = parsed.minor;
  }
  for (const name of Object.keys(statement.figures)) {
    if (![...REQUIRED_FIGURES, ...OPTIONAL_FIGURES].includes(name as FigureName)) issue(`figures.${name}`, 'unknown figure', statement.figures[name as FigureName]);
  }
  if (figures.totalAssets !== undefined && figures.totalAssets <= 0) issue('figures.totalAssets', 'must be positive', statement.figures.totalAssets);
  return figures;
}

type CheckedStatement = { customerId: string; statement: StatementInput; figures: Record<string, number> };

/** Inserts or replaces statements (one per customer and fiscal year), audits them and rescores their customers. */
async function storeStatements(tx: Db, actor: Actor, today: string, rows: CheckedStatement[]) {
  const stored = await tx.query<{ id: string; customer_id: string; inserted: boolean }>(
    `INSERT INTO financial_statements (organisation_id, customer_id, fiscal_year_end, currency, source, figures)
     SELECT $1, c.id, t.fiscal_year_end, t.currency, t.source, t.figures::jsonb
     FROM unnest($2::uuid[], $3::date[], $4::text[], $5::text[], $6::text[]) AS t(customer_id, fiscal_year_end, currency, source, figures)
     JOIN customers c ON c.organisation_id = $1 AND c.id = t.customer_id
     ON CONFLICT (organisation_id, customer_id, fiscal_year_end) DO UPDATE SET currency = excluded.currency, source = excluded.source, figures = excluded.figures, updated_at = now()
     RETURNING id, customer_id, (xmax = 0) AS inserted`,
    [
      actor.organisationId,
      rows.map((r) => r.customerId),
      rows.map((r) => r.statement.fiscalYearEnd),
      rows.map((r) => r.statement.currency),
      rows.map((r) => r.statement.source ?? 'manual'),
      rows.map((r) => JSON.stringify(r.figures)),
    ],
  );
  await recordAudit(tx, actor, rows.length === 1 && stored[0]
    ? { action: 'upsert', entity: 'financial_statement', entityId: stored[0].id, after: { fiscalYearEnd: rows[0].statement.fiscalYearEnd, figures: rows[0].figures } }
    : { action: 'import', entity: 'financial_statement', after: { count: stored.length } });
  await recomputeScores({ db: tx, actor, asOf: today, customerIds: [...new Set(stored.map((s) => s.customer_id))] });
  return stored;
}

/** Stores (or replaces) a customer's accounts for a fiscal year, then rescores the customer. */
export async function saveFinancialStatement(options: { db: Db; actor: Actor; customerId: string; today: string; statement: StatementInput }) {
  const { db, actor, statement } = options;
  const issues: FieldIssue[] = [];
  const figures = checkStatement(statement, (field, reason, value) => issues.push({ field, reason, value }));
  if (issues.length > 0) throw new AppError('validation_failed', 'invalid financial statement', issues);
  return db.transaction(async (tx) => {
    const [row] = await storeStatements(tx, actor, options.today, [{ customerId: options.customerId, statement, figures }]);
    if (!row) throw notFound('customer');
    return { id: row.id, ...analyseStatement(figures as unknown as FinancialStatement) };
  });
}

/**
 * Annual accounts of many companies at once (a spreadsheet, or a bureau's export), each named by
 * customer code or SIREN; all or nothing, with every wrong field named.
 */
export async function importFinancialStatements(options: { db: Db; actor: Actor; today: string; items: (CustomerKey & StatementInput)[] }) {
  const { db, actor, items } = options;
  return db.transaction(async (tx) => {
    const customersOf = await resolveCustomerKeys(tx, actor.organisationId, items);
    const issues: FieldIssue[] = [];
    const rows = items.flatMap((item, index) => {
      const issue = (field: string, reason: string, value?: unknown) => issues.push({ index, ref: item.customerRef ?? item.siren ?? undefined, field, reason, value });
      const customerIds = customersOf(item, index, issue, { key: item.fiscalYearEnd, field: 'fiscalYearEnd', value: item.fiscalYearEnd, what: 'accounts for this year' });
      const figures = checkStatement(item, issue);
      return customerIds.map((customerId) => ({ customerId, statement: item, figures }));
    });
    throwIfIssues(issues, 'financial statement', items.length);
    const stored = await storeStatements(tx, actor, options.today, rows);
    const inserted = stored.filter((s) => s.inserted).length;
    return { stored: stored.length, inserted, updated: stored.length - inserted };
  });
}
