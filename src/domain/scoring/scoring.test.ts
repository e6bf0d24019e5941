import { describe, expect, it } from 'vitest';
import { bandOf, paydexDaysBeyondTerms, providerFromName, providerScoreOf, toInternalScore } from './bureau-scales';
import { altmanZDoublePrime, altmanZPrime, conanHolder, financialRatios, type FinancialStatement } from './financial-ratios';

// domain-rules §3.1 / §3.5 worked example.
const example: FinancialStatement = {
  totalAssets: 10_000, currentAssets: 4_000, currentLiabilities: 2_500, retainedEarnings: 1_500, operatingIncome: 800, equity: 3_500,
  totalLiabilities: 6_500, revenue: 12_000, financialDebt: 3_000, cash: 500, inventories: 1_500, interestExpense: 150, ebitda: 900,
  tradePayables: 1_800, purchases: 7_000,
};

describe('Altman (§3.1)', () => {
  it("Z' = 1.91 (grey) and Z'' = 2.58 (grey, just under 2.60)", () => {
    expect(altmanZPrime(example)).toEqual({ score: 1.91, zone: 'grey' });
    expect(altmanZDoublePrime(example)).toEqual({ score: 2.58, zone: 'grey' });
  });
  it('needs retained earnings and EBIT', () => expect(altmanZDoublePrime({ ...example, retainedEarnings: null })).toBeNull());
});

describe('Conan & Holder (§3.2)', () => {
  it('Z = 11.30 → watch (10–30 %)', () => {
    const s: FinancialStatement = {
      ebitda: 900, totalLiabilities: 6_500, equity: 3_000, longTermDebt: 2_000, totalAssets: 10_000, currentAssets: 4_000, inventories: 1_500,
      currentLiabilities: 2_500, interestExpense: 150, revenue: 10_000, staffCosts: 2_000, valueAdded: 3_500,
    };
    expect(conanHolder(s)).toEqual({ score: 11.3, zone: 'watch' });
  });
});

describe('ratios (§3.5)', () => {
  it('gearing 0.71, autonomy 35 %, current 1.6, quick 1.0, coverage 5.3, payback 3.3, DPO 78 days', () => {
    expect(financialRatios(example)).toEqual({
      gearing: 0.71, financialAutonomy: 0.35, debtRatio: 0.65, currentRatio: 1.6, quickRatio: 1, cashRatio: 0.2,
      interestCoverage: 5.3, debtPaybackYears: 3.3, dpoDays: 78,
    });
  });
});

describe('bureau scales (§3.4)', () => {
  it('maps each provider onto 0–100 and A–E', () => {
    expect(toInternalScore({ provider: 'creditsafe', score: 71 })).toEqual({ score: 71, band: 'B' });
    expect(toInternalScore({ provider: 'altares', score: 20 })).toEqual({ score: 100, band: 'A' });
    expect(toInternalScore({ provider: 'altares', score: 0 })).toEqual({ score: 0, band: 'E' });
    expect(toInternalScore({ provider: 'allianz_trade', grade: 1 })).toEqual({ score: 100, band: 'A' });
    expect(toInternalScore({ provider: 'allianz_trade', grade: 9 })).toEqual({ score: 11, band: 'E' });
    expect(toInternalScore({ provider: 'coface_dra', grade: 5 })).toEqual({ score: 50, band: 'C' });
    expect(() => toInternalScore({ provider: 'altares', score: 21 })).toThrow('altares score 21 is outside 0–20');
    expect([bandOf(80), bandOf(79.9), bandOf(20), bandOf(19)]).toEqual(['A', 'B', 'D', 'E']);
  });
  it('reads scores as files give them: decimal commas, Creditsafe letters, provider names', () => {
    expect(providerScoreOf('altares', '14,5')).toEqual({ provider: 'altares', score: 14.5 });
    expect(providerScoreOf('coface_dra', 7)).toEqual({ provider: 'coface_dra', grade: 7 });
    expect(toInternalScore(providerScoreOf('creditsafe', 'a'))).toEqual({ score: 85, band: 'A' });
    expect(toInternalScore(providerScoreOf('creditsafe', 'D'))).toEqual({ score: 15, band: 'E' });
    expect(() => providerScoreOf('creditsafe', 'E')).toThrow('not rated');
    expect(() => providerScoreOf('altares', 'B')).toThrow('altares score "B" is not a number');
    expect(['Creditsafe France', 'Euler Hermes', 'COFACE DRA', 'D&B Paydex', 'Altares D&B', 'Graydon'].map(providerFromName)).toEqual(['creditsafe', 'allianz_trade', 'coface_dra', 'paydex', 'altares', null]);
  });
  it('interpolates Paydex into days beyond terms (65 → 18.5 days)', () => {
    expect(paydexDaysBeyondTerms(65)).toBe(18.5);
    expect(paydexDaysBeyondTerms(80)).toBe(0);
    expect(paydexDaysBeyondTerms(100)).toBe(-30);
  });
});
