import { describe, expect, it } from 'vitest';
import { behaviourScore, customerScore, financialScore, LEGAL_STATUS_UNKNOWN } from './customer-score';

const prompt = { weightedDaysLate3m: -2, weightedDaysLate12m: 1, shareLate: 0.1, maxDaysOverdue: 0 };
const deteriorating = { weightedDaysLate3m: 27, weightedDaysLate12m: 4, shareLate: 0.6, maxDaysOverdue: 95 };

describe('customer score', () => {
  it('rewards a prompt payer and explains a deteriorating one', () => {
    expect(behaviourScore(prompt).score).toBe(97);
    const bad = behaviourScore(deteriorating);
    expect(bad.score).toBe(59);
    expect(bad.reasons).toEqual(['pays on average 4 days late', '60 % of invoices paid late', 'an invoice is 95 days overdue', 'average days late rose from 4 to 27 in 3 months']);
  });

  it('judges a customer that has paid nothing in a year by what is overdue now', () => {
    // An aged balance loaded on day one: no payment history, invoices 136 days overdue on average.
    const unpaid = behaviourScore({ weightedDaysLate3m: null, weightedDaysLate12m: null, shareLate: null, maxDaysOverdue: 181, weightedDaysOverdueOpen: 135.7 });
    expect(unpaid).toEqual({ score: 25, reasons: ['nothing paid in 12 months; open invoices on average 135.7 days overdue', 'an invoice is 181 days overdue'] });
    // Payments, even late ones, are the better measure once there are some.
    expect(behaviourScore({ ...deteriorating, weightedDaysOverdueOpen: 200 }).score).toBe(59);
  });

  it('maps Altman Z″ zones', () => {
    expect(financialScore(2.58).score).toBe(64);
    expect(financialScore(0.5)).toEqual({ score: 15, reasons: ['Altman Z″ 0.50: distress zone'] });
    expect(financialScore(4).score).toBe(79);
  });

  it('combines the inputs with their weights, renormalised over what is known, with contributions', () => {
    const result = customerScore({ inputs: { behaviour: prompt, altmanZ2: 2.58, external: [{ score: 71, provider: 'Creditsafe' }] }, policyVersion: 'v1' });
    // 0.45 × 97 + 0.25 × 64 + 0.30 × 71 = 80.95
    expect(result).toMatchObject({ score: 81, band: 'A', policyVersion: 'v1' });
    expect(result.contributions.map((c) => [c.input, c.points])).toEqual([['behaviour', 43.7], ['financial', 16], ['external', 21.3]]);
    const onlyBehaviour = customerScore({ inputs: { behaviour: deteriorating }, policyVersion: 'v1' });
    expect(onlyBehaviour).toMatchObject({ score: 59, band: 'C' });
    expect(customerScore({ inputs: {}, policyVersion: 'v1' })).toMatchObject({ score: 50, band: 'C', reasons: ['no payment history, accounts or external score yet'] });
  });

  it('caps the score on a legal procedure and zeroes a closed company, saying why first', () => {
    const rj = customerScore({ inputs: { behaviour: prompt, legal: { procedure: 'redressement', openedOn: '2026-10-03' } }, policyVersion: 'v1' });
    expect(rj).toMatchObject({ score: 10, band: 'E' });
    expect(rj.reasons[0]).toBe('BODACC: redressement judiciaire opened 2026-10-03');
    expect(customerScore({ inputs: { behaviour: prompt, legal: { procedure: null, isClosed: true, closedOn: '2026-09-01' } }, policyVersion: 'v1' }).score).toBe(0);
  });

  it('lets an organisation weigh inputs its own way', () => {
    const weights = { behaviour: 1, financial: 0, external: 0 };
    expect(customerScore({ inputs: { behaviour: prompt, external: [{ score: 10, provider: 'Altares' }] }, weights, policyVersion: 'v2' }).score).toBe(97);
  });
});

describe('legal status unknown', () => {
  it('says so in the reasons instead of reading it as "no procedure", without moving the score', () => {
    const inputs = { behaviour: { weightedDaysLate3m: 0, weightedDaysLate12m: 0, shareLate: 0, maxDaysOverdue: 0 } };
    const unknown = customerScore({ inputs: { ...inputs, isLegalStatusKnown: false }, policyVersion: 't' });
    const known = customerScore({ inputs: { ...inputs, isLegalStatusKnown: true }, policyVersion: 't' });
    expect(unknown.reasons).toEqual([LEGAL_STATUS_UNKNOWN]);
    expect(known.reasons).toEqual([]);
    expect(unknown.score).toBe(known.score);
  });
});
