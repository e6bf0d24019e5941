import { describe, expect, it, vi } from 'vitest';
import { json, setupTestApp } from '../support/test-app';

const t = setupTestApp(); // today = 2026-03-31

const as = (role: 'credit_manager' | 'sales' | 'viewer') => t.org.as[role];
const post = (url: string, payload: object, role: 'credit_manager' | 'sales' | 'viewer' = 'credit_manager') => t.app.inject({ method: 'POST', url, payload, headers: as(role) });
const get = async (url: string) => json(await t.app.inject({ method: 'GET', url, headers: as('viewer') }));

describe('credit limits, exposure and order checks', () => {
  it('computes exposure against the limit in force and answers order checks with reasons', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'K1', legalName: 'Client Limité SA', country: 'FR' }] });
    await post('/api/v1/bulk/invoices', {
      items: [{ number: 'K-1', customerRef: 'K1', issueDate: '2026-03-01', dueDate: '2026-03-31', currency: 'EUR', totalExclTax: '6000.00', totalInclTax: '7200.00' }],
    });
    await post('/api/v1/bulk/orders', { items: [{ number: 'O-1', customerRef: 'K1', orderDate: '2026-03-20', currency: 'EUR', amountInclTax: '1800.00' }] });
    const customer = (await get('/api/v1/customers?search=Limité')).items[0];

    // Without a limit an order is accepted (the default policy), and the reason says there is no limit.
    expect(json(await post('/api/v1/order-checks', { customerRef: 'K1', amount: '500.00', orderRef: 'O-0' }, 'sales'))).toMatchObject({
      decision: 'accepted',
      reasons: ['no credit limit for this customer: accepted (organisation setting) and no invoice badly overdue'],
      limit: null,
    });
    expect((await get(`/api/v1/customers/${customer.id}/credit`)).reserved).toBe('500.00');
    // The ERP writes that order (here: not going ahead after all): the order counts, the check reserves no more.
    await post('/api/v1/bulk/orders', { items: [{ number: 'O-0', customerRef: 'K1', orderDate: '2026-03-30', currency: 'EUR', amountInclTax: '500.00', status: 'cancelled' }] });

    expect((await post(`/api/v1/customers/${customer.id}/limits`, { source: 'insurer', amount: '12000.00', validFrom: '2026-01-01', reason: 'Allianz Trade cover' })).statusCode).toBe(201);
    await post(`/api/v1/customers/${customer.id}/limits`, { source: 'provider', amount: '10000.00', validFrom: '2026-01-01', reason: 'Creditsafe recommendation' });
    const position = await get(`/api/v1/customers/${customer.id}/credit`);
    expect(position).toMatchObject({
      currency: 'EUR',
      limit: { source: 'provider', amount: '10000.00' },
      limitReason: 'lowest of insurer, provider limits (provider)',
      openReceivables: '7200.00',
      openOrders: '1800.00',
      reserved: '0.00',
      exposure: '9000.00',
      available: '1000.00',
      usedPercent: 90,
      thresholdsCrossed: [50, 70, 90],
    });
    expect(position.history).toHaveLength(2);

    expect(json(await post('/api/v1/order-checks', { customerRef: 'K1', amount: '900.00', orderRef: 'O-2' }, 'sales'))).toMatchObject({ decision: 'accepted' });
    const held = json(await post('/api/v1/order-checks', { customerId: customer.id, amount: '1500.00' }, 'sales'));
    // The accepted 900 is reserved until its order O-2 arrives.
    expect(held).toEqual(expect.objectContaining({ decision: 'on_hold', reasons: ['exposure 9900.00 EUR + order 1500.00 EUR exceeds the limit 10000.00 EUR'], exposure: '9900.00', limit: '10000.00' }));
    // 99 % used once the 900 is reserved: one alert, not one per check.
    const thresholdAlerts = (await get('/api/v1/alerts?status=open')).items.filter((a: { kind: string }) => a.kind === 'threshold');
    expect(thresholdAlerts).toEqual([expect.objectContaining({ severity: 'warning', title: 'Exposure at 99 % of the credit limit (threshold 90 %)' })]);

    // A temporary internal limit makes room until its end date.
    await post(`/api/v1/customers/${customer.id}/limits`, { source: 'internal', amount: '20000.00', validFrom: '2026-03-01', validUntil: '2026-04-30', reason: 'seasonal peak' });
    expect(json(await post('/api/v1/order-checks', { customerRef: 'K1', amount: '1500.00' }, 'sales')).decision).toBe('accepted');
  });

  it('keeps held orders in a queue, releases them when a payment makes room, or by hand with a reason', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'K2', legalName: 'Client En Attente SAS', country: 'FR' }] });
    await post('/api/v1/bulk/invoices', {
      items: [{ number: 'K2-1', customerRef: 'K2', issueDate: '2026-03-01', dueDate: '2026-03-31', currency: 'EUR', totalExclTax: '7500.00', totalInclTax: '9000.00' }],
    });
    const customer = (await get('/api/v1/customers?search=Attente')).items[0];
    await post(`/api/v1/customers/${customer.id}/limits`, { source: 'internal', amount: '10000.00', validFrom: '2026-01-01', reason: 'policy' });
    const big = json(await post('/api/v1/order-checks', { customerRef: 'K2', amount: '2500.00', orderRef: 'BIG' }, 'sales'));
    const small = json(await post('/api/v1/order-checks', { customerRef: 'K2', amount: '2000.00', orderRef: 'SMALL' }, 'sales'));
    expect([big.decision, small.decision]).toEqual(['on_hold', 'on_hold']);
    expect((await get('/api/v1/order-checks?holdStatus=held')).items.map((o: { orderRef: string }) => o.orderRef).sort()).toEqual(['BIG', 'SMALL']);

    // 2 700 paid on the invoice: exposure 9 000 → 6 300; BIG (2 500) fits, then SMALL (2 000) no longer does.
    await post('/api/v1/bulk/payments', { items: [{ reference: 'PAY-K2', customerRef: 'K2', receivedDate: '2026-03-30', currency: 'EUR', amount: '2700.00', allocations: [{ invoiceNumber: 'K2-1', amount: '2700.00' }] }] });
    // The payment also rescored the payer at once.
    expect((await get('/api/v1/customers?search=Attente')).items[0].riskBand).toMatch(/^[A-E]$/);
    const queue = (await get('/api/v1/order-checks')).items;
    const byRef = Object.fromEntries(queue.filter((o: { orderRef: string | null }) => o.orderRef).map((o: { orderRef: string }) => [o.orderRef, o]));
    expect(byRef.BIG).toMatchObject({ holdStatus: 'released', holdDecisionReason: 'room made: the order now fits the limit and nothing is badly overdue' });
    expect(byRef.SMALL.holdStatus).toBe('held');

    const cancel = await post(`/api/v1/order-checks/${small.id}/cancel`, { reason: 'customer withdrew the order' });
    expect(json(cancel)).toEqual({ id: small.id, holdStatus: 'cancelled' });
    expect((await post(`/api/v1/order-checks/${small.id}/release`, { reason: 'too late' })).statusCode).toBe(409);
    expect((await get('/api/v1/order-checks?holdStatus=held')).items).toEqual([]);
  });

  it('refuses bad input precisely and keeps roles', async () => {
    const customer = (await get('/api/v1/customers?search=Limité')).items[0];
    const bad = await post(`/api/v1/customers/${customer.id}/limits`, { source: 'internal', amount: '-5.00' });
    expect(json(bad).errors[0]).toMatchObject({ field: 'amount', reason: 'must not be negative' });
    const period = await post(`/api/v1/customers/${customer.id}/limits`, { source: 'internal', amount: '5.00', validFrom: '2026-05-01', validUntil: '2026-04-01' });
    expect(json(period).errors[0]).toMatchObject({ field: 'validUntil', reason: 'ends before it starts' });
    expect((await post(`/api/v1/customers/${customer.id}/limits`, { source: 'internal', amount: '5.00' }, 'sales')).statusCode).toBe(403);
    expect((await post('/api/v1/order-checks', { customerRef: 'NOPE', amount: '1.00' }, 'sales')).statusCode).toBe(404);
  });
  it('logs every one of many concurrent checks once, under its own id', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'CC1', legalName: 'Concurrent SAS', country: 'FR' }] });
    const customer = (await get('/api/v1/customers?search=Concurrent')).items[0];
    await post(`/api/v1/customers/${customer.id}/limits`, { source: 'internal', amount: '1000.00' });
    const checks = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post('/api/v1/order-checks', { customerRef: 'CC1', amount: i % 2 ? '2000.00' : '10.00', orderRef: `CC-${i}` }, 'sales').then(json)),
    );
    expect(new Set(checks.map((c) => c.id)).size).toBe(12);
    expect(checks.map((c) => c.decision)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 ? 'on_hold' : 'accepted')));
    const held = (await get('/api/v1/order-checks?holdStatus=held')).items.filter((o: { orderRef: string }) => o.orderRef.startsWith('CC-'));
    expect(held.map((o: { id: string }) => o.id).sort()).toEqual(checks.filter((c) => c.decision === 'on_hold').map((c) => c.id).sort());
  });

  it('answers concurrent checks of different customers, named by id or reference, as it answers them one by one', async () => {
    await post('/api/v1/bulk/customers', {
      items: [
        { externalRef: 'BA1', legalName: 'Lot Un SA', country: 'FR' },
        { externalRef: 'BA2', legalName: 'Lot Deux SA', country: 'FR' },
        { externalRef: 'BAP', legalName: 'Lot Mère SA', country: 'FR' },
        { externalRef: 'BAS', legalName: 'Lot Fille SA', country: 'FR', parentRef: 'BAP' },
      ],
    });
    const invoice = (number: string, customerRef: string, total: string) => ({ number, customerRef, issueDate: '2026-02-01', dueDate: '2026-03-01', currency: 'EUR', totalExclTax: total, totalInclTax: total });
    await post('/api/v1/bulk/invoices', { items: [invoice('BA1-1', 'BA1', '300.00'), invoice('BA2-1', 'BA2', '700.00'), invoice('BAS-1', 'BAS', '400.00'), invoice('BAP-1', 'BAP', '250.00')] });
    const idOf = async (search: string) => (await get(`/api/v1/customers?search=${encodeURIComponent(search)}`)).items[0].id;
    const [one, two, parent] = [await idOf('Lot Un'), await idOf('Lot Deux'), await idOf('Lot Mère')];
    for (const id of [one, two]) await post(`/api/v1/customers/${id}/limits`, { source: 'internal', amount: '1000.00' });
    await post(`/api/v1/customers/${parent}/limits`, { source: 'internal', scope: 'group', amount: '900.00' });
    const requests = (round: string) => [
      { customerRef: 'BA1', amount: '100.00', orderRef: `${round}-1` },
      { customerId: two, amount: '400.00', orderRef: `${round}-2` },
      { customerRef: 'BAS', amount: '50.00', orderRef: `${round}-3` },
      { customerRef: 'NOPE-BA', amount: '1.00' },
      { customerId: one, amount: '800.00', orderRef: `${round}-5` },
      { customerRef: 'BA2', amount: '200.00', orderRef: `${round}-6` },
    ];
    const answer = async (payload: object) => {
      const response = await post('/api/v1/order-checks', payload, 'sales');
      if (response.statusCode !== 200) return response.statusCode;
      const { decision, reasons, exposure, limit } = json(response);
      return { decision, reasons, exposure, limit };
    };
    const oneByOne: Awaited<ReturnType<typeof answer>>[] = [];
    for (const r of requests('A')) oneByOne.push(await answer(r));
    expect(oneByOne).toEqual([
      { decision: 'accepted', reasons: ['within the limit and no invoice badly overdue'], exposure: '300.00', limit: '1000.00' },
      { decision: 'on_hold', reasons: ['exposure 700.00 EUR + order 400.00 EUR exceeds the limit 1000.00 EUR'], exposure: '700.00', limit: '1000.00' },
      { decision: 'accepted', reasons: ['within the group limit and no invoice badly overdue'], exposure: '400.00', limit: null },
      404,
      // The 100 accepted first is reserved in BA1's exposure.
      { decision: 'on_hold', reasons: ['exposure 400.00 EUR + order 800.00 EUR exceeds the limit 1000.00 EUR'], exposure: '400.00', limit: '1000.00' },
      { decision: 'accepted', reasons: ['within the limit and no invoice badly overdue'], exposure: '700.00', limit: '1000.00' },
    ]);
    // The ERP writes the accepted orders as cancelled: their reservations end, the state is as before.
    const cancelled = (ref: string, customerRef: string, amount: string) => ({ number: ref, customerRef, orderDate: '2026-03-30', currency: 'EUR', amountInclTax: amount, status: 'cancelled' });
    await post('/api/v1/bulk/orders', { items: [cancelled('A-1', 'BA1', '100.00'), cancelled('A-3', 'BAS', '50.00'), cancelled('A-6', 'BA2', '200.00')] });
    // Together, the snapshots of the customers outside a group are read in one statement per way of naming them.
    const query = vi.spyOn(t.db, 'query');
    try {
      // Checks of one customer (BA1 twice, Lot Deux by id and by reference) are decided one after
      // the other in whichever order they reach its lock: the decisions are those of the
      // one-by-one run; the exposure a held check saw may include what the other one accepted first.
      const together = await Promise.all(requests('B').map(answer));
      const decisionOf = (a: Awaited<ReturnType<typeof answer>>) => (typeof a === 'number' ? a : a.decision);
      expect(together.map(decisionOf)).toEqual(oneByOne.map(decisionOf));
      expect(together.filter((a, k) => typeof a === 'object' && a.decision === 'accepted' && JSON.stringify(a) !== JSON.stringify(oneByOne[k]))).toEqual([]);
      expect(together[3]).toBe(404);
      const batches = query.mock.calls.filter(([sql]) => sql.includes('json_array_elements_text'));
      expect(batches.length).toBeLessThan(requests.length);
    } finally {
      query.mockRestore();
    }
  });

  it('raises threshold alerts when invoices or orders come in, not only on order checks', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'TH1', legalName: 'Seuil Un SARL', country: 'FR' }, { externalRef: 'TH2', legalName: 'Seuil Deux SARL', country: 'FR' }] });
    const [one, two] = [(await get('/api/v1/customers?search=Seuil Un')).items[0], (await get('/api/v1/customers?search=Seuil Deux')).items[0]];
    for (const c of [one, two]) await post(`/api/v1/customers/${c.id}/limits`, { source: 'internal', amount: '1000.00' });
    const invoice = { number: 'TH1-1', customerRef: 'TH1', issueDate: '2026-03-01', dueDate: '2026-04-30', currency: 'EUR', totalExclTax: '800.00', totalInclTax: '950.00' };
    await post('/api/v1/bulk/invoices', { items: [invoice] });
    await post('/api/v1/bulk/invoices', { items: [invoice] });
    const alertsOf = async (id: string) => (await get(`/api/v1/alerts?customerId=${id}`)).items.filter((a: { kind: string }) => a.kind === 'threshold').map((a: { title: string; severity: string }) => [a.title, a.severity]);
    expect(await alertsOf(one.id)).toEqual([['Exposure at 95 % of the credit limit (threshold 90 %)', 'warning']]);

    const form = new FormData();
    form.append('file', new Blob(['N° commande;Code client;Date commande;Montant TTC\nTH2-C1;TH2;20/03/2026;600,00\n']), 'commandes.csv');
    const imported = await t.app.inject({ method: 'POST', url: '/api/v1/imports/spreadsheets', payload: form as never, headers: as('credit_manager') });
    expect(imported.statusCode).toBe(200);
    expect(await alertsOf(two.id)).toEqual([['Exposure at 60 % of the credit limit (threshold 50 %)', 'info']]);
  });

  it('counts items in other currencies at the latest rate, alone and in a group', async () => {
    await t.app.inject({ method: 'PUT', url: '/api/v1/exchange-rates', headers: as('credit_manager'), payload: { items: [{ currency: 'USD', date: '2026-01-01', rate: '0.8' }, { currency: 'USD', date: '2026-03-01', rate: '0.9' }] } });
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'FX1', legalName: 'Devises Seules SA', country: 'FR' }, { externalRef: 'FXP', legalName: 'Devises Mère SA', country: 'FR' }, { externalRef: 'FXS', legalName: 'Devises Fille SA', country: 'FR', parentRef: 'FXP' }] });
    const invoice = (number: string, customerRef: string, currency: string, total: string) => ({ number, customerRef, issueDate: '2026-03-01', dueDate: '2026-04-30', currency, totalExclTax: total, totalInclTax: total });
    await post('/api/v1/bulk/invoices', { items: [invoice('FX1-1', 'FX1', 'USD', '1000.00'), invoice('FX1-2', 'FX1', 'EUR', '100.00'), invoice('FXS-1', 'FXS', 'USD', '2000.00'), invoice('FXP-1', 'FXP', 'EUR', '50.00')] });
    await post('/api/v1/bulk/payments', { items: [{ reference: 'FX1-P', customerRef: 'FX1', receivedDate: '2026-03-10', currency: 'USD', amount: '100.00', allocations: [] }] });
    const idOf = async (search: string) => (await get(`/api/v1/customers?search=${encodeURIComponent(search)}`)).items[0].id;
    // 1 000 USD at 0.9 + 100 EUR − 100 USD unapplied at 0.9.
    expect(await get(`/api/v1/customers/${await idOf('Devises Seules')}/credit`)).toMatchObject({ openReceivables: '910.00', exposure: '910.00', group: null });
    const daughter = await get(`/api/v1/customers/${await idOf('Devises Fille')}/credit`);
    expect(daughter).toMatchObject({ openReceivables: '1800.00', group: { name: 'Devises Mère SA', members: 2, exposure: '1850.00' } });
  });
});
