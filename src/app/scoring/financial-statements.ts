import { isIsoDate } from '../../domain/calendar';
import { isKnownCurrency, parseAmount } from '../../domain/money';
import { altmanZDoublePrime, altmanZPrime, conanHolder, type FinancialStatement, financialRatios } from '../../domain/scoring/financial-ratios';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import type { Actor } from '../actor';
import { AppError, type FieldIssue, notFound } from '../app-error';
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

/** Stores (or replaces) a customer's accounts for a fiscal year, then rescores the customer. */
export async function saveFinancialStatement(options: {
  db: Db; actor: Actor; customerId: string; today: string;
  statement: { fiscalYearEnd: string; currency: string; source?: string | null; figures: Partial<Record<FigureName, string | number | null>> };
}) {
  const { db, actor, statement } = options;
  const issues: FieldIssue[] = [];
  if (!isIsoDate(statement.fiscalYearEnd)) issues.push({ field: 'fiscalYearEnd', reason: 'must be a calendar date YYYY-MM-DD', value: statement.fiscalYearEnd });
  if (!isKnownCurrency(statement.currency)) issues.push({ field: 'currency', reason: 'unknown ISO 4217 currency', value: statement.currency });
  const figures: Record<string, number> = {};
  for (const name of [...REQUIRED_FIGURES, ...OPTIONAL_FIGURES]) {
    const value = statement.figures[name];
    if (value === null || value === undefined || value === '') {
      if ((REQUIRED_FIGURES as readonly string[]).includes(name)) issues.push({ field: `figures.${name}`, reason: 'is required' });
      continue;
    }
    if (!isKnownCurrency(statement.currency)) continue;
    const parsed = parseAmount(value, statement.currency);
    if (!parsed.ok) issues.push({ field: `figures.${name}`, reason: parsed.reason, value });
    else figures[name] = parsed.minor;
  }
  for (const name of Object.keys(statement.figures)) {
    if (![...REQUIRED_FIGURES, ...OPTIONAL_FIGURES].includes(name as FigureName)) issues.push({ field: `figures.${name}`, reason: 'unknown figure', value: statement.figures[name as FigureName] });
  }
  if (figures.totalAssets !== undefined && figures.totalAssets <= 0) issues.push({ field: 'figures.totalAssets', reason: 'must be positive', value: statement.figures.totalAssets });
  if (issues.length > 0) throw new AppError('validation_failed', 'invalid financial statement', issues);

  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO financial_statements (organisation_id, customer_id, fiscal_year_end, currency, source, figures)
       SELECT $1, c.id, $3, $4, $5, $6::jsonb FROM customers c WHERE c.organisation_id = $1 AND c.id = $2
       ON CONFLICT (organisation_id, customer_id, fiscal_year_end) DO UPDATE SET currency = excluded.currency, source = excluded.source, figures = excluded.figures, updated_at = now()
       RETURNING id`,
      [actor.organisationId, options.customerId, statement.fiscalYearEnd, statement.currency, statement.source ?? 'manual', JSON.stringify(figures)],
    );
    if (!row) throw notFound('customer');
    await recordAudit(tx, actor, { action: 'upsert', entity: 'financial_statement', entityId: row.id, after: { fiscalYearEnd: statement.fiscalYearEnd, figures } });
    await recomputeScores({ db: tx, actor, asOf: options.today, customerIds: [options.customerId] });
    return { id: row.id, ...analyseStatement(figures as unknown as FinancialStatement) };
  });
}
