import { describe, expect, it } from 'vitest';
import { brokenInYear, type PromiseTerms, settlePromises } from './promises';

const promise = (id: string, amount: number, madeOn: string, promisedDate: string, extra: Partial<PromiseTerms> = {}): PromiseTerms => ({ id, amount, currency: 'EUR', madeOn, promisedDate, cancelled: false, ...extra });
const paid = (receivedDate: string, amount: number, currency = 'EUR') => ({ receivedDate, amount, currency });

describe('promises to pay', () => {
  it('is open until its date plus 3 days of grace, kept once paid in full by then, broken after', () => {
    const p = [promise('p', 50_000, '2026-03-01', '2026-03-10')];
    expect(settlePromises(p, [], '2026-03-13').get('p')).toEqual({ status: 'open', paid: 0, deadline: '2026-03-13' });
    expect(settlePromises(p, [], '2026-03-14').get('p')).toEqual({ status: 'broken', paid: 0, deadline: '2026-03-13' });
    // Paid in two transfers, the second on the last day of grace.
    expect(settlePromises(p, [paid('2026-03-05', 20_000), paid('2026-03-13', 30_000)], '2026-04-01').get('p')?.status).toBe('kept');
    // Paid in part only, or too late, or before the promise was made, or in another currency: broken.
    expect(settlePromises(p, [paid('2026-03-05', 49_999)], '2026-04-01').get('p')).toMatchObject({ status: 'broken', paid: 49_999 });
    expect(settlePromises(p, [paid('2026-03-14', 50_000)], '2026-04-01').get('p')?.status).toBe('broken');
    expect(settlePromises(p, [paid('2026-02-28', 50_000)], '2026-04-01').get('p')?.status).toBe('broken');
    expect(settlePromises(p, [paid('2026-03-05', 50_000, 'USD')], '2026-04-01').get('p')?.status).toBe('broken');
    // As of a day before the payment arrived, it was still open.
    expect(settlePromises(p, [paid('2026-03-12', 50_000)], '2026-03-11').get('p')?.status).toBe('open');
  });

  it('counts a payment once, towards the promise due first', () => {
    const promises = [promise('late', 30_000, '2026-03-01', '2026-03-20'), promise('early', 50_000, '2026-03-01', '2026-03-10')];
    const outcomes = settlePromises(promises, [paid('2026-03-08', 60_000)], '2026-04-01');
    expect(outcomes.get('early')).toMatchObject({ status: 'kept', paid: 50_000 });
    expect(outcomes.get('late')).toMatchObject({ status: 'broken', paid: 10_000 });
  });

  it('leaves cancelled promises out, and counts those broken in the last 12 months', () => {
    const promises = [
      promise('old', 10_000, '2025-01-01', '2025-01-10'),
      promise('recent', 10_000, '2026-01-01', '2026-01-10'),
      promise('withdrawn', 10_000, '2026-02-01', '2026-02-10', { cancelled: true }),
      promise('pending', 10_000, '2026-03-25', '2026-04-10'),
    ];
    const outcomes = settlePromises(promises, [], '2026-03-31');
    expect(outcomes.get('withdrawn')?.status).toBe('cancelled');
    expect(outcomes.get('pending')?.status).toBe('open');
    expect(brokenInYear(outcomes.values(), '2026-03-31')).toBe(1);
  });
});
