import { describe, expect, it } from 'vitest';
import { json, setupTestApp } from '../support/test-app';

const t = setupTestApp(); // today = 2026-03-31

const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: t.org.as.credit_manager });
const get = async (url: string) => json(await t.app.inject({ method: 'GET', url, headers: t.org.as.viewer }));

describe('risk scores from payment behaviour', () => {
  it('scores prompt payers high, late and overdue ones low, with reasons, and keeps history', async () => {
    await post('/api/v1/bulk/customers', {
      items: [
        { externalRef: 'GOOD', legalName: 'Bon Payeur SA', country: 'FR' },
        { externalRef: 'LATE', legalName: 'Retardataire SARL', country: 'FR' },
        { externalRef: 'NEW', legalName: 'Nouveau Client SAS', country: 'FR' },
      ],
    });
    const invoice = (number: string, customerRef: string, issueDate: string, dueDate: string) => ({ number, customerRef, issueDate, dueDate, currency: 'EUR', totalExclTax: '1000.00', totalInclTax: '1200.00' });
    await post('/api/v1/bulk/invoices', {
      items: [
        invoice('G1', 'GOOD', '2025-10-01', '2025-10-31'),
        invoice('G2', 'GOOD', '2025-11-01', '2025-12-01'),
        invoice('L1', 'LATE', '2025-09-01', '2025-10-01'),
        invoice('L2', 'LATE', '2025-11-01', '2025-12-01'),
        invoice('L3', 'LATE', '2025-11-15', '2025-12-15'),
      ],
    });
    const pay = (reference: string, receivedDate: string, invoiceNumber: string) => ({ reference, receivedDate, currency: 'EUR', amount: '1200.00', allocations: [{ invoiceNumber, amount: '1200.00' }] });
    await post('/api/v1/bulk/payments', {
      items: [pay('P1', '2025-10-30', 'G1'), pay('P2', '2025-11-28', 'G2'), pay('P3', '2025-12-10', 'L1'), pay('P4', '2026-02-20', 'L2')],
    });

    // GOOD and LATE were scored as their invoices, then their payments, came in; NEW gets its first score.
    expect(json(await post('/api/v1/scores/recompute', {}))).toEqual({ customers: 3, changed: 1, alerts: 0 });
    expect(json(await post('/api/v1/scores/recompute', {}))).toEqual({ customers: 3, changed: 0, alerts: 0 });

    const customers = (await get('/api/v1/customers?sort=-riskScore')).items;
    expect(customers.map((c: { externalRef: string; riskBand: string }) => [c.externalRef, c.riskBand])).toEqual([
      ['GOOD', 'A'],
      ['NEW', 'C'],
      ['LATE', 'E'], // 100 − 60 (days late, capped) − 20 (all late) − 15 (over 90 days overdue) = 5
    ]);
    const late = customers.find((c: { externalRef: string }) => c.externalRef === 'LATE');
    const history = (await get(`/api/v1/customers/${late.id}/scores`)).items;
    // Scored when its invoices arrived (nothing paid yet: L1 181, L2 120, L3 106 days overdue), then when its payments did.
    expect(history).toHaveLength(2);
    expect(history[1]).toMatchObject({ score: 25, band: 'D', reasons: ['nothing paid in 12 months; open invoices on average 135.7 days overdue', 'an invoice is 181 days overdue', 'legal status unknown: no register has answered yet'] });
    // L1 paid 70 days late, L2 81 days late → weighted 75.5; L3 open 106 days past due.
    // No register has answered about this company: the score says its legal status is unknown.
    expect(history[0].reasons).toEqual(['pays on average 75.5 days late', '100 % of invoices paid late', 'an invoice is 106 days overdue', 'legal status unknown: no register has answered yet']);
    expect(history[0]).toMatchObject({ score: 5, band: 'E', policyVersion: 'v4-behaviour-promises-unpaid-financial-legal-external', asOf: '2026-03-31' });
    // L2 (81 days late) alone was paid in the last 3 months; L1 (70) too within 6 and 12; nothing invoiced in 90 days.
    expect(history[0].behaviour).toEqual({ weightedDaysLate3m: 81, weightedDaysLate6m: 75.5, weightedDaysLate12m: 75.5, shareLate: 1, maxDaysOverdue: 106, weightedDaysOverdueOpen: 106, dso: null, disputedShare: 0, partialPayments: 0, brokenPromises: 0 });
    expect((await get('/api/v1/customers?band=D,E')).items.map((c: { externalRef: string }) => c.externalRef)).toEqual(['LATE']);
  });

  it('rescores a customer as soon as its invoices arrive, without waiting for the daily run', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'NOW', legalName: 'Tout De Suite SARL', country: 'FR' }] });
    await post('/api/v1/bulk/invoices', { items: [{ number: 'NOW-1', customerRef: 'NOW', issueDate: '2025-11-01', dueDate: '2025-12-01', currency: 'EUR', totalExclTax: '100.00', totalInclTax: '120.00' }] });
    const id = (await get('/api/v1/customers?search=Tout De Suite')).items[0].id;
    expect((await get(`/api/v1/customers/${id}/scores`)).items[0].reasons).toEqual(['nothing paid in 12 months; open invoices on average 120 days overdue', 'an invoice is 120 days overdue', 'legal status unknown: no register has answered yet']);
  });

  it('measures DSO, disputes and partial payments from the ledger', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'BEH', legalName: 'Comportement SAS', country: 'FR' }] });
    await post('/api/v1/bulk/invoices', {
      items: [
        { number: 'B1', customerRef: 'BEH', issueDate: '2026-02-01', dueDate: '2026-03-03', currency: 'EUR', totalExclTax: '1000.00', totalInclTax: '1200.00' },
        { number: 'B2', customerRef: 'BEH', issueDate: '2026-03-01', dueDate: '2026-03-31', currency: 'EUR', totalExclTax: '500.00', totalInclTax: '600.00', isDisputed: true },
      ],
    });
    await post('/api/v1/bulk/payments', { items: [{ reference: 'B1-P', receivedDate: '2026-03-10', currency: 'EUR', amount: '200.00', allocations: [{ invoiceNumber: 'B1', amount: '200.00' }] }] });
    const id = (await get('/api/v1/customers?search=Comportement')).items[0].id;
    // Open 1 000 + 600 against 1 800 invoiced in 90 days → 80 days; 600 of 1 600 in dispute; B1 partly paid, 28 days past due.
    expect((await get(`/api/v1/customers/${id}/scores`)).behaviour).toEqual({
      weightedDaysLate3m: null, weightedDaysLate6m: null, weightedDaysLate12m: null, shareLate: null, maxDaysOverdue: 28, weightedDaysOverdueOpen: 28, dso: 80, disputedShare: 0.375, partialPayments: 1, brokenPromises: 0,
    });
  });

  it('raises one alert when a band worsens, not again while it is open, and a person acknowledges it', async () => {
    const late = (await get('/api/v1/customers?search=Retardataire')).items[0];
    // Its payments came in late: band D to E, raised then.
    const open = async () => (await get('/api/v1/alerts?status=open')).items.filter((a: { kind: string }) => a.kind === 'band_drop');
    const [alert] = await open();
    expect(await open()).toEqual([expect.objectContaining({ kind: 'band_drop', severity: 'critical', title: 'Risk band dropped from D to E', customerName: 'Retardataire SARL' })]);
    // As of mid-November nothing was due or paid late yet: band A. Back to today, E again, but the alert is still open.
    expect(json(await post('/api/v1/scores/recompute', { asOf: '2025-11-15', customerIds: [late.id] }))).toMatchObject({ changed: 1 });
    expect((await get(`/api/v1/customers/${late.id}/scores`)).items[0].band).toBe('A');
    expect(json(await post('/api/v1/scores/recompute', { customerIds: [late.id] }))).toEqual({ customers: 1, changed: 1, alerts: 0 });
    const ack = await t.app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge`, headers: t.org.as.collector });
    expect(json(ack)).toMatchObject({ status: 'acknowledged' });
    expect(await open()).toEqual([]);
    // Once acknowledged, the next drop is news again.
    await post('/api/v1/scores/recompute', { asOf: '2025-11-15', customerIds: [late.id] });
    expect(json(await post('/api/v1/scores/recompute', { customerIds: [late.id] }))).toEqual({ customers: 1, changed: 1, alerts: 1 });
    expect(await open()).toEqual([expect.objectContaining({ title: 'Risk band dropped from A to E' })]);
  });

  it('is refused to roles that may not change the ledger', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/scores/recompute', payload: {}, headers: t.org.as.sales });
    expect(response.statusCode).toBe(403);
  });
});
