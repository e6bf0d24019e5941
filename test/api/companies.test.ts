import { afterAll, describe, expect, it } from 'vitest';
import { openDataProviders } from '../../src/infra/providers/open-data-providers';
import { type ProviderServer, startProviderServer } from '../support/provider-server';
import { json, setupTestApp } from '../support/test-app';

let server: ProviderServer;
const t = setupTestApp(async () => {
  server = await startProviderServer();
  return { providers: openDataProviders({ rechercheEntreprisesUrl: server.url, bodaccUrl: server.url, http: { minIntervalMs: 0, baseDelayMs: 5 } }) };
}); // today = 2026-03-31
afterAll(() => server?.close());

const as = (role: 'credit_manager' | 'viewer' | 'sales') => t.org.as[role];
const post = (url: string, payload: object = {}, role: 'credit_manager' | 'viewer' | 'sales' = 'credit_manager') => t.app.inject({ method: 'POST', url, payload, headers: as(role) });
const get = async (url: string) => json(await t.app.inject({ method: 'GET', url, headers: as('viewer') }));

/** A BODACC Explore v2.1 record as the API returns it (JSON-in-string fields), for a judgment we have no recording of. */
const v21Notice = (siren: string, fields: Record<string, unknown>) => ({
  id: 'A202600512345', publicationavis: 'A', familleavis: 'collective', familleavis_lib: 'Procédures collectives', typeavis: 'annonce', typeavis_lib: 'Avis initial',
  dateparution: '2026-03-12', parution: '20260051', numeroannonce: 2345, tribunal: 'Tribunal de commerce de Lyon', commercant: 'Atelier Test', registre: [siren, `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}`],
  jugement: JSON.stringify({ type: 'initial', famille: "Jugement d'ouverture", nature: "Jugement d'ouverture d'une procédure de redressement judiciaire", date: '2026-03-05', complementJugement: 'Mandataire judiciaire : Me Dupont, 1 rue de la Paix 69002 Lyon' }),
  ...fields,
});

describe('company data providers (recorded open-data responses on a local server)', () => {
  it('looks a SIREN up without storing it, and records each call', async () => {
    const answer = await get('/api/v1/companies/880878145');
    expect(answer.profile).toMatchObject({ siren: '880878145', name: 'GANYMEDE', state: 'ceased', ceasedOn: '2022-10-22', legalFormCode: '5710', activityCode: '62.02A', deregisteredOn: '2022-11-14', shareCapital: { amount: '1000', currency: 'EUR' } });
    expect(answer.legalEvents.map((e: { kind: string; publishedOn: string }) => [e.kind, e.publishedOn])).toEqual([
      ['deregistered', '2022-11-23'], ['accounts_filed', '2022-05-08'], ['accounts_filed', '2021-08-11'],
    ]);
    expect(answer.legalStatus).toMatchObject({ isClosed: true, closedOn: '2022-11-23', procedure: null });
    expect(answer.calls.map((c: { provider: string; status: string; cost: number }) => [c.provider, c.status, c.cost])).toEqual([['recherche-entreprises', 'ok', 0], ['bodacc', 'ok', 0]]);
    expect(server.requests.some((r) => r.startsWith('/catalog/datasets/annonces-commerciales/records?where=registre%20like%20%22%25880878145%25%22'))).toBe(true);

    const unknown = await get('/api/v1/companies/732829320');
    expect(unknown).toMatchObject({ profile: null, legalEvents: [] });
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/companies/123456789', headers: as('viewer') });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0]).toMatchObject({ field: 'siren' });
  });

  it('maps identity, directors and finances of a live company', async () => {
    const answer = await get('/api/v1/companies/487444697');
    expect(answer.profile).toMatchObject({ state: 'active', category: 'ETI', headcountBand: '12', finances: [{ year: '2022', revenue: '1848367', netIncome: '-693623' }] });
    expect(answer.profile.directors[0]).toEqual({ name: 'DAVID JEAN CLAUDE POUYANNE (POUYANNE)', role: 'Gérant', kind: 'person' });
  });

  it('refreshing a customer stores its company, alerts on the closure and drops its score to 0', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'GANY', legalName: 'Ganymède SAS', siren: '880878145', country: 'FR' }] });
    const customer = (await get('/api/v1/customers?search=Ganym')).items[0];
    const refreshed = json(await post(`/api/v1/customers/${customer.id}/company/refresh`));
    expect(refreshed).toMatchObject({ siren: '880878145', newEvents: 3 });
    const stored = await get(`/api/v1/customers/${customer.id}/company`);
    expect(stored.profiles.map((p: { provider: string }) => p.provider)).toEqual(['recherche-entreprises']);
    expect(stored.legalEvents[0]).toMatchObject({ source: 'bodacc', sourceId: 'B20220227446', kind: 'deregistered', title: 'BODACC: deregistered from the trade register (radiation) 2022-11-23' });
    expect(stored.legalStatus.isClosed).toBe(true);

    const alerts = (await get(`/api/v1/alerts?customerId=${customer.id}`)).items;
    expect(alerts.map((a: { title: string; severity: string }) => [a.title, a.severity]).sort()).toEqual([
      ['BODACC: deregistered from the trade register (radiation) 2022-11-23', 'critical'],
      ['Company ceased (Sirene) on 2022-10-22', 'critical'],
    ]);
    const [score] = (await get(`/api/v1/customers/${customer.id}/scores`)).items;
    expect(score).toMatchObject({ score: 0, band: 'E' });
    expect(score.reasons[0]).toBe('company closed on 2022-11-23 (radiation)');

    // Refreshing again stores nothing twice and raises nothing new.
    expect(json(await post(`/api/v1/customers/${customer.id}/company/refresh`))).toMatchObject({ newEvents: 0, alerts: 0 });
    expect((await get(`/api/v1/alerts?customerId=${customer.id}`)).items).toHaveLength(2);
  });

  it('a new redressement judiciaire is alerted with whom to declare to, caps the score, and refuses orders', async () => {
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'ATEL', legalName: 'Atelier Test', siren: '533744991', country: 'FR' }] });
    const customer = (await get('/api/v1/customers?search=Atelier%20Test')).items[0];
    expect(json(await post(`/api/v1/customers/${customer.id}/company/refresh`))).toMatchObject({ newEvents: 0 });

    server.setBodacc('533744991', { total_count: 1, results: [v21Notice('533744991', {})] });
    expect(json(await post(`/api/v1/customers/${customer.id}/company/refresh`))).toMatchObject({ newEvents: 1 });
    const alerts = (await get(`/api/v1/alerts?customerId=${customer.id}`)).items;
    expect(alerts.map((a: { kind: string }) => a.kind).sort()).toEqual(['band_drop', 'legal_event']);
    const alert = alerts.find((a: { kind: string }) => a.kind === 'legal_event');
    expect(alert).toMatchObject({ kind: 'legal_event', severity: 'critical', title: 'BODACC: redressement judiciaire opened 2026-03-05' });
    expect(alert.details).toMatchObject({ declareTo: 'Mandataire judiciaire : Me Dupont, 1 rue de la Paix 69002 Lyon', court: 'Tribunal de commerce de Lyon' });
    const [score] = (await get(`/api/v1/customers/${customer.id}/scores`)).items;
    expect(score.score).toBeLessThanOrEqual(10);
    expect(score.reasons[0]).toBe('BODACC: redressement judiciaire opened 2026-03-05');
    const check = json(await post('/api/v1/order-checks', { customerRef: 'ATEL', amount: '100.00' }, 'sales'));
    expect(check.decision).toBe('refused');
    expect(check.reasons).toContain('redressement judiciaire opened 2026-03-05: pre-opening claims are frozen');

    // The court cancels the notice: the status clears, the score is no longer capped.
    server.setBodacc('533744991', {
      total_count: 2,
      results: [
        v21Notice('533744991', {}),
        v21Notice('533744991', { id: 'A202600601111', typeavis: 'annulation', dateparution: '2026-03-25', parution: '20260060', numeroannonce: 1111, parutionavisprecedent: JSON.stringify({ nomPublication: 'BODACC A', numeroParution: '20260051', dateParution: '2026-03-12', numeroAnnonce: '2345' }) }),
      ],
    });
    await post(`/api/v1/customers/${customer.id}/company/refresh`);
    const stored = await get(`/api/v1/customers/${customer.id}/company`);
    expect(stored.legalStatus.procedure).toBeNull();
    expect(stored.legalEvents.every((e: { cancelled: boolean }) => e.cancelled)).toBe(true);
    expect((await get(`/api/v1/customers/${customer.id}/scores`)).items[0].score).toBeGreaterThan(10);
  });

  it('retries a provider that answers 503 or 429, and records a failure it cannot get past', async () => {
    server.failNext('/search', 2, 503);
    server.failNext('/catalog', 1, 429, { 'retry-after': '0' });
    const answer = await get('/api/v1/companies/351556394');
    expect(answer.calls.map((c: { status: string }) => c.status)).toEqual(['ok', 'ok']);
    expect(answer.profile.siren).toBe('351556394');

    server.failNext('/search', 4, 500);
    const failed = await t.app.inject({ method: 'GET', url: '/api/v1/companies/351556394', headers: as('viewer') });
    expect(failed.statusCode).toBe(502);
    expect(failed.headers['content-type']).toContain('application/problem+json');
    expect(json(failed)).toMatchObject({ status: 502, detail: 'recherche-entreprises could not be reached', errors: [{ field: 'recherche-entreprises', reason: 'recherche-entreprises: HTTP 500 after 4 attempts', value: 500 }] });
    // The failed call is on record all the same.
    const [call] = await t.db.query<{ status: string; http_status: number }>(
      "SELECT status, http_status FROM provider_calls WHERE organisation_id = $1 AND subject = '351556394' AND provider = 'recherche-entreprises' ORDER BY called_at DESC LIMIT 1",
      [t.org.id],
    );
    expect(call).toEqual({ status: 'error', http_status: 500 });
  });

  it('a legal register that does not answer leaves the legal status unknown, never "no procedure"', async () => {
    server.failNext('/catalog', 4, 500);
    const lookup = await t.app.inject({ method: 'GET', url: '/api/v1/companies/487444697', headers: as('viewer') });
    expect(lookup.statusCode).toBe(502);
    expect(json(lookup)).toMatchObject({ detail: 'bodacc could not be reached', errors: [{ field: 'bodacc' }] });

    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'UNK', legalName: 'Inconnue SA', siren: '487444697', country: 'FR' }] });
    const customer = (await get('/api/v1/customers?search=Inconnue')).items[0];
    // Never checked: unknown, and the score says so.
    expect((await get(`/api/v1/customers/${customer.id}/company`)).legalStatus).toMatchObject({ isKnown: false, procedure: null, isClosed: false });
    expect((await post('/api/v1/scores/recompute', { customerIds: [customer.id] })).statusCode).toBe(200);
    const [before] = (await get(`/api/v1/customers/${customer.id}/scores`)).items;
    expect(before.reasons).toContain('legal status unknown: no register has answered yet');

    // Identity answers, BODACC does not: the profile is stored, the legal status stays unknown.
    server.failNext('/catalog', 4, 500);
    const partial = json(await post(`/api/v1/customers/${customer.id}/company/refresh`));
    expect(partial.calls.map((c: { provider: string; status: string }) => [c.provider, c.status])).toEqual([['recherche-entreprises', 'ok'], ['bodacc', 'error']]);
    const stored = await get(`/api/v1/customers/${customer.id}/company`);
    expect(stored.checkedAt).not.toBeNull();
    expect(stored.legalStatus).toMatchObject({ isKnown: false });

    // Once BODACC has answered (nothing found), "no procedure" is a fact.
    await post(`/api/v1/customers/${customer.id}/company/refresh`);
    expect((await get(`/api/v1/customers/${customer.id}/company`)).legalStatus).toMatchObject({ isKnown: true, procedure: null });
    const [after] = (await get(`/api/v1/customers/${customer.id}/scores`)).items;
    expect(after.reasons).not.toContain('legal status unknown: no register has answered yet');

    // Both registers down: 502 naming each of them.
    server.failNext('/search', 4, 500);
    server.failNext('/catalog', 4, 500);
    const down = await post(`/api/v1/customers/${customer.id}/company/refresh`);
    expect(down.statusCode).toBe(502);
    expect(json(down).errors.map((e: { field: string }) => e.field)).toEqual(['recherche-entreprises', 'bodacc']);
  });

  it('only credit managers refresh; others read', async () => {
    const customer = (await get('/api/v1/customers?search=Ganym')).items[0];
    expect((await post(`/api/v1/customers/${customer.id}/company/refresh`, {}, 'sales')).statusCode).toBe(403);
  });
});
