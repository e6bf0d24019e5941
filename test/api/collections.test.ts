import { describe, expect, it } from 'vitest';
import { json, setupTestApp } from '../support/test-app';

const t = setupTestApp(); // today = 2026-03-31

type Role = 'admin' | 'credit_manager' | 'collector' | 'sales' | 'viewer';
const post = (url: string, payload: object, role: Role = 'collector') => t.app.inject({ method: 'POST', url, payload, headers: t.org.as[role] });
const get = async (url: string, role: Role = 'viewer') => json(await t.app.inject({ method: 'GET', url, headers: t.org.as[role] }));

describe('promises to pay', () => {
  it('are kept or broken by the payments received, and a broken one lowers the score with its reason until cancelled', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'PR1', legalName: 'Promesse SARL', country: 'FR' }] }, 'credit_manager');
    await post('/api/v1/bulk/invoices', {
      items: [
        { number: 'PR1-1', customerRef: 'PR1', issueDate: '2026-01-15', dueDate: '2026-02-14', currency: 'EUR', totalExclTax: '1000.00', totalInclTax: '1200.00' },
        { number: 'PR1-2', customerRef: 'PR1', issueDate: '2026-02-15', dueDate: '2026-03-17', currency: 'EUR', totalExclTax: '500.00', totalInclTax: '600.00' },
      ],
    }, 'credit_manager');
    const id = (await get('/api/v1/customers?search=Promesse')).items[0].id;

    const broken = await post(`/api/v1/customers/${id}/promises`, { amount: '1200.00', madeOn: '2026-03-01', promisedDate: '2026-03-10', invoiceNumbers: ['PR1-1'], note: 'appel du 1er mars' });
    expect(broken.statusCode).toBe(201);
    expect(json(broken)).toMatchObject({ status: 'broken', amount: '1200.00', currency: 'EUR', paid: '0.00', deadline: '2026-03-13', invoiceNumbers: ['PR1-1'], note: 'appel du 1er mars' });
    const kept = json(await post(`/api/v1/customers/${id}/promises`, { amount: '600.00', madeOn: '2026-03-15', promisedDate: '2026-04-10', invoiceNumbers: ['PR1-2'] }));
    expect(kept).toMatchObject({ status: 'open', paid: '0.00' });
    await post('/api/v1/bulk/payments', { items: [{ reference: 'PR1-P1', customerRef: 'PR1', receivedDate: '2026-03-20', currency: 'EUR', amount: '600.00', allocations: [{ invoiceNumber: 'PR1-2', amount: '600.00' }] }] }, 'credit_manager');
    const list = (await get(`/api/v1/customers/${id}/promises`)).items;
    expect(list.map((p: { id: string; status: string; paid: string }) => [p.id, p.status, p.paid])).toEqual([
      [kept.id, 'kept', '600.00'],
      [json(broken).id, 'broken', '0.00'],
    ]);

    // The payment rescored the customer: the broken promise is in its behaviour and reasons.
    const scored = await get(`/api/v1/customers/${id}/scores`);
    expect(scored.behaviour.brokenPromises).toBe(1);
    expect(scored.items[0].reasons).toContain('1 promise to pay broken in 12 months');

    // Withdrawn by mistake: cancelled, it weighs no more.
    const cancelled = await post(`/api/v1/promises/${json(broken).id}/cancel`, { reason: 'saisie en double' }, 'credit_manager');
    expect(json(cancelled)).toMatchObject({ status: 'cancelled', cancelReason: 'saisie en double' });
    expect((await post(`/api/v1/promises/${json(broken).id}/cancel`, { reason: 'encore' })).statusCode).toBe(409);
    const rescored = await get(`/api/v1/customers/${id}/scores`);
    expect(rescored.behaviour.brokenPromises).toBe(0);
    expect(rescored.items[0].reasons).not.toContain('1 promise to pay broken in 12 months');
    // Behaviour is all this customer's score is made of: the broken promise cost it 10 points.
    expect(rescored.items[0].score - scored.items[0].score).toBe(10);
    const audit = (await get(`/api/v1/audit?entity=payment_promise&entityId=${json(broken).id}`, 'admin')).items;
    expect(audit.map((e: { action: string; before: { cancel_reason: string | null } | null; after: { cancel_reason: string | null } }) => [e.action, e.before?.cancel_reason ?? null, e.after.cancel_reason])).toEqual([
      ['update', null, 'saisie en double'],
      ['create', null, null],
    ]);
  });

  it('counts a payment towards a promise within the grace the organisation sets', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'PR3', legalName: 'Promesse Trois SARL', country: 'FR' }] }, 'credit_manager');
    const id = (await get('/api/v1/customers?search=Promesse Trois')).items[0].id;
    const promise = json(await post(`/api/v1/customers/${id}/promises`, { amount: '100.00', madeOn: '2026-03-01', promisedDate: '2026-03-10' }));
    // Paid 2 days after the promised date: kept with the 3 days of grace by default.
    await post('/api/v1/bulk/payments', { items: [{ reference: 'PR3-P1', customerRef: 'PR3', receivedDate: '2026-03-12', currency: 'EUR', amount: '100.00', allocations: [] }] }, 'credit_manager');
    const statusOf = async () => (await get(`/api/v1/customers/${id}/promises`)).items.map((p: { id: string; status: string; deadline: string }) => [p.id, p.status, p.deadline]);
    expect(await statusOf()).toEqual([[promise.id, 'kept', '2026-03-13']]);
    const setGrace = (days: number) => t.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: t.org.as.admin, payload: { collections: { promiseGraceDays: days } } });
    try {
      expect((await setGrace(1)).statusCode).toBe(200);
      expect(await statusOf()).toEqual([[promise.id, 'broken', '2026-03-11']]);
      expect((await get('/api/v1/settings')).defaults.collections).toEqual({ promiseGraceDays: 3 });
      expect((await setGrace(31)).statusCode).toBe(400);
    } finally {
      await t.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: t.org.as.admin, payload: {} });
    }
  });

  it('refuses bad promises precisely, and only collectors, credit managers and admins record them', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'PR2', legalName: 'Promesse Deux SARL', country: 'FR' }] }, 'credit_manager');
    const id = (await get('/api/v1/customers?search=Promesse Deux')).items[0].id;
    const refusal = async (payload: object) => {
      const response = await post(`/api/v1/customers/${id}/promises`, payload);
      expect(response.statusCode).toBe(400);
      return json(response).errors.map((e: { field: string; reason: string }) => [e.field, e.reason]);
    };
    expect(await refusal({ amount: '10.00', madeOn: '2026-03-20', promisedDate: '2026-03-19' })).toEqual([['promisedDate', 'before the day the promise was made']]);
    expect(await refusal({ amount: '10.00', madeOn: '2026-04-02', promisedDate: '2026-04-19' })).toEqual([['madeOn', 'a promise cannot be made in the future']]);
    expect(await refusal({ amount: '0.00', promisedDate: '2026-04-19' })).toEqual([['amount', 'must be more than zero']]);
    expect(await refusal({ amount: '10.00', currency: 'XYZ', promisedDate: '2026-04-19' })).toEqual([['currency', 'unknown ISO 4217 currency']]);
    expect(await refusal({ amount: '10.00', promisedDate: '2026-04-19', invoiceNumbers: ['PR1-1'] })).toEqual([['invoiceNumbers[0]', 'no invoice of this customer has this number']]);
    expect((await get(`/api/v1/customers/${id}/promises`)).items).toEqual([]);

    expect((await post(`/api/v1/customers/${id}/promises`, { amount: '10.00', promisedDate: '2026-04-19' }, 'sales')).statusCode).toBe(403);
    expect((await post(`/api/v1/customers/${id}/promises`, { amount: '10.00', promisedDate: '2026-04-19' }, 'viewer')).statusCode).toBe(403);
    expect((await post('/api/v1/customers/00000000-0000-4000-8000-000000000000/promises', { amount: '10.00', promisedDate: '2026-04-19' })).statusCode).toBe(404);
    const made = json(await post(`/api/v1/customers/${id}/promises`, { amount: '10.00', promisedDate: '2026-04-19' }));
    expect(made).toMatchObject({ madeOn: '2026-03-31', status: 'open', currency: 'EUR' });
  });
});
