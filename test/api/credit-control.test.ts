import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/app/actor';
import { checkOrder } from '../../src/app/credit/check-order';
import { creditPosition } from '../../src/app/credit/credit-position';
import { sweepExposure } from '../../src/app/credit/sweep-exposure';
import { addDays } from '../../src/domain/calendar';
import type { Db } from '../../src/infra/db/db';
import { openPostgres } from '../../src/infra/db/open-postgres';
import { createTestUser, json, setupTestApp, TEST_PASSWORD, TODAY } from '../support/test-app';

const t = setupTestApp(); // today = 2026-03-31

type Role = 'admin' | 'credit_manager' | 'sales' | 'viewer';
const post = (url: string, payload: object, role: Role = 'credit_manager') => t.app.inject({ method: 'POST', url, payload, headers: t.org.as[role] });
const get = async (url: string) => json(await t.app.inject({ method: 'GET', url, headers: t.org.as.viewer }));
const check = (payload: object) => post('/api/v1/order-checks', payload, 'sales').then(json);
const putSettings = async (credit: object) => {
  const response = await t.app.inject({ method: 'PUT', url: '/api/v1/settings', payload: { credit }, headers: t.org.as.admin });
  expect(response.statusCode, response.body).toBe(200);
};

/** A customer with `open` of invoices and an internal limit (null: none); its id. */
async function customer(ref: string, options: { open?: string; limit?: string | null; parentRef?: string } = {}) {
  await post('/api/v1/bulk/customers', { items: [{ externalRef: ref, legalName: `Client ${ref} SAS`, country: 'FR', parentRef: options.parentRef }] });
  if (options.open) await post('/api/v1/bulk/invoices', { items: [{ number: `${ref}-1`, customerRef: ref, issueDate: '2026-03-20', dueDate: '2026-04-30', currency: 'EUR', totalExclTax: options.open, totalInclTax: options.open }] });
  const [row] = await t.db.query<{ id: string }>('SELECT id FROM customers WHERE organisation_id = $1 AND external_ref = $2', [t.org.id, ref]);
  if (options.limit) await post(`/api/v1/customers/${row.id}/limits`, { source: 'internal', amount: options.limit });
  return row.id;
}

describe('credit control that sales cannot get around', () => {
  it('refuses order writes to sales, by a person or a key: a held check stays held', async () => {
    const id = await customer('SC1', { limit: '1000.00' });
    const order = { number: 'ERP-SC1', customerRef: 'SC1', orderDate: '2026-03-30', currency: 'EUR', amountInclTax: '800.00' };
    expect((await post('/api/v1/bulk/orders', { items: [order] })).statusCode).toBe(200);
    expect((await check({ customerRef: 'SC1', amount: '500.00', orderRef: 'CRM-1' })).decision).toBe('on_hold');

    // The attack: zero or cancel the ERP's order, then check again.
    const email = await createTestUser(t.db, t.org, 'sales');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
    const cookie = String(login.headers['set-cookie']).match(/encours_session=([^;]+)/)?.[1];
    const asPerson = { cookie: `encours_session=${cookie}`, 'sec-fetch-site': 'same-origin' };
    const zeroed = { ...order, amountInclTax: '0.00' };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/orders', payload: zeroed, headers: asPerson })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/orders', payload: { ...order, status: 'cancelled' }, headers: t.org.as.sales })).statusCode).toBe(403);
    expect((await post('/api/v1/bulk/orders', { items: [zeroed] }, 'sales')).statusCode).toBe(403);
    // The person may still check orders.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/order-checks', payload: { customerRef: 'SC1', amount: '500.00' }, headers: asPerson })).statusCode).toBe(200);

    expect((await get('/api/v1/orders?status=open')).items.find((o: { number: string }) => o.number === 'ERP-SC1')).toMatchObject({ amountInclTax: '800.00' });
    expect((await get(`/api/v1/customers/${id}/credit`)).exposure).toBe('800.00');
    expect((await check({ customerRef: 'SC1', amount: '500.00', orderRef: 'CRM-1' })).decision).toBe('on_hold');
  });

  it('decides parallel checks of one customer one after the other: five of 900 against 1 000, one accepted', async () => {
    const id = await customer('PAR1', { limit: '1000.00' });
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => check({ customerRef: 'PAR1', amount: '900.00', orderRef: `PAR1-${i}` })));
    expect(answers.map((a) => a.decision).sort()).toEqual(['accepted', 'on_hold', 'on_hold', 'on_hold', 'on_hold']);
    for (const held of answers.filter((a) => a.decision === 'on_hold')) {
      expect(held).toMatchObject({ exposure: '900.00', reasons: ['exposure 900.00 EUR + order 900.00 EUR exceeds the limit 1000.00 EUR'] });
    }
    expect(await get(`/api/v1/customers/${id}/credit`)).toMatchObject({ reserved: '900.00', exposure: '900.00', available: '100.00' });
  });

  it('serialises checks of one customer and of one group across connection pools (as separate servers would), not of other customers', async () => {
    // Two database handles: on PostgreSQL two pools, so only the database lock can order their decisions.
    const url = process.env.DATABASE_URL;
    const second: Db | null = url ? await openPostgres({ url, max: 5 }) : null;
    const other = second ?? t.db;
    const actor = { ...systemActor(t.org.id), role: 'sales' as const };
    const decide = (db: Db, ref: string, amount: string, orderRef: string) => checkOrder({ db, actor, customer: { ref }, amount, orderRef, today: TODAY });
    const stillWaiting = (p: Promise<unknown>) => Promise.race([p.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 400))]);
    try {
      await customer('LCK1', { limit: '1000.00' });
      await customer('LCK2', { limit: '1000.00' });
      const parent = await customer('GRP', {});
      await customer('GRP-A', { parentRef: 'GRP' });
      await customer('GRP-B', { parentRef: 'GRP' });
      expect((await post(`/api/v1/customers/${parent}/limits`, { source: 'internal', scope: 'group', amount: '1000.00' })).statusCode).toBe(201);

      for (const [first, then] of [['LCK1', 'LCK1'], ['GRP-A', 'GRP-B']]) {
        // A decision of another server accepts 900 and has not committed yet.
        let commit = () => {};
        let decided = () => {};
        const hasDecided = new Promise<void>((resolve) => (decided = resolve));
        const holder = other.transaction(async (tx) => {
          expect((await decide(tx, first, '900.00', `${first}-held`)).decision).toBe('accepted');
          decided();
          await new Promise<void>((resolve) => (commit = resolve));
        });
        await hasDecided;
        const waiting = decide(t.db, then, '900.00', `${then}-next`);
        expect(await stillWaiting(waiting)).toBe(true);
        if (second && first === 'LCK1') {
          // Another customer is not held up (PGlite has one connection: there everything waits its turn).
          expect((await decide(t.db, 'LCK2', '10.00', 'LCK2-1')).decision).toBe('accepted');
        }
        commit();
        await holder;
        // Decided after the commit: the 900 reserved by the first counts.
        expect((await waiting).decision).toBe('on_hold');
      }

      // Many at once through both handles: 3 of 300 fit under 1 000.
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => decide(i % 2 ? other : t.db, 'LCK2', '300.00', `LCK2-p${i}`)));
      expect(results.filter((r) => r.decision === 'accepted')).toHaveLength(3);
    } finally {
      await second?.close();
    }
  });

  it('reserves an accepted check until its order arrives or the reservation expires (settings credit.reservationDays)', async () => {
    const id = await customer('RES1', { open: '200.00', limit: '1000.00' });
    expect((await check({ customerRef: 'RES1', amount: '600.00', orderRef: 'RES1-A' })).decision).toBe('accepted');
    // The sweep of exposures (daily, and after invoices or orders) counts the reservation too: 800 of 1 000.
    await sweepExposure({ db: t.db, actor: systemActor(t.org.id), today: TODAY, customerIds: [id] });
    const alerts = (await get(`/api/v1/alerts?customerId=${id}`)).items.map((a: { title: string }) => a.title);
    expect(alerts).toEqual(['Exposure at 80 % of the credit limit (threshold 70 %)']);
    expect((await check({ customerRef: 'RES1', amount: '300.00' })).decision).toBe('on_hold');
    const position = (today: string) => creditPosition({ db: t.db, actor: systemActor(t.org.id), customerId: id, today });
    // Default 7 days: reserved through the sixth day after the check.
    expect(await position(addDays(TODAY, 6))).toMatchObject({ reserved: 600_00, exposure: 800_00 });
    expect(await position(addDays(TODAY, 7))).toMatchObject({ reserved: 0, exposure: 200_00 });

    // The ERP writes the order: it counts as an order, the reservation ends (no double count).
    await post('/api/v1/bulk/orders', { items: [{ number: 'RES1-A', customerRef: 'RES1', orderDate: TODAY, currency: 'EUR', amountInclTax: '600.00' }] });
    expect(await get(`/api/v1/customers/${id}/credit`)).toMatchObject({ openOrders: '600.00', reserved: '0.00', exposure: '800.00' });

    // A shorter reservation set by the organisation; a held order released by hand reserves too.
    await putSettings({ reservationDays: 2 });
    const released = await check({ customerRef: 'RES1', amount: '250.00', orderRef: 'RES1-B' });
    expect(released.decision).toBe('on_hold');
    expect((await post(`/api/v1/order-checks/${released.id}/release`, { reason: 'customer paid a deposit' })).statusCode).toBe(200);
    expect(await position(addDays(TODAY, 1))).toMatchObject({ reserved: 250_00 });
    expect(await position(addDays(TODAY, 2))).toMatchObject({ reserved: 0 });
    await putSettings({});
  });
});

describe('order checks of a customer without any limit', () => {
  it('say there is no limit, and follow the organisation setting: accept, hold, refuse or a default limit by band', async () => {
    await customer('NL1', { open: '100.00' });
    const answer = async (amount: string) => {
      const { decision, reasons } = await check({ customerRef: 'NL1', amount });
      return { decision, reasons };
    };
    expect(await answer('10.00')).toEqual({ decision: 'accepted', reasons: ['no credit limit for this customer: accepted (organisation setting) and no invoice badly overdue'] });
    await putSettings({ noLimit: 'hold' });
    expect(await answer('10.00')).toEqual({ decision: 'on_hold', reasons: ['no credit limit for this customer: held for review (organisation setting)'] });
    await putSettings({ noLimit: 'refuse' });
    expect(await answer('10.00')).toEqual({ decision: 'refused', reasons: ['no credit limit for this customer'] });

    await putSettings({ noLimit: 'band', defaultLimits: { B: '500.00' } });
    // Not scored yet (the invoices rescored it: forget its band).
    await t.db.query("UPDATE customers SET risk_band = NULL WHERE organisation_id = $1 AND external_ref = 'NL1'", [t.org.id]);
    expect(await answer('10.00')).toEqual({ decision: 'on_hold', reasons: ['no credit limit for this customer and no risk band for a default limit'] });
    await t.db.query("UPDATE customers SET risk_band = 'C' WHERE organisation_id = $1 AND external_ref = 'NL1'", [t.org.id]);
    expect(await answer('10.00')).toEqual({ decision: 'on_hold', reasons: ['no credit limit for this customer and no default limit for band C'] });
    await t.db.query("UPDATE customers SET risk_band = 'B' WHERE organisation_id = $1 AND external_ref = 'NL1'", [t.org.id]);
    // Exposure 100 + the 10 accepted earlier (still reserved) = 110.
    expect(await answer('300.00')).toEqual({ decision: 'accepted', reasons: ['no credit limit for this customer: within the default limit of band B 500.00 EUR and no invoice badly overdue'] });
    expect(await answer('100.00')).toEqual({ decision: 'on_hold', reasons: ['no credit limit for this customer: exposure 410.00 EUR + order 100.00 EUR exceeds the default limit of band B 500.00 EUR'] });

    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/settings', payload: { credit: { noLimit: 'maybe', defaultLimits: { A: '-5' } } }, headers: t.org.as.admin });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors.map((e: { field: string }) => e.field).sort()).toEqual(['credit.defaultLimits.A', 'credit.noLimit']);
    await putSettings({});
  });
});
