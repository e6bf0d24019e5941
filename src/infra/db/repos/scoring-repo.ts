import type { Behaviour } from '../../../domain/scoring/customer-score';
import type { Db } from '../db';

/**
 * Payment behaviour per customer from the ledger as of a date: amount-weighted days beyond terms
 * of invoices paid in the last 3 and 12 months, share paid late, and the oldest overdue item.
 */
export async function behaviourFeatures(db: Db, organisationId: string, asOf: string, customerIds?: string[]): Promise<Map<string, Behaviour>> {
  const rows = await db.query<{ customer_id: string; late3: string | null; late12: string | null; share_late: string | null; max_overdue: number | null; has_history: boolean }>(
    `SELECT c.id AS customer_id,
            (sum(i.total_incl_tax::numeric * (i.paid_date - i.due_date)) FILTER (WHERE i.paid_date > $2::date - 91)
              / nullif(sum(i.total_incl_tax) FILTER (WHERE i.paid_date > $2::date - 91), 0))::text AS late3,
            (sum(i.total_incl_tax::numeric * (i.paid_date - i.due_date)) FILTER (WHERE i.paid_date > $2::date - 365)
              / nullif(sum(i.total_incl_tax) FILTER (WHERE i.paid_date > $2::date - 365), 0))::text AS late12,
            (count(*) FILTER (WHERE i.paid_date > $2::date - 365 AND i.paid_date > i.due_date)::numeric
              / nullif(count(*) FILTER (WHERE i.paid_date > $2::date - 365), 0))::text AS share_late,
            max($2::date - i.due_date) FILTER (WHERE i.status = 'open' AND i.open_amount > 0 AND i.due_date < $2::date) AS max_overdue,
            count(i.id) > 0 AS has_history
     FROM customers c
     LEFT JOIN invoices i ON i.customer_id = c.id AND i.kind = 'invoice' AND i.total_incl_tax > 0
       AND (i.paid_date BETWEEN $2::date - 365 AND $2::date OR (i.status = 'open' AND i.open_amount > 0))
     WHERE c.organisation_id = $1 AND ($3::uuid[] IS NULL OR c.id = ANY($3::uuid[]))
     GROUP BY c.id`,
    [organisationId, asOf, customerIds ?? null],
  );
  const num = (v: string | null) => (v === null ? null : Number(v));
  return new Map(
    rows
      .filter((r) => r.has_history)
      .map((r) => [r.customer_id, { weightedDaysLate3m: num(r.late3), weightedDaysLate12m: num(r.late12), shareLate: num(r.share_late), maxDaysOverdue: r.max_overdue ?? 0 }]),
  );
}

export async function customersToScore(db: Db, organisationId: string, customerIds?: string[]) {
  return db.query<{ id: string; risk_score: number | null; risk_band: string | null }>(
    'SELECT id, risk_score, risk_band FROM customers WHERE organisation_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))',
    [organisationId, customerIds ?? null],
  );
}

export type ScoreRow = { customerId: string; score: number; band: string; inputs: unknown; contributions: unknown; reasons: string[]; policyVersion: string; asOf: string };

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
    `UPDATE customers c SET risk_score = t.score, risk_band = t.band, risk_scored_at = now()
     FROM unnest($2::uuid[], $3::int[], $4::text[]) AS t(id, score, band)
     WHERE c.organisation_id = $1 AND c.id = t.id`,
    [organisationId, scores.map((s) => s.customerId), scores.map((s) => s.score), scores.map((s) => s.band)],
  );
}

export async function scoreHistory(db: Db, organisationId: string, customerId: string, limit: number) {
  return db.query<{ id: string; score: number; band: string; contributions: unknown; reasons: string[]; policy_version: string; as_of: string; computed_at: Date }>(
    `SELECT id, score, band, contributions, reasons, policy_version, as_of, computed_at FROM customer_scores
     WHERE organisation_id = $1 AND customer_id = $2 ORDER BY computed_at DESC, id DESC LIMIT $3`,
    [organisationId, customerId, limit],
  );
}
