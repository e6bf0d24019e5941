import type { LegalEvent, LegalEventKind } from '../../../domain/legal/legal-events';
import type { FinancialStatement } from '../../../domain/scoring/financial-ratios';
import { brokenInYear, settlePromises } from '../../../domain/collections/promises';
import type { Behaviour } from '../../../domain/scoring/customer-score';
import type { Db } from '../db';
import { promisesWithPayments } from './promises-repo';

/**
 * Payment behaviour per customer from the ledger as of a date: amount-weighted days beyond terms
 * of invoices paid in the last 3, 6 and 12 months, share paid late, the oldest overdue item and
 * the amount-weighted days past due of the open overdue ones, DSO
 * (open receivables against the last 90 days' invoicing), the share of open receivables in
 * dispute, the invoices partly paid and the promises to pay broken in 12 months. One pass over
 * the invoices, grouped by customer (customers without any such invoice have no behaviour), and
 * one over the promises to pay. Averages and ratios are floats on purpose
 * (they are not money; a customer invoiced in several currencies gets them weighted as is).
 */
export async function behaviourFeatures(db: Db, organisationId: string, asOf: string, customerIds?: string[]): Promise<Map<string, Behaviour>> {
  const lateOver = (days: number) =>
    `sum(i.total_incl_tax::float8 * (i.paid_date - i.due_date)) FILTER (WHERE i.paid_date > $2::date - ${days})
       / nullif(sum(i.total_incl_tax::float8) FILTER (WHERE i.paid_date > $2::date - ${days}), 0)`;
  const isOpen = `i.status = 'open' AND i.open_amount > 0`;
  const rows = await db.query<{
    customer_id: string; late3: number | null; late6: number | null; late12: number | null; share_late: number | null; max_overdue: number | null; open_overdue: number | null;
    open_total: number | null; invoiced90: number | null; disputed: number | null; partial: number;
  }>(
    `SELECT i.customer_id,
            ${lateOver(91)} AS late3, ${lateOver(182)} AS late6, ${lateOver(365)} AS late12,
            count(*) FILTER (WHERE i.paid_date > $2::date - 365 AND i.paid_date > i.due_date)::float8
              / nullif(count(*) FILTER (WHERE i.paid_date > $2::date - 365), 0) AS share_late,
            max($2::date - i.due_date) FILTER (WHERE ${isOpen} AND i.due_date < $2::date) AS max_overdue,
            sum(i.open_amount::float8 * ($2::date - i.due_date)) FILTER (WHERE ${isOpen} AND i.due_date < $2::date)
              / nullif(sum(i.open_amount::float8) FILTER (WHERE ${isOpen} AND i.due_date < $2::date), 0) AS open_overdue,
            sum(i.open_amount::float8) FILTER (WHERE ${isOpen}) AS open_total,
            sum(i.total_incl_tax::float8) FILTER (WHERE i.issue_date > $2::date - 90 AND i.issue_date <= $2::date) AS invoiced90,
            sum(i.open_amount::float8) FILTER (WHERE ${isOpen} AND i.is_disputed) AS disputed,
            count(*) FILTER (WHERE ${isOpen} AND i.open_amount < i.total_incl_tax)::int AS partial
     FROM invoices i
     WHERE i.organisation_id = $1 AND ($3::uuid[] IS NULL OR i.customer_id = ANY($3::uuid[]))
       AND i.kind = 'invoice' AND i.total_incl_tax > 0
       AND (i.paid_date BETWEEN $2::date - 365 AND $2::date OR (${isOpen}))
     GROUP BY i.customer_id`,
    [organisationId, asOf, customerIds ?? null],
  );
  const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
  // Only promises whose deadline (date + grace) fell in the last 12 months can count as broken in them.
  const promises = await promisesWithPayments(db, organisationId, asOf, customerIds, 365);
  const broken = (customerId: string) => {
    const of = promises.byCustomer.get(customerId);
    return of ? brokenInYear(settlePromises(of.promises, of.payments, asOf, promises.graceDays).values(), asOf) : 0;
  };
  return new Map(
    rows.map((r) => [
      r.customer_id,
      {
        weightedDaysLate3m: r.late3,
        weightedDaysLate6m: r.late6,
        weightedDaysLate12m: r.late12,
        shareLate: r.share_late,
        maxDaysOverdue: r.max_overdue ?? 0,
        weightedDaysOverdueOpen: r.open_overdue,
        dso: r.invoiced90 ? round(((r.open_total ?? 0) / r.invoiced90) * 90, 1) : null,
        disputedShare: r.open_total ? round((r.disputed ?? 0) / r.open_total, 3) : null,
        partialPayments: r.partial,
        brokenPromises: broken(r.customer_id),
      },
    ]),
  );
}

export async function customersToScore(db: Db, organisationId: string, customerIds?: string[]) {
  return db.query<{ id: string; risk_score: number | null; risk_band: string | null; risk_fingerprint: string | null }>(
    'SELECT id, risk_score, risk_band, risk_fingerprint FROM customers WHERE organisation_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))',
    [organisationId, customerIds ?? null],
  );
}

/** The reasons of the latest score of customers scored before fingerprints existed. */
export async function latestReasons(db: Db, organisationId: string, customerIds: string[]): Promise<Map<string, string[]>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db.query<{ customer_id: string; reasons: string[] }>(
    `SELECT DISTINCT ON (customer_id) customer_id, reasons FROM customer_scores
     WHERE organisation_id = $1 AND customer_id = ANY($2::uuid[]) ORDER BY customer_id, computed_at DESC`,
    [organisationId, customerIds],
  );
  return new Map(rows.map((r) => [r.customer_id, r.reasons]));
}

export type ScoreRow = { customerId: string; score: number; band: string; inputs: unknown; contributions: unknown; reasons: string[]; policyVersion: string; asOf: string; fingerprint: string };

export async function insertScores(db: Db, organisationId: string, scores: ScoreRow[]) {
  if (scores.length === 0) return;
  await db.query(
    `INSERT INTO customer_scores (organisation_id, customer_id, score, band, inputs, contributions, reasons, policy_version, as_of)
     SELECT $1, customer_id, score, band, inputs::jsonb, contributions::jsonb, reasons::jsonb, policy_version, as_of
     FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[])
       AS t(customer_id, score, band, inputs, contributions, reasons, policy_version, as_of)`,
    [
      organisationId,
      scores.map((s) => s.customerId),
      scores.map((s) => s.score),
      scores.map((s) => s.band),
      scores.map((s) => JSON.stringify(s.inputs)),
      scores.map((s) => JSON.stringify(s.contributions)),
      scores.map((s) => JSON.stringify(s.reasons)),
      scores.map((s) => s.policyVersion),
      scores.map((s) => s.asOf),
    ],
  );
  await db.query(
    `UPDATE customers c SET risk_score = t.score, risk_band = t.band, risk_fingerprint = t.fingerprint, risk_scored_at = now()
     FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[]) AS t(id, score, band, fingerprint)
     WHERE c.organisation_id = $1 AND c.id = t.id`,
    [organisationId, scores.map((s) => s.customerId), scores.map((s) => s.score), scores.map((s) => s.band), scores.map((s) => s.fingerprint)],
  );
}

export async function scoreHistory(db: Db, organisationId: string, customerId: string, limit: number) {
  return db.query<{ id: string; score: number; band: string; contributions: unknown; behaviour: unknown; reasons: string[]; policy_version: string; as_of: string; computed_at: Date }>(
    `SELECT id, score, band, contributions, inputs->'behaviour' AS behaviour, reasons, policy_version, as_of, computed_at FROM customer_scores
     WHERE organisation_id = $1 AND customer_id = $2 ORDER BY computed_at DESC, id DESC LIMIT $3`,
    [organisationId, customerId, limit],
  );
}

export type RiskContext = {
  legalEvents: LegalEvent[];
  ratings: { provider: string; score: number; ratedOn: string }[];
  statement: { fiscalYearEnd: string; figures: FinancialStatement } | null;
  /** A legal register has answered about the company (or notices are on record): "no procedure" is then a fact. */
  isLegalStatusKnown: boolean;
};

/**
 * What else than payments the score needs per customer: the legal events of its SIREN, the latest
 * rating of each bureau or insurer in the last 12 months, and its latest annual accounts.
 */
export async function riskContexts(db: Db, organisationId: string, asOf: string, customerIds?: string[]): Promise<Map<string, RiskContext>> {
  const ids = customerIds ?? null;
  // Sequential on purpose: `db` is often a transaction, i.e. one connection.
  const events = await db.query<{ customer_id: string; kind: LegalEventKind; published_on: string; judgment_date: string | null; cancelled: boolean }>(
      `SELECT c.id AS customer_id, e.kind, e.published_on, e.judgment_date, e.cancelled
       FROM customers c JOIN legal_events e ON e.organisation_id = c.organisation_id AND e.siren = c.siren
       WHERE c.organisation_id = $1 AND ($2::uuid[] IS NULL OR c.id = ANY($2::uuid[])) AND e.published_on <= $3::date`,
      [organisationId, ids, asOf],
  );
  const ratings = await db.query<{ customer_id: string; provider: string; score: number; rated_on: string }>(
      `SELECT DISTINCT ON (customer_id, provider) customer_id, provider, score, rated_on FROM external_ratings
       WHERE organisation_id = $1 AND ($2::uuid[] IS NULL OR customer_id = ANY($2::uuid[])) AND rated_on BETWEEN $3::date - 365 AND $3::date
       ORDER BY customer_id, provider, rated_on DESC`,
      [organisationId, ids, asOf],
  );
  const statements = await db.query<{ customer_id: string; fiscal_year_end: string; figures: FinancialStatement }>(
      `SELECT DISTINCT ON (customer_id) customer_id, fiscal_year_end, figures FROM financial_statements
       WHERE organisation_id = $1 AND ($2::uuid[] IS NULL OR customer_id = ANY($2::uuid[])) AND fiscal_year_end <= $3::date
       ORDER BY customer_id, fiscal_year_end DESC`,
      [organisationId, ids, asOf],
  );
  const checked = await db.query<{ customer_id: string }>(
      `SELECT id AS customer_id FROM customers
       WHERE organisation_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) AND legal_checked_at IS NOT NULL`,
      [organisationId, ids],
  );
  const contexts = new Map<string, RiskContext>();
  const of = (id: string) => {
    let c = contexts.get(id);
    if (!c) contexts.set(id, (c = { legalEvents: [], ratings: [], statement: null, isLegalStatusKnown: false }));
    return c;
  };
  for (const c of checked) of(c.customer_id).isLegalStatusKnown = true;
  for (const e of events) of(e.customer_id).isLegalStatusKnown = true;
  for (const e of events) of(e.customer_id).legalEvents.push({ kind: e.kind, publishedOn: e.published_on, judgmentDate: e.judgment_date, cancelled: e.cancelled });
  for (const r of ratings) of(r.customer_id).ratings.push({ provider: r.provider, score: r.score, ratedOn: r.rated_on });
  for (const s of statements) of(s.customer_id).statement = { fiscalYearEnd: s.fiscal_year_end, figures: s.figures };
  return contexts;
}
