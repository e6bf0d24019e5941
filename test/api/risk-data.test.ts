import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/infra/clock';
import { scheduleMonitoring } from '../../src/jobs/monitoring';
import { createTestOrg, json, setupTestApp, TODAY } from '../support/test-app';

const t = setupTestApp(); // today = 2026-03-31

type Role = 'credit_manager' | 'sales' | 'viewer';
const post = (url: string, payload: object, role: Role = 'credit_manager') => t.app.inject({ method: 'POST', url, payload, headers: t.org.as[role] });
const get = async (url: string) => json(await t.app.inject({ method: 'GET', url, headers: t.org.as.viewer }));
const customerId = async (search: string) => (await get(`/api/v1/customers?search=${encodeURIComponent(search)}`)).items[0].id as string;

/** The worked example of domain-rules.md §3.1/§3.2/§3.5, in thousands of euros. */
const WORKED_EXAMPLE = {
  totalAssets: '10000000', currentAssets: '4000000', currentLiabilities: '2500000', retainedEarnings: '1500000', operatingIncome: '800000', equity: '3500000',
  totalLiabilities: '6500000', revenue: '10000000', financialDebt: '3000000', cash: '500000', inventories: '1500000', interestExpense: '150000', ebitda: '900000',
  longTermDebt: '1500000', staffCosts: '2000000', valueAdded: '3500000',
};

describe('bureau and insurer ratings', () => {
  it('maps each provider onto our scale, turns recommendations and covers into limits, and alerts when cover is cut', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'R1', legalName: 'Notée SA', country: 'FR' }] });
    const id = await customerId('Notée');
    const pushed = json(await post('/api/v1/bulk/ratings', {
      items: [
        { customerRef: 'R1', provider: 'altares', value: '14', ratedOn: '2026-03-01' },
        { customerRef: 'R1', provider: 'allianz_trade', value: 4, ratedOn: '2026-03-02', cover: { amount: '50000.00', percent: '90' } },
        { customerRef: 'R1', provider: 'creditsafe', value: '71', ratedOn: '2026-03-03', recommendedLimit: '40000.00' },
      ],
    }));
    expect(pushed).toMatchObject({ stored: 3, limits: 2 });
    expect((await get(`/api/v1/customers/${id}/ratings`)).items.map((r: { provider: string; score: number; band: string }) => [r.provider, r.score, r.band])).toEqual([
      ['creditsafe', 71, 'B'], ['allianz_trade', 67, 'B'], ['altares', 70, 'B'],
    ]);
    const [score] = (await get(`/api/v1/customers/${id}/scores`)).items;
    expect(score.contributions).toEqual([{ input: 'external', score: 69, weight: 1, points: 69 }]);

    await post('/api/v1/bulk/invoices', { items: [{ number: 'R1-1', customerRef: 'R1', issueDate: '2026-03-01', dueDate: '2026-04-30', currency: 'EUR', totalExclTax: '50000.00', totalInclTax: '60000.00' }] });
    const position = await get(`/api/v1/customers/${id}/credit`);
    // Lowest of insurer (50 000) and provider (40 000); insured part = min(60 000, 50 000) × 90 %.
    expect(position).toMatchObject({ limit: { source: 'provider', amount: '40000.00' }, grossExposure: '60000.00', insured: '45000.00', exposure: '60000.00' });

    // The insurer cuts its cover: a warning alert; withdrawn later: a critical one.
    await post('/api/v1/bulk/ratings', { items: [{ customerRef: 'R1', provider: 'allianz_trade', value: 6, ratedOn: '2026-03-20', cover: { amount: '20000.00', percent: '90' } }] });
    await post('/api/v1/bulk/ratings', { items: [{ customerRef: 'R1', provider: 'allianz_trade', value: 9, ratedOn: '2026-03-30', cover: { amount: '0', percent: '90' } }] });
    const alerts = (await get(`/api/v1/alerts?customerId=${id}`)).items.filter((a: { kind: string }) => a.kind === 'cover_reduced');
    expect(alerts.map((a: { title: string; severity: string }) => [a.title, a.severity]).sort()).toEqual([
      ['Insurer cover reduced from 50000.00 EUR to 20000.00 EUR', 'warning'],
      ['Insurer cover withdrawn (was 20000.00 EUR)', 'critical'],
    ]);
  });

  it('refuses a whole batch with every bad record named', async () => {
    const response = await post('/api/v1/bulk/ratings', {
      items: [
        { customerRef: 'NOPE', provider: 'creditsafe', value: '50', ratedOn: '2026-03-01' },
        { customerRef: 'R1', provider: 'altares', value: '25', ratedOn: '2026-03-01' },
        { customerRef: 'R1', provider: 'coface_dra', value: '5', ratedOn: '2027-01-01', cover: { amount: '10', percent: '120' } },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(json(response).errors).toEqual([
      { index: 0, ref: 'NOPE', field: 'customerRef', reason: 'unknown customer', value: 'NOPE' },
      { index: 1, ref: 'R1', field: 'value', reason: 'altares score 25 is outside 0–20', value: '25' },
      { index: 2, ref: 'R1', field: 'ratedOn', reason: 'is in the future', value: '2027-01-01' },
      { index: 2, ref: 'R1', field: 'cover.percent', reason: 'must be above 0 and at most 100', value: '120' },
    ]);
    expect((await post('/api/v1/bulk/ratings', { items: [{ customerRef: 'R1', provider: 'paydex', value: '80', ratedOn: '2026-03-01' }] }, 'sales')).statusCode).toBe(403);
  });
});

describe('financial statements, policy limits, limit requests and blocks', () => {
  it('computes the worked example\'s ratios and scores, and the policy limit from equity by band', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'F1', legalName: 'Bilan Exemple SARL', country: 'FR' }] });
    const id = await customerId('Bilan Exemple');
    const saved = json(await post(`/api/v1/customers/${id}/financial-statements`, { fiscalYearEnd: '2025-12-31', currency: 'EUR', source: 'liasse fiscale', figures: WORKED_EXAMPLE }));
    expect(saved.altmanZ2).toEqual({ score: 2.58, zone: 'grey' });
    expect(saved.conanHolder).toEqual({ score: 11.3, zone: 'watch' });
    expect(saved.ratios).toMatchObject({ gearing: 0.71, financialAutonomy: 0.35, currentRatio: 1.6, quickRatio: 1, interestCoverage: 5.3 });
    const [statement] = (await get(`/api/v1/customers/${id}/financial-statements`)).items;
    expect(statement).toMatchObject({ fiscalYearEnd: '2025-12-31', figures: { equity: '3500000.00' }, altmanZ2: { score: 2.58 } });
    const [score] = (await get(`/api/v1/customers/${id}/scores`)).items;
    expect(score.contributions).toEqual([{ input: 'financial', score: 64, weight: 1, points: 64 }]);
    expect(score.band).toBe('B');

    // Band B: 25 % of equity (875 000) vs 4 % of turnover (400 000): the lower wins.
    expect(json(await post('/api/v1/limits/apply-policy', { customerIds: [id] }))).toEqual({ examined: 1, changed: 1, skipped: 0 });
    expect((await get(`/api/v1/customers/${id}/credit`)).limit).toMatchObject({ source: 'policy', amount: '400000.00', reason: 'band B: 4 % of turnover (lower than 25 % of equity)' });
    expect(json(await post('/api/v1/limits/apply-policy', { customerIds: [id] }))).toMatchObject({ changed: 0 });

    // Many companies at once, by code or SIREN; the same year sent again replaces it.
    const bulk = await post('/api/v1/bulk/financial-statements', { items: [
      { customerRef: 'F1', fiscalYearEnd: '2024-12-31', currency: 'EUR', figures: { ...WORKED_EXAMPLE, equity: '3000000' } },
      { customerRef: 'F1', fiscalYearEnd: '2025-12-31', currency: 'EUR', source: 'liasse fiscale', figures: WORKED_EXAMPLE },
    ] });
    expect(json(bulk)).toEqual({ stored: 2, inserted: 1, updated: 1 });
    expect((await get(`/api/v1/customers/${id}/financial-statements`)).items.map((s: { fiscalYearEnd: string }) => s.fiscalYearEnd)).toEqual(['2025-12-31', '2024-12-31']);
    const twice = await post('/api/v1/bulk/financial-statements', { items: [
      { customerRef: 'F1', fiscalYearEnd: '2023-12-31', currency: 'EUR', figures: WORKED_EXAMPLE },
      { customerRef: 'F1', fiscalYearEnd: '2023-12-31', currency: 'XXY', figures: WORKED_EXAMPLE },
      { siren: '123456789', fiscalYearEnd: '2023-12-31', currency: 'EUR', figures: WORKED_EXAMPLE },
    ] });
    expect(json(twice).errors).toEqual([
      { index: 1, ref: 'F1', field: 'fiscalYearEnd', reason: 'the same customer has accounts for this year in record 1 of this batch', value: '2023-12-31' },
      { index: 1, ref: 'F1', field: 'currency', reason: 'unknown ISO 4217 currency', value: 'XXY' },
      { index: 2, ref: '123456789', field: 'siren', reason: 'the SIREN check digit (Luhn) is wrong', value: '123456789' },
    ]);

    const bad = await post(`/api/v1/customers/${id}/financial-statements`, { fiscalYearEnd: '2025-13-01', currency: 'EUR', figures: { totalAssets: 'abc', currentAssets: '1', currentLiabilities: '1', totalLiabilities: '1', bogus: '1' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors.map((e: { field: string }) => e.field)).toEqual(['fiscalYearEnd', 'figures.totalAssets', 'figures.equity', 'figures.bogus']);
  });

  it('sales asks for a higher limit, a credit manager approves it; a blocked customer is refused', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'L1', legalName: 'Demande Limite SAS', country: 'FR' }] });
    const id = await customerId('Demande Limite');
    await post(`/api/v1/customers/${id}/limits`, { source: 'internal', amount: '1000.00', validFrom: '2026-01-01' });
    expect(json(await post('/api/v1/order-checks', { customerRef: 'L1', amount: '3000.00', orderRef: 'BIG-1' }, 'sales')).decision).toBe('on_hold');

    const request = json(await post(`/api/v1/customers/${id}/limit-requests`, { amount: '5000.00', reason: 'new framework contract' }, 'sales'));
    const [pending] = (await get('/api/v1/limit-requests?status=pending')).items;
    expect(pending).toMatchObject({ id: request.id, amount: '5000.00', currentLimit: '1000.00', reason: 'new framework contract', requestedBy: 'test-sales' });
    expect((await post(`/api/v1/limit-requests/${request.id}/approve`, { reason: 'ok' }, 'sales')).statusCode).toBe(403);
    expect(json(await post(`/api/v1/limit-requests/${request.id}/approve`, { reason: 'good payer, contract signed', amount: '4000.00' }))).toMatchObject({ status: 'approved' });
    expect((await post(`/api/v1/limit-requests/${request.id}/reject`, { reason: 'too late' })).statusCode).toBe(409);
    const position = await get(`/api/v1/customers/${id}/credit`);
    expect(position.limit).toMatchObject({ source: 'internal', amount: '4000.00', reason: 'limit request approved: good payer, contract signed' });
    // The new limit made room for the held order.
    expect((await get('/api/v1/order-checks?holdStatus=released')).items.map((o: { orderRef: string }) => o.orderRef)).toContain('BIG-1');

    await post(`/api/v1/customers/${id}/block`, { blocked: true, reason: 'disputed deliveries' });
    expect(json(await post('/api/v1/order-checks', { customerRef: 'L1', amount: '1.00' }, 'sales'))).toMatchObject({ decision: 'refused', reasons: ['customer is blocked'] });
    await post(`/api/v1/customers/${id}/block`, { blocked: false, reason: 'settled' });
    expect(json(await post('/api/v1/order-checks', { customerRef: 'L1', amount: '1.00' }, 'sales')).decision).toBe('accepted');
  });

  it('a parent and its subsidiaries share a group limit on top of their own sub-limits', async () => {
    await post('/api/v1/bulk/customers', {
      items: [
        { externalRef: 'G0', legalName: 'Groupe Mère SA', country: 'FR' },
        { externalRef: 'G1', legalName: 'Filiale Nord SAS', country: 'FR', parentRef: 'G0' },
        { externalRef: 'G2', legalName: 'Filiale Sud SAS', country: 'FR', parentRef: 'G0' },
      ],
    });
    const [mother, north] = [await customerId('Groupe Mère'), await customerId('Filiale Nord')];
    expect((await post(`/api/v1/customers/${north}/limits`, { source: 'internal', amount: '1.00', scope: 'group' })).statusCode).toBe(400);
    await post(`/api/v1/customers/${mother}/limits`, { source: 'internal', amount: '10000.00', scope: 'group', reason: 'group limit' });
    await post(`/api/v1/customers/${north}/limits`, { source: 'internal', amount: '8000.00', reason: 'sub-limit' });
    await post('/api/v1/bulk/invoices', {
      items: [
        { number: 'G2-1', customerRef: 'G2', issueDate: '2026-03-01', dueDate: '2026-04-30', currency: 'EUR', totalExclTax: '5000.00', totalInclTax: '6000.00' },
        { number: 'G1-1', customerRef: 'G1', issueDate: '2026-03-01', dueDate: '2026-04-30', currency: 'EUR', totalExclTax: '2500.00', totalInclTax: '3000.00' },
      ],
    });
    const position = await get(`/api/v1/customers/${north}/credit`);
    expect(position.group).toMatchObject({ name: 'Groupe Mère SA', members: 3, exposure: '9000.00', limit: '10000.00', usedPercent: 90 });
    expect(position).toMatchObject({ exposure: '3000.00', limit: { amount: '8000.00' } });
    // Within its own sub-limit (3 000 + 2 000 ≤ 8 000) but beyond the group's (9 000 + 2 000 > 10 000).
    const check = json(await post('/api/v1/order-checks', { customerRef: 'G1', amount: '2000.00' }, 'sales'));
    expect(check).toMatchObject({ decision: 'on_hold', reasons: ['group Groupe Mère SA: exposure 9000.00 EUR + order 2000.00 EUR exceeds the group limit 10000.00 EUR'] });
  });
});

describe('risk settings', () => {
  it('validates and stores weights, thresholds per segment and policy; only an admin changes them', async () => {
    const put = (payload: object, role: 'admin' | 'credit_manager' = 'admin') => t.app.inject({ method: 'PUT', url: '/api/v1/settings', payload, headers: t.org.as[role] });
    expect((await put({ scoring: { weights: { behaviour: 0, financial: 0, external: 0 } } })).statusCode).toBe(400);
    expect((await put({ credit: { maxOverdueDays: 30 } }, 'credit_manager')).statusCode).toBe(403);
    const settings = { scoring: { weights: { behaviour: 0.6, financial: 0.2, external: 0.2 } }, credit: { thresholds: [80, 100], segmentThresholds: { Export: [60] }, limitPolicy: { C: null } } };
    expect((await put(settings)).statusCode).toBe(200);
    const read = await get('/api/v1/settings');
    expect(read.settings).toEqual(settings);
    expect(read.defaults.credit.thresholds).toEqual([50, 70, 90, 100]);

    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'S1', legalName: 'Segment Export SA', country: 'FR', segment: 'Export' }] });
    await post('/api/v1/bulk/invoices', { items: [{ number: 'S1-1', customerRef: 'S1', issueDate: '2026-03-01', dueDate: '2026-04-30', currency: 'EUR', totalExclTax: '600.00', totalInclTax: '650.00' }] });
    const id = await customerId('Segment Export');
    await post(`/api/v1/customers/${id}/limits`, { source: 'internal', amount: '1000.00' });
    expect((await get(`/api/v1/customers/${id}/credit`)).thresholdsCrossed).toEqual([60]);
  });
});

describe('settings changed by patch', () => {
  it('keeps what a request does not name, validates the merged result and audits before and after', async () => {
    const org = await createTestOrg(t.db);
    const send = (method: 'PUT' | 'PATCH', payload: unknown) => t.app.inject({ method, url: '/api/v1/settings', payload: payload as object, headers: org.as.admin });
    const read = async () => json(await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: org.as.viewer })).settings;
    expect((await send('PATCH', { monitoring: { enabled: false } })).statusCode).toBe(200);
    // An older client sending the whole document it knows, or nothing, no longer drops the switch.
    expect((await send('PUT', {})).statusCode).toBe(200);
    expect((await send('PUT', { credit: { maxOverdueDays: 45 } })).statusCode).toBe(200);
    expect(await read()).toEqual({ monitoring: { enabled: false }, credit: { maxOverdueDays: 45 } });
    expect((await send('PATCH', { credit: { thresholds: [80] }, monitoring: { refreshDays: { E: 2 } } })).statusCode).toBe(200);
    expect(await read()).toEqual({ monitoring: { enabled: false, refreshDays: { E: 2 } }, credit: { maxOverdueDays: 45, thresholds: [80] } });

    const bad = await send('PATCH', { credit: { maxOverdueDays: 900 }, scoring: { weights: { behaviour: 2, financial: 0, external: 0 } } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors.map((e: { field: string }) => e.field).sort()).toEqual(['credit.maxOverdueDays', 'scoring.weights.behaviour']);
    expect((await send('PATCH', [1, 2])).statusCode).toBe(400);
    expect(await read()).toEqual({ monitoring: { enabled: false, refreshDays: { E: 2 } }, credit: { maxOverdueDays: 45, thresholds: [80] } });

    const audit = json(await t.app.inject({ method: 'GET', url: '/api/v1/audit?entity=settings', headers: org.as.admin })).items;
    expect(audit[0]).toMatchObject({ action: 'update', before: { monitoring: { enabled: false }, credit: { maxOverdueDays: 45 } }, after: { credit: { thresholds: [80] } } });
  });

  it('queues no provider refresh when the providers are switched off', async () => {
    const org = await createTestOrg(t.db);
    await t.app.inject({ method: 'POST', url: '/api/v1/bulk/customers', payload: { items: [{ externalRef: 'OFF-1', legalName: 'Ganymède SAS', siren: '880878145', country: 'FR' }] }, headers: org.as.admin });
    const ctx = { db: t.db, clock: fixedClock(`${TODAY}T10:00:00Z`) };
    expect(await scheduleMonitoring(ctx, { organisationId: org.id })).toEqual({ refreshes: 0, rescores: 1 });
    expect(await scheduleMonitoring({ ...ctx, providers: { identity: undefined, legal: undefined } as never }, { organisationId: org.id })).toEqual({ refreshes: 1, rescores: 0 });
  });
});

describe('customer list risk filters', () => {
  it('filters by score range and by exposure (receivables + orders not invoiced)', async () => {
    await post('/api/v1/scores/recompute', {});
    const all = (await get('/api/v1/customers?limit=500')).items as { externalRef: string; riskScore: number | null; exposure: string }[];
    const scored = all.filter((c) => c.riskScore !== null);
    expect(scored.length).toBeGreaterThan(2);
    const between = (await get('/api/v1/customers?limit=500&minScore=20&maxScore=70')).items as typeof all;
    expect(between.map((c) => c.externalRef).sort()).toEqual(scored.filter((c) => (c.riskScore as number) >= 20 && (c.riskScore as number) <= 70).map((c) => c.externalRef).sort());
    const exposed = (await get('/api/v1/customers?limit=500&minExposure=6000&sort=-exposure')).items as typeof all;
    expect(exposed.length).toBeGreaterThan(0);
    expect(exposed.every((c) => Number(c.exposure) >= 6000)).toBe(true);
    expect(exposed.map((c) => Number(c.exposure))).toEqual([...exposed.map((c) => Number(c.exposure))].sort((a, b) => b - a));
    expect(all.filter((c) => Number(c.exposure) >= 6000).length).toBe(exposed.length);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers?minExposure=-5', headers: t.org.as.viewer })).statusCode).toBe(400);
  });
});
