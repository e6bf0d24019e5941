import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/infra/db/db';
import { createTestApp, createTestOrg, json, TEST_PASSWORD, type TestOrg } from '../support/test-app';
import { openTestDb } from '../support/test-db';

/**
 * A state change and its audit row are one transaction: with the audit insert failing, every
 * write route answers an error and leaves the organisation's data exactly as it was.
 */
let db: Db;
let app: Awaited<ReturnType<typeof createTestApp>>;
let org: TestOrg;
const ids: Record<string, string> = {};
const trigger = `fail_audit_${Date.now()}_${process.pid}`;

beforeAll(async () => {
  db = await openTestDb();
  app = await createTestApp(db);
  org = await createTestOrg(db);
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: org.as.admin });
  await post('/api/v1/bulk/customers', { items: [{ externalRef: 'AUD-1', legalName: 'Audit SA', country: 'FR' }] });
  await post('/api/v1/bulk/invoices', { items: [{ number: 'AUD-INV-1', customerRef: 'AUD-1', issueDate: '2026-01-01', dueDate: '2026-01-31', currency: 'EUR', totalExclTax: '1000.00', totalInclTax: '1200.00' }] });
  ids.customer = json(await app.inject({ method: 'GET', url: '/api/v1/customers', headers: org.as.admin })).items[0].id;
  ids.apiKey = json(await post('/api/v1/api-keys', { name: 'spare', role: 'viewer' })).id;
  await post(`/api/v1/customers/${ids.customer}/limits`, { source: 'internal', amount: '10.00' });
  ids.heldOrder = json(await post('/api/v1/order-checks', { customerId: ids.customer, amount: '999.00', orderRef: 'AUD-HELD' })).id;
  ids.alert = json(await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: org.as.admin })).items[0]?.id;
  ids.channel = json(await post('/api/v1/alert-channels', { kind: 'email', target: 'alerts@test.encours' })).id;
  ids.limitRequest = json(await app.inject({ method: 'POST', url: `/api/v1/customers/${ids.customer}/limit-requests`, payload: { amount: '5000.00', reason: 'big order' }, headers: org.as.sales })).id;
  ids.promise = json(await post(`/api/v1/customers/${ids.customer}/promises`, { amount: '300.00', promisedDate: '2026-04-15', invoiceNumbers: ['AUD-INV-1'] })).id;
  const statement = readFileSync(join(process.cwd(), '../shared/data/bank-statements/camt/bankstatementparser/camt053_multicurrency.xml'), 'utf8')
    .replace(/ACME GMBH/g, 'AUDIT SA').replace('Invoice 2026-117', 'acompte');
  const form = new FormData();
  form.append('file', new Blob([statement]), 'statement.xml');
  await app.inject({ method: 'POST', url: '/api/v1/imports/statements', payload: form as never, headers: org.as.admin });
  ids.match = json(await app.inject({ method: 'GET', url: '/api/v1/payment-matches', headers: org.as.admin })).items[0]?.id;
  ids.user = json(await app.inject({ method: 'GET', url: '/api/v1/users', headers: org.as.admin })).items?.[0]?.id;
  for (const [name, id] of Object.entries(ids)) expect(id, name).toBeTruthy();

  await db.exec(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.organisation_id = '${org.id}' THEN RAISE EXCEPTION 'audit log unavailable'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION ${trigger}();`);
});
afterAll(async () => {
  await db?.exec(`DROP TRIGGER IF EXISTS ${trigger} ON audit_log; DROP FUNCTION IF EXISTS ${trigger}();`);
  await app?.close();
  await db?.close();
});

/** Every row of the organisation, in every table that holds one. */
async function snapshot(): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'organisation_id' ORDER BY table_name",
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const [row] = await db.query<{ digest: string | null; n: number }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*)::int AS n FROM ${table_name} t WHERE organisation_id = $1`, [org.id]);
    parts.push(`${table_name}:${row.n}:${row.digest}`);
  }
  const [organisation] = await db.query<{ row: string }>('SELECT o::text AS row FROM organisations o WHERE id = $1', [org.id]);
  return [...parts, organisation.row].join('\n');
}

const WRITES: [string, () => object | undefined][] = [
  ['PUT /api/v1/customers', () => ({ externalRef: 'AUD-2', legalName: 'New SA', country: 'FR' })],
  ['POST /api/v1/customers/{customer}/contacts', () => ({ name: 'New contact' })],
  ['PUT /api/v1/invoices', () => ({ number: 'AUD-INV-2', customerRef: 'AUD-1', issueDate: '2026-01-01', dueDate: '2026-01-31', currency: 'EUR', totalExclTax: '1', totalInclTax: '1' })],
  ['PUT /api/v1/payments', () => ({ reference: 'AUD-PAY-1', customerRef: 'AUD-1', receivedDate: '2026-02-15', currency: 'EUR', amount: '10.00', allocations: [{ invoiceNumber: 'AUD-INV-1', amount: '10.00' }] })],
  ['PUT /api/v1/orders', () => ({ number: 'AUD-ORD-1', customerRef: 'AUD-1', orderDate: '2026-03-01', currency: 'EUR', amountInclTax: '1' })],
  ['POST /api/v1/bulk/customers', () => ({ items: [{ externalRef: 'AUD-3', legalName: 'Other SA', country: 'FR' }] })],
  ['POST /api/v1/bulk/invoices', () => ({ items: [{ number: 'AUD-INV-3', customerRef: 'AUD-1', issueDate: '2026-01-01', dueDate: '2026-01-31', currency: 'EUR', totalExclTax: '1', totalInclTax: '1' }] })],
  ['POST /api/v1/bulk/payments', () => ({ items: [{ reference: 'AUD-PAY-2', customerRef: 'AUD-1', receivedDate: '2026-02-15', currency: 'EUR', amount: '1.00', allocations: [{ invoiceNumber: 'AUD-INV-1', amount: '1.00' }] }] })],
  ['POST /api/v1/bulk/orders', () => ({ items: [{ number: 'AUD-ORD-2', customerRef: 'AUD-1', orderDate: '2026-03-01', currency: 'EUR', amountInclTax: '1' }] })],
  ['POST /api/v1/users', () => ({ email: `new-user-${Date.now()}@test.encours`, name: 'New user', role: 'viewer', password: TEST_PASSWORD })],
  ['POST /api/v1/api-keys', () => ({ name: 'another', role: 'viewer' })],
  ['DELETE /api/v1/api-keys/{apiKey}', () => undefined],
  ['PUT /api/v1/exchange-rates', () => ({ items: [{ currency: 'USD', date: '2026-01-01', rate: '0.9' }] })],
  ['PUT /api/v1/mapping-profiles/profile', () => ({ entity: 'invoices', mapping: { number: 'N°' } })],
  ['POST /api/v1/customers/{customer}/limits', () => ({ source: 'internal', amount: '1.00' })],
  ['POST /api/v1/order-checks/{heldOrder}/release', () => ({ reason: 'paid in advance' })],
  ['POST /api/v1/order-checks/{heldOrder}/cancel', () => ({ reason: 'order withdrawn' })],
  ['POST /api/v1/alerts/{alert}/acknowledge', () => undefined],
  ['POST /api/v1/alerts/{alert}/assign', () => ({ userId: ids.user })],
  ['POST /api/v1/payment-matches/{match}/apply', () => undefined],
  ['POST /api/v1/payment-matches/{match}/reject', () => undefined],
  ['POST /api/v1/customers/{customer}/block', () => ({ blocked: true, reason: 'NUL-free reason' })],
  ['POST /api/v1/customers/{customer}/limit-requests', () => ({ amount: '1.00', reason: 'small order' })],
  ['POST /api/v1/limit-requests/{limitRequest}/approve', () => ({ reason: 'fine' })],
  ['POST /api/v1/limit-requests/{limitRequest}/reject', () => ({ reason: 'not this time' })],
  ['POST /api/v1/limits/apply-policy', () => ({ customerIds: [ids.customer] })],
  ['PATCH /api/v1/settings', () => ({ credit: { maxOverdueDays: 99 } })],
  ['POST /api/v1/alert-channels', () => ({ kind: 'email', target: 'other@test.encours' })],
  ['DELETE /api/v1/alert-channels/{channel}', () => undefined],
  ['POST /api/v1/bulk/ratings', () => ({ items: [{ customerRef: 'AUD-1', provider: 'creditsafe', value: '5', ratedOn: '2026-03-01' }] })],
  ['POST /api/v1/bulk/financial-statements', () => ({ items: [{ customerRef: 'AUD-1', fiscalYearEnd: '2025-12-31', currency: 'EUR', figures: { totalAssets: '1', currentAssets: '1', currentLiabilities: '1', totalLiabilities: '1', equity: '1' } }] })],
  ['POST /api/v1/customers/{customer}/financial-statements', () => ({ fiscalYearEnd: '2024-12-31', currency: 'EUR', figures: { totalAssets: '1', currentAssets: '1', currentLiabilities: '1', totalLiabilities: '1', equity: '1' } })],
  ['POST /api/v1/customers/{customer}/promises', () => ({ amount: '1.00', promisedDate: '2026-04-15' })],
  ['POST /api/v1/promises/{promise}/cancel', () => ({ reason: 'customer changed its mind' })],
];

describe('state changes and their audit rows', () => {
  it('are written together or not at all, on every write route', async () => {
    const changed: string[] = [];
    let refused = 0;
    for (const [route, body] of WRITES) {
      const [method, template] = route.split(' ');
      const url = template.replace(/\{(\w+)\}/g, (_, name) => ids[name]);
      const before = await snapshot();
      const payload = body();
      const response = await app.inject({ method: method as 'POST', url, headers: { ...org.as.admin }, ...(payload ? { payload } : {}) });
      const after = await snapshot();
      if (after !== before) changed.push(`${route} → ${response.statusCode} ${response.body.slice(0, 120)}`);
      if (response.statusCode >= 500) refused++;
      // A route may find nothing to change (the policy leaves the limit as it is): no audit is owed.
      else expect(response.statusCode, `${route} ${response.body}`).toBe(200);
    }
    expect(changed).toEqual([]);
    expect(refused).toBeGreaterThanOrEqual(WRITES.length - 1);
  }, 120_000);
});
