import { customerScore, DEFAULT_WEIGHTS, type ScoreWeights } from '../../domain/scoring/customer-score';
import type { Db } from '../../infra/db/db';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import { createHash } from 'node:crypto';
import { behaviourFeatures, customersToScore, insertScores, latestReasons, type RiskContext, riskContexts, type ScoreRow } from '../../infra/db/repos/scoring-repo';
import { legalStatusOf } from '../../domain/legal/legal-events';
import { altmanZDoublePrime } from '../../domain/scoring/financial-ratios';
import type { Behaviour, ScoreInputs } from '../../domain/scoring/customer-score';
import { type NewAlert, raiseAlerts } from '../../infra/db/repos/alerts-repo';
import type { Actor } from '../actor';

export const SCORING_POLICY_VERSION = 'v4-behaviour-promises-unpaid-financial-legal-external';

/**
 * Recomputes the risk score of customers (all, or those given) as of a date from their payment
 * behaviour. A new history entry is written only when the score, band or reasons changed.
 */
export async function recomputeScores(options: { db: Db; actor: Actor; asOf: string; customerIds?: string[] }) {
  const { db, actor } = options;
  const org = await getOrganisation(db, actor.organisationId);
  const weights = { ...DEFAULT_WEIGHTS, ...((org?.settings as { scoring?: { weights?: Partial<ScoreWeights> } })?.scoring?.weights ?? {}) };
  return db.transaction(async (tx) => {
    // Grouping a year of invoices by customer keeps one set of aggregates per customer in memory:
    // with the default 4 MB, 100 000 customers spill to disk, which doubled the pass.
    await tx.exec(`SET LOCAL work_mem = '32MB'`);
    // One after the other: a transaction is one connection.
    const customers = await customersToScore(tx, actor.organisationId, options.customerIds);
    const features = await behaviourFeatures(tx, actor.organisationId, options.asOf, options.customerIds);
    const contexts = await riskContexts(tx, actor.organisationId, options.asOf, options.customerIds);
    // Scores written before fingerprints existed are compared with their history once.
    const unfingerprinted = new Map(customers.filter((c) => c.risk_score !== null && c.risk_fingerprint === null).map((c) => [c.id, c]));
    for (const [id, reasons] of await latestReasons(tx, actor.organisationId, [...unfingerprinted.keys()])) {
      const customer = unfingerprinted.get(id);
      if (customer) customer.risk_fingerprint = scoreFingerprint(customer.risk_score as number, customer.risk_band as string, reasons);
    }
    const changed: ScoreRow[] = [];
    for (const customer of customers) {
      const inputs = scoreInputs(features.get(customer.id) ?? null, contexts.get(customer.id), options.asOf);
      const result = customerScore({ inputs, weights, policyVersion: SCORING_POLICY_VERSION });
      const fingerprint = scoreFingerprint(result.score, result.band, result.reasons);
      if (customer.risk_fingerprint === fingerprint) continue;
      changed.push({
        customerId: customer.id,
        score: result.score,
        band: result.band,
        inputs,
        contributions: result.contributions,
        reasons: result.reasons,
        policyVersion: result.policyVersion,
        asOf: options.asOf,
        fingerprint,
      });
    }
    await insertScores(tx, actor.organisationId, changed);
    // A worse band, or payments getting later, deserve a person's eye.
    const bandRank = (b: string | null) => (b ? 'ABCDE'.indexOf(b) : -1);
    const previousBand = new Map(customers.map((c) => [c.id, c.risk_band]));
    const alerts: NewAlert[] = [];
    for (const s of changed) {
      const before = previousBand.get(s.customerId) ?? null;
      if (before && bandRank(s.band) > bandRank(before)) {
        alerts.push({
          customerId: s.customerId,
          kind: 'band_drop',
          severity: s.band === 'E' || s.band === 'D' ? 'critical' : 'warning',
          dedupKey: `band_drop:${s.customerId}:${s.band}`,
          title: `Risk band dropped from ${before} to ${s.band}`,
          details: { from: before, to: s.band, score: s.score, reasons: s.reasons },
        });
      }
      const trend = s.reasons.find((r) => r.startsWith('average days late rose'));
      if (trend) {
        alerts.push({ customerId: s.customerId, kind: 'payment_deterioration', severity: 'warning', dedupKey: `payment_deterioration:${s.customerId}`, title: trend, details: { reasons: s.reasons } });
      }
    }
    const raised = await raiseAlerts(tx, actor.organisationId, alerts);
    return { customers: customers.length, changed: changed.length, alerts: raised };
  });
}

/** What a score says, in a few bytes: a new history entry is due when it changes. */
function scoreFingerprint(score: number, band: string, reasons: string[]): string {
  return createHash('md5').update(`${score}|${band}|${JSON.stringify(reasons)}`).digest('base64');
}

const PROVIDER_NAMES: Record<string, string> = { creditsafe: 'Creditsafe', altares: 'Altares', allianz_trade: 'Allianz Trade', coface_dra: 'Coface', paydex: 'D&B Paydex', ellisphere: 'Ellisphere' };

/** The score's inputs for one customer, kept whole in its history so every score can be explained later. */
function scoreInputs(behaviour: Behaviour | null, context: RiskContext | undefined, asOf: string): ScoreInputs & { accounts?: { fiscalYearEnd: string } } {
  const legal = context && context.legalEvents.length > 0 ? legalStatusOf(context.legalEvents, asOf) : null;
  const z = context?.statement ? altmanZDoublePrime(context.statement.figures) : null;
  return {
    behaviour,
    legal: legal && (legal.procedure || legal.isClosed) ? legal : null,
    isLegalStatusKnown: context?.isLegalStatusKnown ?? false,
    altmanZ2: z?.score ?? null,
    ...(z && context?.statement ? { accounts: { fiscalYearEnd: context.statement.fiscalYearEnd } } : {}),
    external: context?.ratings.map((r) => ({ provider: PROVIDER_NAMES[r.provider] ?? r.provider, score: r.score })) ?? null,
  };
}
