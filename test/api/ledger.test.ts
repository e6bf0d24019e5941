import { describe, expect, it } from 'vitest';
import { createTestOrg, json, setupTestApp, type TestOrg } from '../support/test-app';

const t = setupTestApp();

const post = (url: string, payload: unknown, headers = t.org.as.credit_manager) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string, headers = t.org.as.viewer) => t.app.inject({ method: 'GET', url, headers });

const customers = [
  { externalRef: 'C001', legalName: 'Boulangerie Dupont SARL', siren: '732829320', country: 'FR', segment: 'PME', paymentTermsDays: 30 },
  { externalRef: 'C002', legalName: 'Transports Martin SAS', siren: '414740852', vatNumber: 'FR76414740852', country: 'FR', segment: 'ETI', parentRef: 'C003' },
  { externalRef: 'C003', legalName: 'Groupe Martin Holding', country: 'FR', segment: 'ETI', tags: ['groupe'] },
];

describe('bulk upsert of the ledger', () => {
  it('creates customers, resolves a parent given later in the same batch, and is idempotent', async () => {
    const first = await post('/api/v1/bulk/customers', { items: customers });
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    const again = await post('/api/v1/bulk/customers', { items: customers });
    expect(json(again)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    const changed = await post('/api/v1/bulk/customers', { items: [{ ...customers[0], legalName: 'Boulangerie Dupont & Fils' }] });
    expect(json(changed)).toEqual({ inserted: 0, updated: 1, unchanged: 0 });

    const list = json(await get('/api/v1/customers?search=martin&sort=legalName'));
    expect(list.items.map((c: { externalRef: string }) => c.externalRef)).toEqual(['C003', 'C002']);
    const detail = json(await get(`/api/v1/customers/${list.items[1].id}`));
    expect(detail.parent).toEqual({ id: list.items[0].id, legalName: 'Groupe Martin Holding' });
    expect(detail.vatNumber).toBe('FR76414740852');
  });

  it('audits an update with who, before and after', async () => {
    const list = json(await get('/api/v1/customers?search=Dupont'));
    const audit = json(await get(`/api/v1/audit?entity=customer&entityId=${list.items[0].id}`, t.org.as.admin));
    expect(audit.items[0]).toMatchObject({ action: 'update', actorType: 'api_key', before: { legal_name: 'Boulangerie Dupont SARL' }, after: { legal_name: 'Boulangerie Dupont & Fils' } });
  });

  it('refuses a batch with invalid records, naming record, field and reason, and writes nothing', async () => {
    const response = await post('/api/v1/bulk/customers', {
      items: [
        { externalRef: 'C010', legalName: 'Valide SA', siren: '552100554', country: 'FR' },
        { externalRef: 'C011', legalName: 'Mauvais SIREN', siren: '123456789', country: 'FR' },
        { externalRef: 'C012', legalName: 'Mauvaise TVA', vatNumber: 'FR00732829320', country: 'FR' },
        { externalRef: 'C013', legalName: 'Parent inconnu', country: 'FR', parentRef: 'NOPE' },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = json(response);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, ref: 'C011', field: 'siren', reason: 'the SIREN check digit (Luhn) is wrong' }),
        expect.objectContaining({ index: 2, ref: 'C012', field: 'vatNumber' }),
      ]),
    );
    expect(json(await get('/api/v1/customers?search=Valide')).items).toEqual([]);
  });

  it('refuses invoices with bad dates, currencies, amounts, duplicates and unknown customers', async () => {
    const base = { customerRef: 'C001', issueDate: '2026-01-10', dueDate: '2026-02-10', currency: 'EUR', totalExclTax: '100.00', totalInclTax: '120.00' };
    const response = await post('/api/v1/bulk/invoices', {
      items: [
        { ...base, number: 'F-OK' },
        { ...base, number: 'F-DATES', dueDate: '2026-01-01' },
        { ...base, number: 'F-CUR', currency: 'XYZ' },
        { ...base, number: 'F-BIG', totalInclTax: '999999999999999999999.00' },
        { ...base, number: 'F-DEC', totalInclTax: '12.345' },
        { ...base, number: 'F-OK' },
        { ...base, number: 'F-WHO', customerRef: 'UNKNOWN' },
        { ...base, number: 'F-DAY', issueDate: '2026-02-30' },
      ],
    });
    expect(response.statusCode).toBe(400);
    const errors = json(response).errors as { index: number; field: string; reason: string }[];
    const byIndex = (i: number) => errors.filter((e) => e.index === i).map((e) => `${e.field}: ${e.reason}`);
    expect(byIndex(1)).toEqual(['dueDate: due date 2026-01-01 is before the issue date 2026-01-10']);
    expect(byIndex(2)).toEqual(['currency: unknown ISO 4217 currency']);
    expect(byIndex(3)).toEqual(['totalInclTax: "999999999999999999999.00" is too large']);
    expect(byIndex(4)).toEqual(['totalInclTax: "12.345" has more than 2 decimals for EUR']);
    expect(byIndex(5)).toEqual(['key: duplicate of record 0 in the same batch']);
    expect(byIndex(7)).toEqual(['issueDate: must be a calendar date YYYY-MM-DD between 1900-01-01 and 2199-12-31']);
    expect(json(await get('/api/v1/invoices?search=F-OK')).items).toEqual([]);

    const unknownCustomer = await post('/api/v1/bulk/invoices', { items: [{ ...base, number: 'F-WHO', customerRef: 'UNKNOWN' }] });
    expect(json(unknownCustomer).errors).toEqual([{ index: 0, ref: 'F-WHO', field: 'customerRef', reason: 'unknown customer', value: 'UNKNOWN' }]);
  });

  it('tracks open amounts through partial payments, grouped payments, unapplied cash and credit notes', async () => {
    const inv = (number: string, total: string, due: string) => ({
      number, customerRef: 'C001', issueDate: '2026-01-05', dueDate: due, currency: 'EUR', totalExclTax: total, totalInclTax: total,
    });
    const invoices = await post('/api/v1/bulk/invoices', {
      items: [inv('FA-1', '1000.00', '2026-02-04'), inv('FA-2', '500.00', '2026-03-20'), inv('FA-3', '250.50', '2026-04-15'),
        { ...inv('AV-1', '100.00', '2026-01-05'), kind: 'credit_note' }],
    });
    expect(json(invoices)).toEqual({ inserted: 4, updated: 0, unchanged: 0 });
    const payments = [
      { reference: 'VIR-1', customerRef: 'C001', receivedDate: '2026-02-10', currency: 'EUR', amount: '600.00', allocations: [{ invoiceNumber: 'FA-1', amount: '600.00' }] },
      { reference: 'VIR-2', receivedDate: '2026-03-15', currency: 'EUR', amount: '1000.00', allocations: [{ invoiceNumber: 'FA-1', amount: '400.00' }, { invoiceNumber: 'FA-2', amount: '500.00' }] },
    ];
    expect(json(await post('/api/v1/bulk/payments', { items: payments }))).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect(json(await post('/api/v1/bulk/payments', { items: payments }))).toEqual({ inserted: 0, updated: 0, unchanged: 2 });

    const list = json(await get('/api/v1/invoices?sort=number&search=-'));
    const byNumber = Object.fromEntries(list.items.map((i: { number: string }) => [i.number, i]));
    expect(byNumber['FA-1']).toMatchObject({ openAmount: '0.00', status: 'paid', paidDate: '2026-03-15' });
    expect(byNumber['FA-2']).toMatchObject({ openAmount: '0.00', status: 'paid' });
    expect(byNumber['FA-3']).toMatchObject({ openAmount: '250.50', status: 'open', daysPastDue: 0 });
    expect(byNumber['AV-1']).toMatchObject({ kind: 'credit_note', totalInclTax: '-100.00', openAmount: '-100.00' });

    const paymentsList = json(await get('/api/v1/payments'));
    const vir2 = paymentsList.items.find((p: { reference: string }) => p.reference === 'VIR-2');
    expect(vir2).toMatchObject({ amount: '1000.00', unappliedAmount: '100.00', customerName: 'Boulangerie Dupont & Fils' });

    // Outstanding = 250.50 open − 100.00 credit note − 100.00 unapplied cash.
    const customer = json(await get('/api/v1/customers?search=Dupont')).items[0];
    expect(customer).toMatchObject({ outstanding: '50.50', overdue: '0.00', openInvoiceCount: 1 });

    // Re-allocating a payment replaces its allocations and reopens what it no longer pays.
    const moved = await post('/api/v1/bulk/payments', { items: [{ ...payments[1], allocations: [{ invoiceNumber: 'FA-1', amount: '400.00' }] }] }, t.org.as.collector);
    expect(json(moved)).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const fa2 = json(await get('/api/v1/invoices?search=FA-2')).items[0];
    expect(fa2).toMatchObject({ openAmount: '500.00', status: 'open', paidDate: null, daysPastDue: 11 });
  });

  it('refuses over-allocation and lowering an invoice below what was paid, writing nothing', async () => {
    const over = await post('/api/v1/bulk/payments', {
      items: [{ reference: 'VIR-OVER', receivedDate: '2026-03-20', currency: 'EUR', amount: '9000.00', allocations: [{ invoiceNumber: 'FA-3', amount: '300.00' }] }],
    });
    expect(over.statusCode).toBe(400);
    expect(json(over).errors[0]).toMatchObject({ field: 'allocations', reason: 'invoice FA-3 would be paid more than its total' });
    expect(json(await get('/api/v1/payments')).items.map((p: { reference: string }) => p.reference)).not.toContain('VIR-OVER');

    const lower = await post('/api/v1/bulk/invoices', {
      items: [{ number: 'FA-1', customerRef: 'C001', issueDate: '2026-01-05', dueDate: '2026-02-04', currency: 'EUR', totalExclTax: '10.00', totalInclTax: '10.00' }],
    });
    expect(lower.statusCode).toBe(400);
    expect(json(lower).errors[0]).toMatchObject({ ref: 'FA-1', field: 'totalInclTax' });
    expect(json(await get('/api/v1/invoices?search=FA-1')).items[0].totalInclTax).toBe('1000.00');
  });

  it('updates a partly paid invoice keeping what was paid, and audits it with before and after', async () => {
    const fa3 = { number: 'FA-3', customerRef: 'C001', issueDate: '2026-01-05', dueDate: '2026-04-15', currency: 'EUR', totalExclTax: '250.50', totalInclTax: '250.50' };
    expect(json(await post('/api/v1/bulk/payments', { items: [{ reference: 'VIR-3', receivedDate: '2026-03-01', currency: 'EUR', amount: '50.50', allocations: [{ invoiceNumber: 'FA-3', amount: '50.50' }] }] }))).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const raised = await post('/api/v1/bulk/invoices', { items: [{ ...fa3, totalExclTax: '300.00', totalInclTax: '300.00' }, { ...fa3, number: 'FA-4' }] });
    expect(json(raised)).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
    const stored = json(await get('/api/v1/invoices?search=FA-3')).items[0];
    expect(stored).toMatchObject({ totalInclTax: '300.00', openAmount: '249.50', status: 'open' });
    // Invoice ids are time-ordered UUIDs (version 7, RFC 9562 variant).
    expect(stored.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const audit = json(await get(`/api/v1/audit?entity=invoice&entityId=${stored.id}`, t.org.as.admin));
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: 'update', before: { total_incl_tax: 25050, open_amount: 20000 }, after: { total_incl_tax: 30000, open_amount: 24950 } });
    expect(audit.items[0].after).not.toHaveProperty('inserted');
    expect(json(await post('/api/v1/bulk/invoices', { items: [{ ...fa3, totalExclTax: '300.00', totalInclTax: '300.00' }] }))).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  });

  it('stores orders not yet invoiced', async () => {
    const response = await post('/api/v1/bulk/orders', { items: [{ number: 'CMD-1', customerRef: 'C002', orderDate: '2026-03-25', currency: 'EUR', amountInclTax: '4800.00' }] }, t.org.as.credit_manager);
    expect(json(response)).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(json(await get('/api/v1/orders?status=open')).items[0]).toMatchObject({ number: 'CMD-1', amountInclTax: '4800.00', customerName: 'Transports Martin SAS' });
  });

  it('pages through lists with stable cursors in every sort order', async () => {
    const many = Array.from({ length: 23 }, (_, k) => ({ externalRef: `P${String(k).padStart(3, '0')}`, legalName: `Page ${k % 5} SAS`, country: 'FR' }));
    await post('/api/v1/bulk/customers', { items: many });
    for (const sort of ['legalName', '-legalName', 'outstanding', '-overdue']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { externalRef: string }[]; nextCursor: string | null } = json(await get(`/api/v1/customers?search=Page&limit=5&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`));
        seen.push(...page.items.map((c: { externalRef: string }) => c.externalRef));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
    }
    const bad = await get('/api/v1/customers?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
  });

  it('validates request shapes with field-level problems', async () => {
    const response = await post('/api/v1/bulk/invoices', { items: [{ number: 'X' }] });
    expect(response.statusCode).toBe(400);
    const problem = json(response);
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['customerRef', 'issueDate', 'currency']));
    expect(problem.errors[0].index).toBe(0);
  });
});

describe('implausible business data', () => {
  const t2 = setupTestApp();
  it('refuses a total including tax below the total excluding tax, dates outside 1900–2199, and thousands of segment thresholds', async () => {
    const post = (url: string, payload: object) => t2.app.inject({ method: 'POST', url, payload, headers: t2.org.as.admin });
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'IMP-1', legalName: 'Implausible SA', country: 'FR' }] });
    const base = { customerRef: 'IMP-1', issueDate: '2026-01-10', dueDate: '2026-02-10', currency: 'EUR', totalExclTax: '120.00', totalInclTax: '100.00' };
    const response = await post('/api/v1/bulk/invoices', { items: [
      { ...base, number: 'IMP-SWAPPED' },
      { ...base, number: 'IMP-Y1', issueDate: '0001-01-10', totalExclTax: '100.00' },
      { ...base, number: 'IMP-Y9999', dueDate: '9999-12-31', totalExclTax: '100.00' },
      { ...base, number: 'IMP-CN', kind: 'credit_note', totalExclTax: '-120.00', totalInclTax: '-100.00' },
      { ...base, number: 'IMP-OK', totalExclTax: '100.00', totalInclTax: '100.00' },
    ] });
    expect(response.statusCode).toBe(400);
    expect(json(response).errors.map((e: { index: number; field: string; reason: string }) => `${e.index} ${e.field}: ${e.reason}`)).toEqual([
      '0 totalInclTax: the total including tax is lower than the total excluding tax',
      '1 issueDate: must be a calendar date YYYY-MM-DD between 1900-01-01 and 2199-12-31',
      '2 dueDate: must be a calendar date YYYY-MM-DD between 1900-01-01 and 2199-12-31',
      '3 totalInclTax: the total including tax is lower than the total excluding tax',
    ]);
    const segments = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`S${i}`, [50]]));
    const settings = await t2.app.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { credit: { segmentThresholds: segments } }, headers: t2.org.as.admin });
    expect(settings.statusCode).toBe(400);
    expect(json(settings).errors[0].reason).toContain('at most 500 segments');
  });
});
