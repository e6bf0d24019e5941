/**
 * One explainable 0–100 score and A–E band per customer (issue #4 §4), from payment behaviour,
 * financial statements, legal status and external scores, with weights each organisation sets.
 * Every result lists each input's contribution and reasons in plain words; a legal procedure caps
 * the score whatever the rest says.
 */
import { type Band, bandOf } from './bureau-scales';

export type Behaviour = {
  /** Amount-weighted days beyond terms of invoices paid in the last 3, 6 and 12 months (signed). */
  weightedDaysLate3m: number | null;
  weightedDaysLate6m?: number | null;
  weightedDaysLate12m: number | null;
  /** Share (0–1) of the invoices paid in 12 months that were paid late. */
  shareLate: number | null;
  /** Oldest open invoice's days past due. */
  maxDaysOverdue: number;
  /** Amount-weighted days past due of the open overdue invoices (the lateness of a customer that has not paid yet). */
  weightedDaysOverdueOpen?: number | null;
  /** Open receivables against the last 90 days' invoicing, in days (none without recent invoices). */
  dso?: number | null;
  /** Share (0–1) of open receivables in dispute. */
  disputedShare?: number | null;
  /** Open invoices partly paid. */
  partialPayments?: number;
  /** Promises to pay broken in the last 12 months. */
  brokenPromises?: number;
};
export type LegalStatus = { procedure: 'sauvegarde' | 'redressement' | 'liquidation' | null; openedOn?: string | null; underPlan?: boolean; isClosed?: boolean; closedOn?: string | null };
export type ScoreInputs = {
  behaviour?: Behaviour | null;
  /** Altman Z″ of the latest accounts. */
  altmanZ2?: number | null;
  legal?: LegalStatus | null;
  /**
   * false when no legal register has answered about the company (never checked, no SIREN, register
   * down): `legal` null then means "unknown", not "no procedure", and the reasons say so.
   */
  isLegalStatusKnown?: boolean;
  /** Bureau and insurer scores already on our 0–100 scale (the latest of each provider). */
  external?: { score: number; provider: string }[] | null;
};
export type ScoreWeights = { behaviour: number; financial: number; external: number };
export const DEFAULT_WEIGHTS: ScoreWeights = { behaviour: 0.45, financial: 0.25, external: 0.3 };

export type ScoreResult = {
  score: number;
  band: Band;
  contributions: { input: 'behaviour' | 'financial' | 'external'; score: number; weight: number; points: number }[];
  reasons: string[];
  policyVersion: string;
};

const clamp = (n: number) => Math.max(0, Math.min(100, n));
const round1 = (n: number) => Math.round(n * 10) / 10;

/** 100 for a customer paying on time; days late, late share and old overdue items take points off. */
export function behaviourScore(b: Behaviour): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 100;
  const late = b.weightedDaysLate12m ?? b.weightedDaysLate3m;
  if (late !== null && late > 0) {
    score -= Math.min(60, late);
    reasons.push(`pays on average ${round1(late)} days late`);
  } else if (late === null && b.weightedDaysOverdueOpen) {
    // Nothing paid in a year: what is overdue now is the only measure of lateness.
    score -= Math.min(60, b.weightedDaysOverdueOpen);
    reasons.push(`nothing paid in 12 months; open invoices on average ${round1(b.weightedDaysOverdueOpen)} days overdue`);
  }
  if (b.shareLate !== null && b.shareLate > 0) {
    score -= b.shareLate * 20;
    if (b.shareLate >= 0.5) reasons.push(`${Math.round(b.shareLate * 100)} % of invoices paid late`);
  }
  if (b.maxDaysOverdue > 90) {
    score -= 15;
    reasons.push(`an invoice is ${b.maxDaysOverdue} days overdue`);
  } else if (b.maxDaysOverdue > 60) score -= 8;
  if (b.brokenPromises) {
    // A broken promise is a collector's strongest early sign: the customer cannot or will not pay.
    score -= Math.min(30, b.brokenPromises * 10);
    reasons.push(b.brokenPromises === 1 ? '1 promise to pay broken in 12 months' : `${b.brokenPromises} promises to pay broken in 12 months`);
  }
  if (b.weightedDaysLate3m !== null && b.weightedDaysLate12m !== null && b.weightedDaysLate3m - b.weightedDaysLate12m >= 10) {
    score -= 10;
    reasons.push(`average days late rose from ${round1(b.weightedDaysLate12m)} to ${round1(b.weightedDaysLate3m)} in 3 months`);
  }
  return { score: clamp(Math.round(score)), reasons };
}

/** Altman Z″ onto 0–100: distress (≤ 1.10) low, grey zone linear, safe (≥ 2.60) high. */
export function financialScore(z: number): { score: number; reasons: string[] } {
  const score = z <= 1.1 ? 15 : z < 2.6 ? 15 + ((z - 1.1) / 1.5) * 50 : Math.min(100, 65 + (z - 2.6) * 10);
  const zone = z < 1.1 ? 'distress' : z < 2.6 ? 'grey' : 'safe';
  return { score: clamp(Math.round(score)), reasons: zone === 'safe' ? [] : [`Altman Z″ ${z.toFixed(2)}: ${zone} zone`] };
}

const PROCEDURE_CAP = { sauvegarde: 25, redressement: 10, liquidation: 0 } as const;
const PLAN_CAP = 30;
const PROCEDURE_LABEL = { sauvegarde: 'procédure de sauvegarde', redressement: 'redressement judiciaire', liquidation: 'liquidation judiciaire' } as const;

/** The reason naming the missing legal status: the score does not assume the absence of a procedure silently. */
export const LEGAL_STATUS_UNKNOWN = 'legal status unknown: no register has answered yet';

export function customerScore(options: { inputs: ScoreInputs; weights?: ScoreWeights; policyVersion: string }): ScoreResult {
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const { inputs } = options;
  const parts: { input: 'behaviour' | 'financial' | 'external'; score: number; weight: number; reasons: string[] }[] = [];
  if (inputs.behaviour) parts.push({ input: 'behaviour', weight: weights.behaviour, ...behaviourScore(inputs.behaviour) });
  if (inputs.altmanZ2 !== null && inputs.altmanZ2 !== undefined) parts.push({ input: 'financial', weight: weights.financial, ...financialScore(inputs.altmanZ2) });
  if (inputs.external && inputs.external.length > 0) {
    const external = inputs.external;
    parts.push({
      input: 'external',
      weight: weights.external,
      score: clamp(Math.round(external.reduce((s, e) => s + e.score, 0) / external.length)),
      reasons: external.filter((e) => e.score < 40).map((e) => `${e.provider} score ${e.score}/100`),
    });
  }
  const totalWeight = parts.reduce((s, p) => s + p.weight, 0);
  // With nothing known, the customer is neither good nor bad: the middle of the scale.
  let score = totalWeight > 0 ? parts.reduce((s, p) => s + (p.score * p.weight) / totalWeight, 0) : 50;
  const reasons = parts.flatMap((p) => p.reasons);
  if (totalWeight === 0) reasons.push('no payment history, accounts or external score yet');

  const legal = inputs.legal;
  if (legal?.isClosed) {
    score = 0;
    reasons.unshift(`company closed${legal.closedOn ? ` on ${legal.closedOn}` : ''} (radiation)`);
  } else if (legal?.procedure) {
    // A continuation plan lets the company trade on while it repays frozen debts: still high risk.
    score = Math.min(score, legal.underPlan && legal.procedure !== 'liquidation' ? PLAN_CAP : PROCEDURE_CAP[legal.procedure]);
    reasons.unshift(`BODACC: ${PROCEDURE_LABEL[legal.procedure]} opened${legal.openedOn ? ` ${legal.openedOn}` : ''}${legal.underPlan ? ', continuation plan in progress' : ''}`);
  }
  if (inputs.isLegalStatusKnown === false) reasons.push(LEGAL_STATUS_UNKNOWN);
  const final = Math.round(score);
  return {
    score: final,
    band: bandOf(final),
    contributions: parts.map((p) => ({ input: p.input, score: p.score, weight: round1((p.weight / totalWeight) * 100) / 100, points: round1((p.score * p.weight) / totalWeight) })),
    reasons,
    policyVersion: options.policyVersion,
  };
}
