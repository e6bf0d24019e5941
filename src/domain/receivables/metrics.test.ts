import { describe, expect, it } from 'vitest';
import { agingBuckets, bucketizeAging, DEFAULT_AGING_BOUNDS } from './aging';
import { collectionEffectivenessIndex } from './cei';
import { convertMinor } from './currency';
import { averageDaysDelinquent, bestPossibleDso, countbackBestPossibleDso, countbackDso, simpleDso } from './dso';

describe('aged balance (domain-rules §2.5)', () => {
  it('buckets the worked example as of 30 June 2025', () => {
    // F1 due 15 Jul (−15), F2 20 Jun (10), F3 20 May (41), F4 25 Apr (66), F5 1 Mar (121); in euros.
    const histogram = [
      { daysPastDue: -15, amount: 500_000 },
      { daysPastDue: 10, amount: 300_000 },
      { daysPastDue: 41, amount: 200_000 },
      { daysPastDue: 66, amount: 150_000 },
      { daysPastDue: 121, amount: 100_000 },
    ];
    const aging = bucketizeAging({ histogram, bounds: DEFAULT_AGING_BOUNDS });
    expect(aging.buckets.map((b) => [b.key, b.amount])).toEqual([
      ['not_due', 500_000],
      ['d1_30', 300_000],
      ['d31_60', 200_000],
      ['d61_90', 150_000],
      ['over_90', 100_000],
    ]);
    expect(aging.total).toBe(1_250_000);
    expect(aging.overdue).toBe(750_000);
  });

  it('puts boundary days in the right bucket and supports other bounds', () => {
    const at = (days: number, bounds = DEFAULT_AGING_BOUNDS) =>
      bucketizeAging({ histogram: [{ daysPastDue: days, amount: 1 }], bounds }).buckets.find((b) => b.amount === 1)?.key;
    expect([0, 1, 30, 31, 60, 61, 90, 91].map((d) => at(d))).toEqual(['not_due', 'd1_30', 'd1_30', 'd31_60', 'd31_60', 'd61_90', 'd61_90', 'over_90']);
    expect(agingBuckets([30, 60, 90, 120]).map((b) => b.key)).toEqual(['not_due', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'over_120']);
    expect(at(121, [30, 60, 90, 120])).toBe('over_120');
  });
});

describe('DSO (domain-rules §2.1–2.3)', () => {
  it('countback: 67.2 days for the 31 December example', () => {
    const months = [
      { sales: 80_000, days: 31 },
      { sales: 60_000, days: 30 },
      { sales: 50_000, days: 31 },
    ];
    expect(countbackDso({ receivables: 150_000, months })).toEqual({ days: 67.2, isBeyondHorizon: false });
  });

  it('countback: 82.4 days for the Divalto example at 1 December', () => {
    const months = [
      { sales: 1_200, days: 30 },
      { sales: 800, days: 31 },
      { sales: 700, days: 30 },
    ];
    expect(countbackDso({ receivables: 2_500, months }).days).toBe(82.4);
  });

  it('countback: months without sales count whole, and beyond the horizon is flagged', () => {
    expect(countbackDso({ receivables: 100, months: [{ sales: 0, days: 31 }, { sales: 200, days: 30 }] }).days).toBe(46);
    expect(countbackDso({ receivables: 1_000, months: [{ sales: 100, days: 31 }] })).toEqual({ days: 31, isBeyondHorizon: true });
    expect(countbackDso({ receivables: 0, months: [{ sales: 100, days: 31 }] }).days).toBe(0);
  });

  it('simple, best possible and ADD: 45 / 12 / 33 and 72.6 / 46.0 / 26.6', () => {
    expect(simpleDso({ receivables: 15_000, sales: 10_000, days: 30 })).toBe(45);
    expect(bestPossibleDso({ currentReceivables: 4_000, sales: 10_000, days: 30 })).toBe(12);
    expect(averageDaysDelinquent({ dso: 45, bestPossibleDso: 12 })).toBe(33);
    expect(simpleDso({ receivables: 150_000, sales: 190_000, days: 92 })).toBe(72.6);
    expect(bestPossibleDso({ currentReceivables: 95_000, sales: 190_000, days: 92 })).toBe(46);
    expect(averageDaysDelinquent({ dso: 72.6, bestPossibleDso: 46 })).toBe(26.6);
    expect(averageDaysDelinquent({ dso: 10, bestPossibleDso: 12 })).toBe(0);
    expect(simpleDso({ receivables: 1, sales: 0, days: 30 })).toBeNull();
  });

  it('countback variant of the best possible DSO runs on current receivables', () => {
    const months = [
      { sales: 80_000, days: 31 },
      { sales: 60_000, days: 30 },
    ];
    expect(countbackBestPossibleDso({ currentReceivables: 95_000, months }).days).toBe(38.5);
  });
});

describe('CEI (domain-rules §2.4)', () => {
  const data = { beginReceivables: 6_200, sales: 10_890, endReceivables: 6_340, endCurrentReceivables: 3_590, months: 3 };
  it('period variant: 79.63 %', () => expect(collectionEffectivenessIndex({ ...data, variant: 'period' })).toBe(79.63));
  it('monthly-average (CRF/Oracle) variant: 55.93 %', () => expect(collectionEffectivenessIndex({ ...data, variant: 'average' })).toBe(55.93));
  it('is null when nothing was collectable', () =>
    expect(collectionEffectivenessIndex({ beginReceivables: 0, sales: 0, endReceivables: 0, endCurrentReceivables: 0, months: 1, variant: 'period' })).toBeNull());
});

describe('currency conversion', () => {
  it('converts exactly between currencies with different minor units, rounding half away from zero', () => {
    expect(convertMinor({ amount: 10_000, from: 'USD', to: 'EUR', rate: '0.9' })).toBe(9_000);
    expect(convertMinor({ amount: 1_000, from: 'JPY', to: 'EUR', rate: '0.0061' })).toBe(610); // ¥1 000 → €6.10
    expect(convertMinor({ amount: 1, from: 'USD', to: 'EUR', rate: '0.5' })).toBe(1);
    expect(convertMinor({ amount: -1, from: 'USD', to: 'EUR', rate: '0.5' })).toBe(-1);
    expect(convertMinor({ amount: 12_345, from: 'EUR', to: 'KWD', rate: '0.33' })).toBe(40_739); // €123.45 → 40.739 KWD (3 decimals)
  });
});
