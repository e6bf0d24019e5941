import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/infra/db/db';
import { createTestApp, createTestOrg, json, TEST_PASSWORD, type TestOrg } from '../support/test-app';
import { openTestDb } from '../support/test-db';

let db: Db;
let app: Awaited<ReturnType<typeof createTestApp>>;
let a: TestOrg;
let b: TestOrg;
const ids: Record<string, string> = {};

/**
 * Values only organisation A has, that must never appear in anything B receives. (B reuses A's
 * natural keys on purpose: they then name B's own records.)
 */
const SECRETS = ['Secret Industries', 'SECRET INDUSTRIES', 'contact-a@secret.test', 'A-ONLY', '1200.00', 'a-key', 'a-secret-file', 'A-SECRET-HEADER', 'MUSTER-KUNDE', 'a-statement', 'alerts-a@secret.test'];

beforeAll(async () => {
  db = await openTestDb();
  app = await createTestApp(db);
  a = await createTestOrg(db);
  b = await createTestOrg(db);
  const postA = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: a.as.admin });
  await postA('/api/v1/bulk/customers', { items: [{ externalRef: 'A-CUST-1', legalName: 'Secret Industries', country: 'FR', segment: 'A-ONLY' }] });
  await postA('/api/v1/bulk/invoices', {
    items: [{ number: 'A-INV-1', customerRef: 'A-CUST-1', issueDate: '2026-01-01', dueDate: '2026-01-31', currency: 'EUR', totalExclTax: '1000.00', totalInclTax: '1200.00' }],
  });
  await postA('/api/v1/bulk/payments', {
    items: [{ reference: 'A-PAY-1', customerRef: 'A-CUST-1', receivedDate: '2026-02-15', currency: 'EUR', amount: '200.00', allocations: [{ invoiceNumber: 'A-INV-1', amount: '200.00' }] }],
  });
  await postA('/api/v1/bulk/orders', { items: [{ number: 'A-ORD-1', customerRef: 'A-CUST-1', orderDate: '2026-03-01', currency: 'EUR', amountInclTax: '50.00' }] });
  ids.customer = json(await app.inject({ method: 'GET', url: '/api/v1/customers', headers: a.as.admin })).items[0].id;
  await postA(`/api/v1/customers/${ids.customer}/contacts`, { name: 'Contact A', email: 'contact-a@secret.test' });
  ids.apiKey = json(await postA('/api/v1/api-keys', { name: 'a-key', role: 'viewer' })).id;
  ids.user = json(await app.inject({ method: 'GET', url: '/api/v1/users', headers: a.as.admin })).items[0].id;
  await postA('/api/v1/scores/recompute', {});
  await postA(`/api/v1/customers/${ids.customer}/limits`, { source: 'internal', amount: '10.00' });
  ids.heldOrder = json(await postA('/api/v1/order-checks', { customerId: ids.customer, amount: '999.00', orderRef: 'A-HELD' })).id;
  ids.alert = json(await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: a.as.admin })).items[0]?.id;
  ids.channel = json(await postA('/api/v1/alert-channels', { kind: 'email', target: 'alerts-a@secret.test' })).id;
  await app.inject({ method: 'PUT', url: '/api/v1/settings', headers: a.as.admin, payload: { credit: { maxOverdueDays: 17 } } });
  ids.limitRequest = json(await postA(`/api/v1/customers/${ids.customer}/limit-requests`, { amount: '5000.00', reason: 'A-ONLY big order' })).id;
  await postA('/api/v1/bulk/ratings', { items: [{ customerRef: 'A-CUST-1', provider: 'creditsafe', value: '71', ratedOn: '2026-03-01', recommendedLimit: '1200.00' }] });
  await postA(`/api/v1/customers/${ids.customer}/financial-statements`, { fiscalYearEnd: '2025-12-31', currency: 'EUR', source: 'A-ONLY', figures: { totalAssets: '10000', currentAssets: '4000', currentLiabilities: '2500', totalLiabilities: '6500', equity: '3500' } });
  await app.inject({ method: 'PUT', url: '/api/v1/mapping-profiles/a-profile', headers: a.as.admin, payload: { entity: 'invoices', mapping: { number: 'A-SECRET-HEADER' } } });
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(process.cwd(), '../shared/data/einvoices/cii/zugferd-corpus/XML-Rechnung/CII/EN16931_Miete.cii.xml'))]), 'a-secret-file.xml');
  ids.import = json(await app.inject({ method: 'POST', url: '/api/v1/imports/einvoices', payload: form as never, headers: a.as.admin })).importId;
  // A bank credit that A's matching can only propose (a partial payment by name): a match to review.
  const statement = readFileSync(join(process.cwd(), '../shared/data/bank-statements/camt/bankstatementparser/camt053_multicurrency.xml'), 'utf8')
    .replace(/ACME GMBH/g, 'SECRET INDUSTRIES').replace('Invoice 2026-117', 'acompte');
  const stForm = new FormData();
  stForm.append('file', new Blob([statement]), 'a-statement.xml');
  await app.inject({ method: 'POST', url: '/api/v1/imports/statements', payload: stForm as never, headers: a.as.admin });
  ids.match = json(await app.inject({ method: 'GET', url: '/api/v1/payment-matches', headers: a.as.admin })).items[0]?.id;
  ids.promise = json(await postA(`/api/v1/customers/${ids.customer}/promises`, { amount: '300.00', promisedDate: '2026-04-15', invoiceNumbers: ['A-INV-1'], note: 'A-ONLY call' })).id;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

/** What B sends to each write route: A's natural keys and ids, which must not reach A's data. */
const WRITES: Record<string, () => object | undefined> = {
  'PUT /api/v1/customers': () => ({ externalRef: 'A-CUST-1', legalName: 'Hijacked', country: 'FR' }),
  'POST /api/v1/customers/{id}/contacts': () => ({ name: 'Intruder' }),
  'PUT /api/v1/invoices': () => ({ number: 'A-INV-1', customerRef: 'A-CUST-1', issueDate: '2026-01-01', dueDate: '2026-01-31', currency: 'EUR', totalExclTax: '1', totalInclTax: '1' }),
  'PUT /api/v1/payments': () => ({ reference: 'A-PAY-1', receivedDate: '2026-02-15', currency: 'EUR', amount: '999.00', allocations: [{ invoiceNumber: 'A-INV-1', amount: '999.00' }] }),
  'PUT /api/v1/orders': () => ({ number: 'A-ORD-1', customerRef: 'A-CUST-1', orderDate: '2026-03-01', currency: 'EUR', amountInclTax: '1' }),
  'POST /api/v1/bulk/customers': () => ({ items: [{ externalRef: 'A-CUST-1', legalName: 'Hijacked', country: 'FR' }] }),
  'POST /api/v1/bulk/invoices': () => ({ items: [{ number: 'A-INV-1', customerRef: 'A-CUST-1', issueDate: '2026-01-01', dueDate: '2026-01-31', currency: 'EUR', totalExclTax: '1', totalInclTax: '1' }] }),
  'POST /api/v1/bulk/payments': () => ({ items: [{ reference: 'A-PAY-1', receivedDate: '2026-02-15', currency: 'EUR', amount: '1.00', allocations: [{ invoiceNumber: 'A-INV-1', amount: '1.00' }] }] }),
  'POST /api/v1/bulk/orders': () => ({ items: [{ number: 'A-ORD-1', customerRef: 'A-CUST-1', orderDate: '2026-03-01', currency: 'EUR', amountInclTax: '1' }] }),
  'POST /api/v1/users': () => ({ email: `b-user-${Date.now()}@test.encours`, name: 'B user', role: 'viewer', password: TEST_PASSWORD }),
  'POST /api/v1/api-keys': () => ({ name: 'b-key', role: 'viewer' }),
  'DELETE /api/v1/api-keys/{id}': () => undefined,
  'PUT /api/v1/exchange-rates': () => ({ items: [{ currency: 'USD', date: '2026-01-01', rate: '0.9' }] }),
  'POST /api/v1/auth/login': () => ({ email: a.adminEmail, password: 'wrong password' }),
  'POST /api/v1/auth/logout': () => undefined,
  'PUT /api/v1/auth/password': () => ({ currentPassword: TEST_PASSWORD, newPassword: 'intruder passphrase' }),
  'POST /api/v1/users/{id}/disable': () => undefined,
  'POST /api/v1/users/{id}/enable': () => undefined,
  'PUT /api/v1/users/{id}/password': () => ({ password: 'intruder passphrase' }),
  'DELETE /api/v1/users/{id}/sessions': () => undefined,
  'POST /api/v1/imports/einvoices': () => ({ file: 'not multipart' }),
  'POST /api/v1/imports/statements': () => ({ file: 'not multipart' }),
  'POST /api/v1/imports/spreadsheets': () => ({ file: 'not multipart' }),
  'PUT /api/v1/mapping-profiles/{name}': () => ({ entity: 'invoices', mapping: { number: 'B' } }),
  'POST /api/v1/scores/recompute': () => ({ customerIds: [ids.customer] }),
  'POST /api/v1/customers/{id}/limits': () => ({ source: 'internal', amount: '1.00' }),
  'POST /api/v1/order-checks': () => ({ customerId: ids.customer, amount: '1.00' }),
  'POST /api/v1/order-checks/{id}/release': () => ({ reason: 'intrusion' }),
  'POST /api/v1/order-checks/{id}/cancel': () => ({ reason: 'intrusion' }),
  'POST /api/v1/order-checks/release-ready': () => undefined,
  'POST /api/v1/alerts/{id}/acknowledge': () => undefined,
  'POST /api/v1/alerts/{id}/assign': () => ({ userId: '00000000-0000-4000-8000-000000000000' }),
  'POST /api/v1/payment-matches/{id}/apply': () => undefined,
  'POST /api/v1/payment-matches/{id}/reject': () => undefined,
  'POST /api/v1/payment-matches/{id}/undo': () => undefined,
  'POST /api/v1/customers/{id}/company/refresh': () => undefined,
  'POST /api/v1/customers/{id}/block': () => ({ blocked: true, reason: 'intrusion' }),
  'POST /api/v1/customers/{id}/limit-requests': () => ({ amount: '1.00', reason: 'intrusion' }),
  'POST /api/v1/limit-requests/{id}/approve': () => ({ reason: 'intrusion' }),
  'POST /api/v1/limit-requests/{id}/reject': () => ({ reason: 'intrusion' }),
  'POST /api/v1/limits/apply-policy': () => ({ customerIds: [ids.customer] }),
  'PUT /api/v1/settings': () => ({ credit: { maxOverdueDays: 99 } }),
  'PATCH /api/v1/settings': () => ({ credit: { maxOverdueDays: 98 } }),
  'POST /api/v1/alert-channels': () => ({ kind: 'email', target: 'b@test.encours' }),
  'DELETE /api/v1/alert-channels/{id}': () => undefined,
  'POST /api/v1/bulk/ratings': () => ({ items: [{ customerRef: 'A-CUST-1', provider: 'creditsafe', value: '5', ratedOn: '2026-03-01' }] }),
  'POST /api/v1/bulk/financial-statements': () => ({ items: [{ customerRef: 'A-CUST-1', fiscalYearEnd: '2025-12-31', currency: 'EUR', figures: { totalAssets: '1', currentAssets: '1', currentLiabilities: '1', totalLiabilities: '1', equity: '1' } }] }),
  'POST /api/v1/customers/{id}/promises': () => ({ amount: '1.00', promisedDate: '2026-04-15', invoiceNumbers: ['A-INV-1'] }),
  'POST /api/v1/promises/{id}/cancel': () => ({ reason: 'intrusion' }),
  'POST /api/v1/customers/{id}/financial-statements': () => ({ fiscalYearEnd: '2025-12-31', currency: 'EUR', figures: { totalAssets: '1', currentAssets: '1', currentLiabilities: '1', totalLiabilities: '1', equity: '1' } }),
};

/** Routes with a path parameter that names no organisation's data (a public company register). */
const NOT_SCOPED = new Set(['GET /api/v1/companies/{siren}']);

const PARAMS: Record<string, () => string> = {
  '/api/v1/customers/{id}': () => ids.customer,
  '/api/v1/customers/{id}/contacts': () => ids.customer,
  '/api/v1/customers/{id}/scores': () => ids.customer,
  '/api/v1/customers/{id}/credit': () => ids.customer,
  '/api/v1/customers/{id}/limits': () => ids.customer,
  '/api/v1/order-checks/{id}/release': () => ids.heldOrder,
  '/api/v1/order-checks/{id}/cancel': () => ids.heldOrder,
  '/api/v1/alerts/{id}/acknowledge': () => ids.alert,
  '/api/v1/alerts/{id}/assign': () => ids.alert,
  '/api/v1/api-keys/{id}': () => ids.apiKey,
  '/api/v1/users/{id}/disable': () => ids.user,
  '/api/v1/users/{id}/enable': () => ids.user,
  '/api/v1/users/{id}/password': () => ids.user,
  '/api/v1/users/{id}/sessions': () => ids.user,
  '/api/v1/imports/{id}': () => ids.import,
  '/api/v1/imports/{id}/errors.csv': () => ids.import,
  '/api/v1/mapping-profiles/{name}': () => 'a-profile',
  '/api/v1/payment-matches/{id}/apply': () => ids.match,
  '/api/v1/payment-matches/{id}/reject': () => ids.match,
  '/api/v1/payment-matches/{id}/undo': () => ids.match,
  '/api/v1/customers/{id}/company': () => ids.customer,
  '/api/v1/customers/{id}/company/refresh': () => ids.customer,
  '/api/v1/customers/{id}/block': () => ids.customer,
  '/api/v1/customers/{id}/limit-requests': () => ids.customer,
  '/api/v1/customers/{id}/ratings': () => ids.customer,
  '/api/v1/customers/{id}/financial-statements': () => ids.customer,
  '/api/v1/limit-requests/{id}/approve': () => ids.limitRequest,
  '/api/v1/limit-requests/{id}/reject': () => ids.limitRequest,
  '/api/v1/companies/{siren}': () => '880878145',
  '/api/v1/alert-channels/{id}': () => ids.channel,
  '/api/v1/customers/{id}/promises': () => ids.customer,
  '/api/v1/promises/{id}/cancel': () => ids.promise,
};

async function snapshotOfA() {
  const urls = ['/api/v1/customers', `/api/v1/customers/${ids.customer}`, '/api/v1/invoices', '/api/v1/payments', '/api/v1/orders', '/api/v1/api-keys', '/api/v1/analytics/aging'];
  const risk = ['/api/v1/settings', '/api/v1/alert-channels', `/api/v1/customers/${ids.customer}/credit`, '/api/v1/limit-requests', `/api/v1/customers/${ids.customer}/ratings`, `/api/v1/customers/${ids.customer}/financial-statements`, `/api/v1/customers/${ids.customer}/promises`, '/api/v1/users'];
  const bodies = await Promise.all([...urls, '/api/v1/mapping-profiles', ...risk].map(async (url) => json(await app.inject({ method: 'GET', url, headers: a.as.admin }))));
  // last_used_at of the admin key changes with every call; it is not A's business data.
  const keys = bodies[5].items.map((k: { id: string; revokedAt: string | null }) => ({ id: k.id, revokedAt: k.revokedAt }));
  return JSON.stringify([...bodies.slice(0, 5), keys, ...bodies.slice(6)]);
}

describe('tenancy: a second organisation can neither read nor change the first', () => {
  it('holds on every route of the API', async () => {
    const before = await snapshotOfA();
    const doc = json(await app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThan(15);
    const checked: string[] = [];
    for (const { method, path } of routes) {
      if (!path.startsWith('/api/v1/')) continue;
      const key = `${method} ${path}`;
      const param = PARAMS[path] as (() => string) | undefined;
      if (path.includes('{') && !param) throw new Error(`tenancy test has no id for ${key}: add it to PARAMS`);
      const url = param ? path.replace(/\{[^}]+\}/, param()) : path;
      let payload: object | undefined;
      if (method !== 'GET') {
        if (!(key in WRITES)) throw new Error(`tenancy test has no payload for ${key}: add it to WRITES`);
        payload = WRITES[key]();
      }
      const response = await app.inject({ method: method as 'GET', url, headers: b.as.admin, ...(payload ? { payload } : {}) });
      for (const secret of SECRETS) expect(response.body, `${key} leaked ${secret}`).not.toContain(secret);
      expect(response.body, `${key} leaked an id of A`).not.toContain(ids.customer);
      expect(response.body, `${key} leaked an id of A`).not.toContain(ids.apiKey);
      expect(response.body, `${key} leaked an id of A`).not.toContain(ids.import);
      // B writing its own profile of the same name is allowed: it must not touch A's (checked by the snapshot).
      if (param && key !== 'PUT /api/v1/mapping-profiles/{name}' && !NOT_SCOPED.has(key)) expect(response.statusCode, key).toBe(404);
      checked.push(key);
    }
    expect(checked.length).toBeGreaterThan(15);
    expect(ids.match, 'organisation A has a match to protect').toBeTruthy();
    expect(ids.heldOrder, 'organisation A has a held order to protect').toBeTruthy();
    expect(ids.alert, 'organisation A has an alert to protect').toBeTruthy();
    expect(ids.limitRequest, 'organisation A has a limit request to protect').toBeTruthy();
    expect(ids.promise, 'organisation A has a promise to pay to protect').toBeTruthy();
    expect(await snapshotOfA()).toBe(before);
  });

  it('keeps natural keys per organisation: B may use the same invoice number as A', async () => {
    const invoiceFor = (customerRef: string, total: string) => ({
      items: [{ number: 'SHARED-1', customerRef, issueDate: '2026-01-01', dueDate: '2026-01-31', currency: 'EUR', totalExclTax: total, totalInclTax: total }],
    });
    await app.inject({ method: 'POST', url: '/api/v1/bulk/invoices', headers: a.as.admin, payload: invoiceFor('A-CUST-1', '77.00') });
    await app.inject({ method: 'POST', url: '/api/v1/bulk/customers', headers: b.as.admin, payload: { items: [{ externalRef: 'B-1', legalName: 'B Corp', country: 'FR' }] } });
    const same = await app.inject({ method: 'POST', url: '/api/v1/bulk/invoices', headers: b.as.admin, payload: invoiceFor('B-1', '6.00') });
    expect(json(same)).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const aInvoice = json(await app.inject({ method: 'GET', url: '/api/v1/invoices?search=SHARED-1', headers: a.as.admin })).items[0];
    expect(aInvoice.totalInclTax).toBe('77.00');
  });
});
