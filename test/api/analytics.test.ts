import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/infra/db/db';
import { createTestApp, createTestOrg, json, type TestOrg } from '../support/test-app';
import { openTestDb } from '../support/test-db';

let db: Db;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  db = await openTestDb();
  app = await createTestApp(db); // today = 2026-03-31
});
afterAll(async () => {
  await app.close();
  await db.close();
});

async function load(org: TestOrg, data: { customers?: object[]; invoices?: object[]; payments?: object[] }) {
  for (const entity of ['customers', 'invoices', 'payments'] as const) {
    const items = data[entity];
    if (!items) continue;
    const response = await app.inject({ method: 'POST', url: `/api/v1/bulk/${entity}`, payload: { items }, headers: org.as.admin });
    expect(response.statusCode, response.body).toBe(200);
  }
}
const get = async (org: TestOrg, url: string) => {
  const response = await app.inject({ method: 'GET', url, headers: org.as.viewer });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
};
const invoice = (number: string, total: string, issueDate: string, dueDate: string, customerRef = 'C1') => ({
  number, customerRef, issueDate, dueDate, currency: 'EUR', totalExclTax: total, totalInclTax: total,
});

describe('aged balance (domain-rules §2.5 worked example)', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg(db);
    await load(org, {
      customers: [{ externalRef: 'C1', legalName: 'Exemple SA', country: 'FR', segment: 'PME' }, { externalRef: 'C2', legalName: 'Autre SARL', country: 'FR', segment: 'ETI' }],
      invoices: [
        invoice('F1', '5000.00', '2025-06-15', '2025-07-15'),
        invoice('F2', '3000.00', '2025-05-21', '2025-06-20'),
        invoice('F3', '2000.00', '2025-04-20', '2025-05-20'),
        invoice('F4', '1500.00', '2025-03-26', '2025-04-25'),
        invoice('F5', '1000.00', '2025-01-30', '2025-03-01'),
        invoice('G1', '700.00', '2025-06-01', '2025-06-10', 'C2'),
      ],
      // Paid after the reporting date: still open as of 2025-06-30.
      payments: [{ reference: 'P-LATE', receivedDate: '2025-08-01', currency: 'EUR', amount: '1000.00', allocations: [{ invoiceNumber: 'F5', amount: '1000.00' }] }],
    });
  });

  it('buckets one customer as of 2025-06-30, replaying the ledger', async () => {
    const c1 = (await get(org, '/api/v1/customers?search=Exemple')).items[0];
    const aging = await get(org, `/api/v1/analytics/aging?asOf=2025-06-30&customerId=${c1.id}`);
    expect(aging.buckets.map((b: { key: string; amount: string }) => [b.key, b.amount])).toEqual([
      ['not_due', '5000.00'],
      ['d1_30', '3000.00'],
      ['d31_60', '2000.00'],
      ['d61_90', '1500.00'],
      ['over_90', '1000.00'],
    ]);
    expect(aging).toMatchObject({ total: '12500.00', overdue: '7500.00', currency: 'EUR' });
  });

  it('filters by segment and supports custom buckets', async () => {
    const eti = await get(org, '/api/v1/analytics/aging?asOf=2025-06-30&segment=ETI');
    expect(eti).toMatchObject({ total: '700.00', overdue: '700.00' });
    const custom = await get(org, '/api/v1/analytics/aging?asOf=2025-06-30&segment=PME&buckets=60,120');
    expect(custom.buckets.map((b: { amount: string }) => b.amount)).toEqual(['5000.00', '5000.00', '1500.00', '1000.00']);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/analytics/aging?buckets=60,30', headers: org.as.viewer });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('buckets');
  });

  it('uses maintained open amounts today: the paid invoice is gone', async () => {
    const today = await get(org, '/api/v1/analytics/aging?segment=PME');
    expect(today.asOf).toBe('2026-03-31');
    expect(today.total).toBe('11500.00');
    expect(today.buckets.find((b: { key: string }) => b.key === 'over_90').amount).toBe('11500.00');
  });
});

describe('DSO, best possible DSO, ADD and CEI (domain-rules §2.2–2.4 quarter example)', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg(db);
    await load(org, {
      customers: [{ externalRef: 'C1', legalName: 'Trimestre SA', country: 'FR' }],
      invoices: [
        invoice('OCT', '50000.00', '2025-10-15', '2025-11-14'),
        invoice('NOV-A', '45000.00', '2025-11-15', '2025-12-15'),
        invoice('NOV-B', '15000.00', '2025-11-20', '2026-01-05'),
        invoice('DEC', '80000.00', '2025-12-15', '2026-01-14'),
      ],
      payments: [{ reference: 'P-OCT', receivedDate: '2025-12-10', currency: 'EUR', amount: '40000.00', allocations: [{ invoiceNumber: 'OCT', amount: '40000.00' }] }],
    });
  });

  it('gives countback 67.2, simple 72.6, best possible 46.0, ADD 26.6 as of 31 December', async () => {
    const k = await get(org, '/api/v1/analytics/kpis?asOf=2025-12-31');
    expect(k.outstanding).toBe('150000.00');
    expect(k.overdue).toBe('55000.00');
    expect(k.dso).toMatchObject({ countback: 67.2, simple: 72.6, bestPossible: 46, averageDaysDelinquent: 26.6, countbackIsBeyondHorizon: false });
    // (0 + 190 000 − 150 000) / (0 + 190 000 − 95 000)
    expect(k.cei).toBe(42.11);
    expect(k.periodStart).toBe('2025-09-30');
  });

  it('plots month-end trends', async () => {
    const t = await get(org, '/api/v1/analytics/trends?asOf=2025-12-31&months=3');
    expect(t.points.map((p: { date: string; outstanding: string }) => [p.date, p.outstanding])).toEqual([
      ['2025-10-31', '50000.00'],
      ['2025-11-30', '110000.00'],
      ['2025-12-31', '150000.00'],
    ]);
    expect(t.points[2].dsoCountback).toBe(67.2);
  });
});

describe('days to pay and multi-currency reporting', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg(db);
    await load(org, {
      customers: [{ externalRef: 'C1', legalName: 'Payeur SA', country: 'FR' }],
      invoices: [
        // §2.6: 10 000 paid in 45 d, 2 500 in 30 d, 7 500 in 75 d → weighted 54.4, unweighted 50.
        invoice('P1', '10000.00', '2026-01-01', '2026-01-31'),
        invoice('P2', '2500.00', '2026-01-01', '2026-01-31'),
        invoice('P3', '7500.00', '2026-01-01', '2026-01-31'),
        { ...invoice('USD-1', '100.00', '2026-03-01', '2026-04-30'), currency: 'USD' },
        { ...invoice('GBP-1', '100.00', '2026-03-01', '2026-04-30'), currency: 'GBP' },
      ],
      payments: [
        { reference: 'R1', receivedDate: '2026-02-15', currency: 'EUR', amount: '10000.00', allocations: [{ invoiceNumber: 'P1', amount: '10000.00' }] },
        { reference: 'R2', receivedDate: '2026-01-31', currency: 'EUR', amount: '2500.00', allocations: [{ invoiceNumber: 'P2', amount: '2500.00' }] },
        { reference: 'R3', receivedDate: '2026-03-17', currency: 'EUR', amount: '7500.00', allocations: [{ invoiceNumber: 'P3', amount: '7500.00' }] },
      ],
    });
    const rates = await app.inject({ method: 'PUT', url: '/api/v1/exchange-rates', headers: org.as.credit_manager, payload: { items: [{ currency: 'USD', date: '2026-01-01', rate: '0.9' }] } });
    expect(rates.statusCode, rates.body).toBe(200);
  });

  it('computes unweighted and amount-weighted days to pay and days late', async () => {
    const k = await get(org, '/api/v1/analytics/kpis');
    expect(k.daysToPay).toEqual({ average: 50, weighted: 54.4, weightedLate: 24.4, paidInvoiceCount: 3 });
  });

  it('reports in the organisation currency with stored rates and names currencies without a rate', async () => {
    const aging = await get(org, '/api/v1/analytics/aging');
    expect(aging.total).toBe('90.00');
    expect(aging.unconvertedCurrencies).toEqual(['GBP']);
    const customer = (await get(org, '/api/v1/customers')).items[0];
    expect(customer.outstanding).toBe('90.00');
  });
});

describe('one definition of outstanding and overdue', () => {
  let org: TestOrg;
  let c1: { id: string };
  beforeAll(async () => {
    org = await createTestOrg(db);
    await load(org, {
      customers: [
        { externalRef: 'C1', legalName: 'Avoir SA', country: 'FR' },
        { externalRef: 'U1', legalName: 'Dollar Inc', country: 'US' },
        { externalRef: 'U2', legalName: 'Cent LLC', country: 'US' },
      ],
      invoices: [
        invoice('F-OLD', '1000.00', '2026-01-01', '2026-01-31'),
        invoice('F-NEW', '200.00', '2026-03-20', '2026-04-30'),
        { ...invoice('AV-1', '-300.00', '2026-02-15', '2026-02-15'), kind: 'credit_note' },
        // 0.05 USD at 0.9 = 4.5 cents each: per item 5 + 5, on the currency's sum 9.
        { ...invoice('U-1', '0.05', '2026-03-01', '2026-03-10', 'U1'), currency: 'USD' },
        { ...invoice('U-2', '0.05', '2026-03-01', '2026-04-10', 'U2'), currency: 'USD' },
      ],
      payments: [
        { reference: 'PART', customerRef: 'C1', receivedDate: '2026-03-01', currency: 'EUR', amount: '400.00', allocations: [{ invoiceNumber: 'F-OLD', amount: '400.00' }] },
        { reference: 'CASH', customerRef: 'C1', receivedDate: '2026-03-05', currency: 'EUR', amount: '100.00', allocations: [] },
      ],
    });
    const rates = await app.inject({ method: 'PUT', url: '/api/v1/exchange-rates', headers: org.as.credit_manager, payload: { items: [{ currency: 'USD', date: '2026-01-01', rate: '0.9' }] } });
    expect(rates.statusCode, rates.body).toBe(200);
    c1 = (await get(org, '/api/v1/customers?search=Avoir')).items[0];
  });

  it('reports the same overdue and outstanding on every endpoint, overdue never above outstanding', async () => {
    // F-OLD open 600 (overdue), F-NEW 200 (not due); credits 300 (credit note) + 100 (unapplied cash)
    // imputed to the oldest item first (C. civ. 1342-10): overdue 600 − 400 = 200, outstanding 400.
    const expected = { outstanding: '400.00', overdue: '200.00' };
    const list = (await get(org, '/api/v1/customers?search=Avoir')).items[0];
    expect(list).toMatchObject(expected);
    expect(await get(org, `/api/v1/customers/${c1.id}`)).toMatchObject(expected);
    expect(await get(org, `/api/v1/analytics/kpis?customerId=${c1.id}`)).toMatchObject(expected);
    const aging = await get(org, `/api/v1/analytics/aging?customerId=${c1.id}`);
    expect(aging).toMatchObject({ total: expected.outstanding, overdue: expected.overdue, credits: '0.00' });
    expect(aging.buckets.map((b: { key: string; amount: string }) => [b.key, b.amount])).toEqual([
      ['not_due', '200.00'], ['d1_30', '0.00'], ['d31_60', '200.00'], ['d61_90', '0.00'], ['over_90', '0.00'],
    ]);
    const top = (await get(org, '/api/v1/analytics/top-overdue')).items.find((i: { customerId: string }) => i.customerId === c1.id);
    expect(top).toMatchObject({ ...expected, oldestDaysPastDue: 59 });
    const overdueFilter = (await get(org, '/api/v1/customers?hasOverdue=true&sort=-overdue')).items[0];
    expect(overdueFilter).toMatchObject({ id: c1.id, ...expected });
    for (const figures of [list, top]) expect(Number(figures.overdue)).toBeLessThanOrEqual(Number(figures.outstanding));
  });

  it('keeps credits beyond the invoices as a credit, never as a negative overdue', async () => {
    await load(org, { invoices: [{ ...invoice('AV-2', '-1000.00', '2026-03-25', '2026-03-25'), kind: 'credit_note' }] });
    const list = (await get(org, '/api/v1/customers?search=Avoir')).items[0];
    expect(list).toMatchObject({ outstanding: '-600.00', overdue: '0.00' });
    const aging = await get(org, `/api/v1/analytics/aging?customerId=${c1.id}`);
    expect(aging).toMatchObject({ total: '-600.00', overdue: '0.00', credits: '-600.00' });
    expect(aging.buckets.every((b: { amount: string }) => b.amount === '0.00')).toBe(true);
    expect((await get(org, `/api/v1/analytics/kpis?customerId=${c1.id}`)).outstanding).toBe('-600.00');
    await load(org, { invoices: [{ ...invoice('AV-2', '-1000.00', '2026-03-25', '2026-03-25'), kind: 'credit_note', totalExclTax: '-1.00', totalInclTax: '-1.00' }] });
  });

  it('adds up: portfolio outstanding = aging buckets + credits = sum of the customers, to the cent', async () => {
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    const kpis = await get(org, '/api/v1/analytics/kpis');
    const aging = await get(org, '/api/v1/analytics/aging');
    const customers = (await get(org, '/api/v1/customers?limit=100')).items;
    const bucketSum = aging.buckets.reduce((s: number, b: { amount: string }) => s + cents(b.amount), 0) + cents(aging.credits);
    const customerSum = customers.reduce((s: number, c: { outstanding: string }) => s + cents(c.outstanding), 0);
    const customerOverdue = customers.reduce((s: number, c: { overdue: string }) => s + cents(c.overdue), 0);
    expect(cents(kpis.outstanding)).toBe(cents(aging.total));
    expect(bucketSum).toBe(cents(aging.total));
    expect(customerSum).toBe(cents(aging.total));
    expect(cents(kpis.overdue)).toBe(cents(aging.overdue));
    expect(customerOverdue).toBe(cents(aging.overdue));
    // Each USD item is converted once (4.5 → 5 cents), so the USD customers add 0.10, not 0.09.
    expect(customers.filter((c: { country: string }) => c.country === 'US').map((c: { outstanding: string }) => c.outstanding)).toEqual(['0.05', '0.05']);
    const trend = await get(org, '/api/v1/analytics/trends?months=2');
    expect(trend.points.at(-1)).toMatchObject({ date: '2026-03-31', outstanding: kpis.outstanding, overdue: kpis.overdue });
  });

  it('follows the reporting date in the top overdue customers', async () => {
    // As of 2026-02-20 F-OLD was open for 1000, less the credit note of 300: 700 overdue, 20 days.
    const past = await get(org, '/api/v1/analytics/top-overdue?asOf=2026-02-20');
    expect(past.asOf).toBe('2026-02-20');
    expect(past.items).toEqual([{ customerId: c1.id, legalName: 'Avoir SA', outstanding: '700.00', overdue: '700.00', oldestDaysPastDue: 20 }]);
    const kpis = await get(org, `/api/v1/analytics/kpis?asOf=2026-02-20&customerId=${c1.id}`);
    expect(kpis).toMatchObject({ outstanding: '700.00', overdue: '700.00' });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/analytics/top-overdue?asOf=2026-02-30', headers: org.as.viewer });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('asOf');
  });
});
