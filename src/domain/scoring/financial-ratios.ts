/**
 * Financial ratios and failure scores from a company's annual accounts (domain-rules.md §3).
 * Inputs are amounts of one statement in one currency (any unit: ratios are unit-free); outputs
 * are decimals (0.35, not 35 %), null where a denominator is zero or an input is missing.
 */
import Decimal from 'decimal.js';

export type FinancialStatement = {
  totalAssets: number;
  currentAssets: number;
  inventories?: number | null;
  cash?: number | null;
  currentLiabilities: number;
  totalLiabilities: number;
  equity: number;
  /** Long-term debts (> 1 year), for permanent capital. */
  longTermDebt?: number | null;
  financialDebt?: number | null;
  retainedEarnings?: number | null;
  /** Résultat d'exploitation (≈ EBIT). */
  operatingIncome?: number | null;
  /** Excédent brut d'exploitation (≈ EBITDA). */
  ebitda?: number | null;
  revenue?: number | null;
  interestExpense?: number | null;
  staffCosts?: number | null;
  valueAdded?: number | null;
  tradePayables?: number | null;
  /** Purchases of goods, materials and external charges, excluding tax. */
  purchases?: number | null;
};

const has = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
function ratio(numerator: number | null | undefined, denominator: number | null | undefined, digits = 4): number | null {
  if (!has(numerator) || !has(denominator) || denominator === 0) return null;
  return new Decimal(numerator).div(denominator).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP).toNumber();
}

/** The ratios of §3.5 (gearing, autonomy, liquidity, coverage, payback, DPO). */
export function financialRatios(s: FinancialStatement) {
  const netDebt = has(s.financialDebt) ? s.financialDebt - (s.cash ?? 0) : null;
  return {
    gearing: ratio(netDebt, s.equity, 2),
    financialAutonomy: ratio(s.equity, s.totalAssets),
    debtRatio: ratio(s.totalLiabilities, s.totalAssets),
    currentRatio: ratio(s.currentAssets, s.currentLiabilities, 2),
    quickRatio: has(s.inventories) ? ratio(s.currentAssets - s.inventories, s.currentLiabilities, 2) : null,
    cashRatio: ratio(s.cash, s.currentLiabilities, 2),
    interestCoverage: ratio(s.operatingIncome, s.interestExpense, 1),
    debtPaybackYears: ratio(s.financialDebt, s.ebitda, 1),
    /** Days payable outstanding: trade payables incl. VAT / purchases incl. VAT × 365 (20 % VAT by default). */
    dpoDays: has(s.tradePayables) && has(s.purchases) && s.purchases > 0 ? Math.round((s.tradePayables / (s.purchases * 1.2)) * 365) : null,
  };
}

export type Zone = 'safe' | 'grey' | 'distress';

/** Altman Z′ (1983, private firms): 0.717 X1 + 0.847 X2 + 3.107 X3 + 0.420 X4 + 0.998 X5; zones 1.23 / 2.90. */
export function altmanZPrime(s: FinancialStatement): { score: number; zone: Zone } | null {
  const x = altmanInputs(s);
  if (!x || x.x5 === null) return null;
  const z = new Decimal(0.717).times(x.x1).plus(new Decimal(0.847).times(x.x2)).plus(new Decimal(3.107).times(x.x3)).plus(new Decimal(0.42).times(x.x4)).plus(new Decimal(0.998).times(x.x5));
  const score = z.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
  return { score, zone: score > 2.9 ? 'safe' : score >= 1.23 ? 'grey' : 'distress' };
}

/** Altman Z″ (1995, non-manufacturing and private firms — the one for French SMEs): 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4; zones 1.10 / 2.60. */
export function altmanZDoublePrime(s: FinancialStatement): { score: number; zone: Zone } | null {
  const x = altmanInputs(s);
  if (!x) return null;
  const z = new Decimal(6.56).times(x.x1).plus(new Decimal(3.26).times(x.x2)).plus(new Decimal(6.72).times(x.x3)).plus(new Decimal(1.05).times(x.x4));
  const score = z.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
  return { score, zone: score > 2.6 ? 'safe' : score >= 1.1 ? 'grey' : 'distress' };
}

function altmanInputs(s: FinancialStatement) {
  if (!s.totalAssets || !s.totalLiabilities || !has(s.retainedEarnings) || !has(s.operatingIncome)) return null;
  const ta = new Decimal(s.totalAssets);
  return {
    x1: new Decimal(s.currentAssets - s.currentLiabilities).div(ta),
    x2: new Decimal(s.retainedEarnings).div(ta),
    x3: new Decimal(s.operatingIncome).div(ta),
    x4: new Decimal(s.equity).div(s.totalLiabilities),
    x5: has(s.revenue) ? new Decimal(s.revenue).div(ta) : null,
  };
}

export type ConanHolderZone = 'safe' | 'watch' | 'warning' | 'danger';

/**
 * Conan & Holder (France, 1979): Z = 24 R1 + 22 R2 + 16 R3 − 87 R4 − 10 R5; failure probability
 * within ~3 years < 10 % (Z ≥ 16), 10–30 % (≥ 9), 30–65 % (≥ 4), > 65 % below.
 */
export function conanHolder(s: FinancialStatement): { score: number; zone: ConanHolderZone } | null {
  if (!has(s.ebitda) || !has(s.revenue) || !has(s.interestExpense) || !has(s.staffCosts) || !has(s.valueAdded) || !s.totalLiabilities || !s.totalAssets || !s.revenue || !s.valueAdded) return null;
  const r1 = new Decimal(s.ebitda).div(s.totalLiabilities);
  const r2 = new Decimal(s.equity + (s.longTermDebt ?? 0)).div(s.totalAssets);
  const r3 = new Decimal(s.currentAssets - (s.inventories ?? 0)).div(s.totalAssets);
  const r4 = new Decimal(s.interestExpense).div(s.revenue);
  const r5 = new Decimal(s.staffCosts).div(s.valueAdded);
  const z = r1.times(24).plus(r2.times(22)).plus(r3.times(16)).minus(r4.times(87)).minus(r5.times(10));
  const score = z.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
  return { score, zone: score >= 16 ? 'safe' : score >= 9 ? 'watch' : score >= 4 ? 'warning' : 'danger' };
}
