import { describe, expect, it } from 'vitest';
import { checkOrder, type CreditLimit, effectiveLimit, exposureOf } from './limits';

const limit = (source: CreditLimit['source'], amount: number, validFrom = '2026-01-01', validUntil: string | null = null): CreditLimit => ({ source, amount, validFrom, validUntil, reason: null });
const eur = (minor: number) => (minor / 100).toFixed(2);

describe('effective limit', () => {
  it('takes the lower of insurer and provider, an internal decision over both, a temporary one while it lasts', () => {
    expect(effectiveLimit([limit('insurer', 5_000_000), limit('provider', 3_000_000)], '2026-03-01')).toMatchObject({ limit: { source: 'provider', amount: 3_000_000 } });
    expect(effectiveLimit([limit('insurer', 5_000_000), limit('internal', 8_000_000)], '2026-03-01')).toMatchObject({ limit: { source: 'internal' }, reason: 'internal decision overrides other sources' });
    const withTemporary = [limit('insurer', 5_000_000), limit('internal', 9_000_000, '2026-02-01', '2026-03-31')];
    expect(effectiveLimit(withTemporary, '2026-03-15')).toMatchObject({ limit: { amount: 9_000_000 }, reason: 'temporary internal limit until 2026-03-31' });
    expect(effectiveLimit(withTemporary, '2026-04-01')).toMatchObject({ limit: { amount: 5_000_000 } });
    expect(effectiveLimit([], '2026-04-01')).toEqual({ limit: null, reason: 'no limit in force' });
  });
});

describe('exposure', () => {
  it('adds orders to receivables, removes the insured part and reports the thresholds crossed', () => {
    expect(exposureOf({ openReceivables: 7_000_000, openOrders: 2_500_000, insured: 0, limit: 10_000_000 })).toEqual({ exposure: 9_500_000, usedPercent: 95, thresholdsCrossed: [50, 70, 90], available: 500_000 });
    expect(exposureOf({ openReceivables: 7_000_000, openOrders: 0, insured: 4_000_000, limit: 10_000_000 }).usedPercent).toBe(30);
    expect(exposureOf({ openReceivables: 1, openOrders: 0, limit: null })).toMatchObject({ usedPercent: null, thresholdsCrossed: [], available: null });
  });
});

describe('order check', () => {
  it('accepts under the limit, holds above it or when badly overdue, refuses without a required limit', () => {
    expect(checkOrder({ amount: 100_000, exposure: 500_000, limit: 1_000_000, oldestOverdueDays: 10, format: eur }).decision).toBe('accepted');
    expect(checkOrder({ amount: 600_000, exposure: 500_000, limit: 1_000_000, oldestOverdueDays: 0, format: eur })).toEqual({
      decision: 'on_hold',
      reasons: ['exposure 5000.00 + order 6000.00 exceeds the limit 10000.00'],
    });
    expect(checkOrder({ amount: 1, exposure: 0, limit: 1_000_000, oldestOverdueDays: 75, format: eur }).reasons).toEqual(['an invoice is 75 days overdue (tolerance 60)']);
    expect(checkOrder({ amount: 1, exposure: 0, limit: null, oldestOverdueDays: 0, requireLimit: true, format: eur }).decision).toBe('refused');
  });
});

describe('order check without any limit', () => {
  const none = { amount: 100_000, exposure: 500_000, limit: null, oldestOverdueDays: 0, format: eur };
  it('never says "within the limit", and follows the organisation policy', () => {
    expect(checkOrder(none)).toEqual({ decision: 'accepted', reasons: ['no credit limit for this customer: accepted (organisation setting) and no invoice badly overdue'] });
    expect(checkOrder({ ...none, noLimit: 'hold' })).toEqual({ decision: 'on_hold', reasons: ['no credit limit for this customer: held for review (organisation setting)'] });
    expect(checkOrder({ ...none, noLimit: 'refuse' }).decision).toBe('refused');
    expect(checkOrder({ ...none, requireLimit: true }).decision).toBe('refused');
    // A default limit by band: 5 000 + 1 000 ≤ 6 000 fits, 5 000 + 1 000 > 5 999.99 does not.
    expect(checkOrder({ ...none, noLimit: 'band', defaultLimit: { band: 'B', amount: 600_000 } }).decision).toBe('accepted');
    expect(checkOrder({ ...none, noLimit: 'band', defaultLimit: { band: 'B', amount: 599_999 } })).toEqual({
      decision: 'on_hold',
      reasons: ['no credit limit for this customer: exposure 5000.00 + order 1000.00 exceeds the default limit of band B 5999.99'],
    });
    expect(checkOrder({ ...none, noLimit: 'band', defaultLimit: { band: 'E', amount: null } }).decision).toBe('on_hold');
    // A group limit is a limit: the policy for customers without any does not apply.
    expect(checkOrder({ ...none, noLimit: 'hold', group: { exposure: 0, limit: 1_000_000, name: 'G' } })).toEqual({ decision: 'accepted', reasons: ['within the group limit and no invoice badly overdue'] });
  });
});
