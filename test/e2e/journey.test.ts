import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/app/actor';
import { loadDemoPortfolio } from '../../src/app/bootstrap/load-demo-portfolio';
import { createOrganisation } from '../../src/app/organisations/create-organisation';
import { PROJECT_ROOT } from '../../src/config';
import { buildApp } from '../../src/http/app';
import { systemClock } from '../../src/infra/clock';
import type { Db } from '../../src/infra/db/db';
import { openTestDb } from '../support/test-db';
import { openDataProviders } from '../../src/infra/providers/open-data-providers';
import { type ProviderServer, startProviderServer } from '../support/provider-server';

const SCREENSHOTS = join(PROJECT_ROOT, 'test-results/e2e');
const EMAIL = `e2e-${Date.now()}@test.encours`;
const PASSWORD = 'e2e password 123';

let db: Db;
let app: Awaited<ReturnType<typeof buildApp>>;
let browser: Browser;
let page: Page;
let baseUrl: string;
let providers: ProviderServer;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = await openTestDb();
  const clock = systemClock();
  const { organisation } = await createOrganisation({ db, name: 'Démo E2E', admin: { email: EMAIL, name: 'Claire Martin', password: PASSWORD } });
  await loadDemoPortfolio({ db, actor: systemActor(organisation.id), demo: { customers: 40, months: 12, seed: 3, asOf: clock.today() } });
  providers = await startProviderServer();
  app = await buildApp({ db, clock, webDir: join(PROJECT_ROOT, 'dist/web'), providers: openDataProviders({ rechercheEntreprisesUrl: providers.url, bodaccUrl: providers.url }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
  await providers?.close();
});

describe('a credit manager in the browser', () => {
  it('logs in, reads the dashboard, opens a customer and switches to English', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('login-email').fill(EMAIL);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();

    await page.getByTestId('kpi-outstanding').waitFor();
    await page.getByTestId('aging-chart').waitFor();
    await page.getByTestId('dso-trend-chart').waitFor();
    await expect.poll(() => page.getByTestId('kpi-outstanding').innerText()).toMatch(/\d[\d\s\u202f]*,\d{2}\s€/);
    await page.screenshot({ path: join(SCREENSHOTS, '1-dashboard-fr.png'), fullPage: true });

    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customers-table').waitFor();
    const firstRow = page.getByTestId('customer-row').first();
    const name = (await firstRow.innerText()).split('\n')[0].trim();
    await firstRow.click();
    await page.getByTestId('customer-name').waitFor();
    expect(await page.getByTestId('customer-name').innerText()).toContain(name.slice(0, 10));
    await page.getByTestId('customer-open-invoices').waitFor();
    await page.getByTestId('risk-panel').waitFor();
    await page.getByTestId('credit-panel').waitFor();
    expect(await page.getByTestId('risk-panel').getByTestId('risk-band').innerText()).toMatch(/^[A-E]$/);
    expect(await page.getByTestId('risk-behaviour').innerText()).toMatch(/^Retard moyen pondéré : .* DSO .* en litige/);
    await page.screenshot({ path: join(SCREENSHOTS, '2-customer-fr.png'), fullPage: true });

    expect(await page.getByTestId('nav-customers').innerText()).toMatch(/Clients/);
    await page.getByTestId('language-en').click();
    await expect.poll(() => page.getByTestId('nav-customers').innerText()).toMatch(/Customers/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('kpi-outstanding').waitFor();
    await expect.poll(() => page.getByTestId('kpi-outstanding').innerText()).toMatch(/€\d[\d,]*\.\d{2}/);
    await page.screenshot({ path: join(SCREENSHOTS, '3-dashboard-en.png'), fullPage: true });
  });

  it('imports a bank statement and applies a proposed match from the review queue', async () => {
    // A customer with something open pays a small amount without any reference: only its name points to it.
    const [target] = await db.query<{ legal_name: string }>(
      `SELECT c.legal_name FROM customers c JOIN invoices i ON i.customer_id = c.id
       WHERE i.open_amount > 100000 AND i.status = 'open' AND i.currency = 'EUR' AND c.country = 'FR' ORDER BY c.external_ref LIMIT 1`,
    );
    const camt = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>E2E</MsgId><CreDtTm>2026-03-30T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>E2E-1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">123.45</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-27</Dt></BookgDt>
<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>${target.legal_name.toUpperCase()}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>acompte</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`;
    await page.getByTestId('language-fr').click();
    await page.getByTestId('nav-imports').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-file').click();
    await (await chooser).setFiles({ name: 'releve-e2e.xml', mimeType: 'application/xml', buffer: Buffer.from(camt) });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('import-report').innerText()).toMatch(/1 à valider/);
    await page.screenshot({ path: join(SCREENSHOTS, '4-import-fr.png'), fullPage: true });

    await page.getByTestId('nav-matching').click();
    await page.getByTestId('match-row').first().waitFor();
    expect(await page.getByTestId('match-row').first().innerText()).toContain(target.legal_name);
    await page.screenshot({ path: join(SCREENSHOTS, '5-matching-fr.png'), fullPage: true });
    await page.getByTestId('match-apply').first().click();
    await expect.poll(() => page.getByTestId('match-row').count()).toBe(0);
    const [payment] = await db.query<{ amount: number }>("SELECT amount FROM payments WHERE reference LIKE 'BANK-%'");
    expect(payment.amount).toBe(12_345);
  });

  it('maps the columns of an unknown spreadsheet by hand, previews, saves the mapping and imports', async () => {
    const [customer] = await db.query<{ external_ref: string }>('SELECT external_ref FROM customers ORDER BY external_ref LIMIT 1');
    const csv = `Num pièce;Tiers;Dt pièce;Dt éch;Solde\nSAGE-1;${customer.external_ref};01/03/2026;31/03/2026;1 234,50\nSAGE-2;${customer.external_ref};02/03/2026;01/04/2026;99,00\n`;
    await page.getByTestId('nav-imports').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-file').click();
    await (await chooser).setFiles({ name: 'export-sage.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-submit').click();
    // Nothing in these headers says what they are: refused, and the editor offers the file's columns.
    await page.getByTestId('import-error').waitFor();
    const editor = page.getByTestId('mapping-editor');
    await editor.waitFor();
    await page.getByTestId('mapping-entity').selectOption('invoices');
    for (const [field, header] of [['number', 'Num pièce'], ['customerRef', 'Tiers'], ['issueDate', 'Dt pièce'], ['dueDate', 'Dt éch'], ['totalInclTax', 'Solde']]) {
      await page.getByTestId(`map-${field}`).selectOption(header);
    }
    await page.getByTestId('mapping-preview').click();
    await expect.poll(async () => (await page.getByTestId('import-report').count()) > 0 && (await page.getByTestId('import-report').innerText())).toMatch(/Simulation factures/);
    expect(await page.getByTestId('import-report').innerText()).toMatch(/2 lignes : 2 créées/);
    await page.screenshot({ path: join(SCREENSHOTS, '4b-mapping-fr.png'), fullPage: true });
    await page.getByTestId('profile-name').fill('sage-e2e');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-saved').waitFor();
    await page.getByTestId('mapping-run').click();
    await expect.poll(async () => (await page.getByTestId('import-report').innerText())).toMatch(/Import factures terminé/);
    const rows = await db.query<{ number: string; total_incl_tax: number }>("SELECT number, total_incl_tax FROM invoices WHERE number LIKE 'SAGE-%' ORDER BY number");
    expect(rows).toEqual([{ number: 'SAGE-1', total_incl_tax: 123_450 }, { number: 'SAGE-2', total_incl_tax: 9_900 }]);
    const [profile] = await db.query<{ entity: string; mapping: Record<string, string> }>("SELECT entity, mapping FROM mapping_profiles WHERE name = 'sage-e2e'");
    expect(profile).toEqual({ entity: 'invoices', mapping: { number: 'Num pièce', customerRef: 'Tiers', issueDate: 'Dt pièce', dueDate: 'Dt éch', totalInclTax: 'Solde' } });

    // Next month's export of the same source: pick the saved mapping, and it goes straight in.
    const next = page.waitForEvent('filechooser');
    await page.getByTestId('import-file').click();
    await (await next).setFiles({ name: 'export-sage-avril.csv', mimeType: 'text/csv', buffer: Buffer.from(`Num pièce;Tiers;Dt pièce;Dt éch;Solde\nSAGE-3;${customer.external_ref};01/04/2026;30/04/2026;10,00\n`) });
    await page.getByTestId('import-profile').selectOption('sage-e2e');
    await page.getByTestId('import-submit').click();
    await expect.poll(async () => (await page.getByTestId('import-report').count()) > 0 && (await page.getByTestId('import-report').innerText())).toMatch(/Import factures terminé/);
    expect((await db.query("SELECT count(*)::int AS n FROM invoices WHERE number = 'SAGE-3'"))[0]).toEqual({ n: 1 });
  });

  it('releases an order put on hold by an order check', async () => {
    const [customer] = await db.query<{ id: string; external_ref: string }>('SELECT id, external_ref FROM customers ORDER BY external_ref LIMIT 1');
    // The ERP's calls, made with the browser's session (with the Origin a page's fetch sends: a
    // cookie-authenticated change without it is refused as cross-site).
    const limit = await page.request.post(`${baseUrl}/api/v1/customers/${customer.id}/limits`, { data: { source: 'internal', amount: '1.00', reason: 'e2e' }, headers: { origin: baseUrl } });
    expect(limit.status()).toBe(201);
    const check = await page.request.post(`${baseUrl}/api/v1/order-checks`, { data: { customerRef: customer.external_ref, amount: '5000.00', orderRef: 'E2E-ORDER' }, headers: { origin: baseUrl } });
    expect((await check.json()).decision).toBe('on_hold');
    await page.getByTestId('nav-held').click();
    await page.getByTestId('held-orders').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '6-held-orders-fr.png'), fullPage: true });
    await page.getByRole('button', { name: 'Débloquer' }).first().click();
    await page.getByText('Aucune commande en attente').waitFor();
    const [row] = await db.query<{ hold_status: string }>("SELECT hold_status FROM order_checks WHERE order_ref = 'E2E-ORDER'");
    expect(row.hold_status).toBe('released');

    // The order check found the limit exceeded: an alert waits in the inbox until acknowledged,
    // its title in French.
    await page.getByTestId('nav-alerts').click();
    const limitAlert = page.getByTestId('alert-row').filter({ hasText: 'de la limite de crédit' });
    await limitAlert.waitFor();
    expect(await limitAlert.innerText()).toMatch(/critique/i);
    await page.screenshot({ path: join(SCREENSHOTS, '7-alerts-fr.png'), fullPage: true });
    await limitAlert.getByTestId('alert-acknowledge').click();
    await expect.poll(() => limitAlert.count()).toBe(0);
  });

  it('follows a legal event from the register to an acknowledged alert, then a limit request to its approval', async () => {
    page.setDefaultTimeout(8_000);
    const created = await page.request.post(`${baseUrl}/api/v1/bulk/customers`, { data: { items: [{ externalRef: 'E2E-GANY', legalName: 'Ganymède SAS', siren: '880878145', country: 'FR' }] }, headers: { origin: baseUrl } });
    expect(created.status()).toBe(200);
    const [customer] = await db.query<{ id: string }>("SELECT id FROM customers WHERE external_ref = 'E2E-GANY'");
    await page.goto(`${baseUrl}/customers/${customer.id}`);
    await page.getByTestId('company-refresh').click();
    const timeline = page.getByTestId('legal-timeline');
    await timeline.waitFor();
    // The server explains in English; the French page says it in French.
    expect(await timeline.innerText()).toContain('radiation du registre du commerce et des sociétés le 23/11/2022');
    await page.getByText(/^Radiée le 23 nov\.? 2022$/).waitFor();
    await page.getByTestId('risk-reasons').getByText('société fermée le 23/11/2022 (radiation)').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '8-customer-legal-fr.png'), fullPage: true });

    await page.getByTestId('nav-alerts').click();
    const legalAlert = page.getByTestId('alert-row').filter({ hasText: 'radiation' });
    await legalAlert.waitFor();
    expect(await legalAlert.innerText()).toMatch(/critique/i);
    await legalAlert.getByTestId('alert-acknowledge').click();
    await expect.poll(() => legalAlert.count()).toBe(0);
    const [alert] = await db.query<{ status: string }>("SELECT a.status FROM alerts a JOIN customers c ON c.id = a.customer_id WHERE c.external_ref = 'E2E-GANY' AND a.title LIKE '%radiation%'");
    expect(alert.status).toBe('acknowledged');

    // A limit request from the customer page, approved in the queue.
    const [other] = await db.query<{ id: string }>("SELECT id FROM customers WHERE external_ref <> 'E2E-GANY' ORDER BY external_ref DESC LIMIT 1");
    await page.goto(`${baseUrl}/customers/${other.id}`);
    await page.getByTestId('limit-request-open').click();
    await page.getByTestId('limit-request-amount').fill('25000');
    await page.getByTestId('limit-request-reason').fill('nouveau contrat cadre');
    await page.getByTestId('limit-request-send').click();
    await page.getByText('Demande envoyée au credit manager.').waitFor();
    await page.getByTestId('nav-limits').click();
    const request = page.getByTestId('limit-request-row').filter({ hasText: 'nouveau contrat cadre' });
    await request.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '9-limit-requests-fr.png'), fullPage: true });
    await request.getByTestId('limit-decision-reason').fill('bon payeur');
    await request.getByTestId('limit-approve').click();
    await expect.poll(() => request.count()).toBe(0);
    const [limit] = await db.query<{ amount: number; reason: string }>('SELECT amount, reason FROM credit_limits WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 1', [other.id]);
    expect(limit).toEqual({ amount: 2_500_000, reason: 'limit request approved: bon payeur' });

    // Settings: the alert thresholds, saved.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('thresholds').fill('60, 80, 100');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-message').waitFor();
    expect(await page.getByTestId('settings-message').innerText()).toContain('Paramètres enregistrés');
    await page.screenshot({ path: join(SCREENSHOTS, '10-settings-fr.png'), fullPage: true });
    const [org] = await db.query<{ settings: { credit: { thresholds: number[] } } }>("SELECT o.settings FROM organisations o JOIN customers c ON c.organisation_id = o.id WHERE c.external_ref = 'E2E-GANY'");
    expect(org.settings.credit.thresholds).toEqual([60, 80, 100]);
  });

  it('manages users (add, disable, new password, close sessions) and changes its own password, in French then English', async () => {
    const colleague = `collegue-${Date.now()}@test.encours`;
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-table').waitFor();
    await page.getByTestId('new-user-name').fill('Paul Durand');
    await page.getByTestId('new-user-email').fill(colleague);
    await page.getByTestId('new-user-password').fill('password12');
    await page.getByTestId('new-user-submit').click();
    await expect.poll(() => page.getByTestId('new-user-error').innerText()).toBe('Mot de passe : est un mot de passe courant, présent dans les listes de fuites');
    await page.getByTestId('new-user-password').fill('trois pommes vertes');
    await page.getByTestId('new-user-submit').click();
    const row = page.getByTestId(`user-row-${colleague}`);
    await row.waitFor();
    await row.getByTestId('user-disable').click();
    await expect.poll(() => page.getByTestId('users-message').innerText()).toContain('Paul Durand est désactivé');
    await row.getByText('Désactivé').waitFor();
    await row.getByTestId('user-reset').click();
    await page.getByTestId('reset-password').fill(colleague);
    await page.getByTestId('reset-submit').click();
    await expect.poll(() => page.getByTestId('reset-error').innerText()).toContain('ne doit pas contenir l’adresse e-mail');
    await page.screenshot({ path: join(SCREENSHOTS, '11-users-reset-fr.png'), fullPage: true });
    await page.getByTestId('reset-password').fill('quatre poires mûres');
    await page.getByTestId('reset-submit').click();
    await expect.poll(() => page.getByTestId('users-message').innerText()).toContain('Mot de passe de Paul Durand changé');
    await row.getByTestId('user-enable').click();
    await row.getByText('Actif').waitFor();
    await row.getByTestId('user-revoke').click();
    await expect.poll(() => page.getByTestId('users-message').innerText()).toContain('0 session de Paul Durand fermée');
    await page.screenshot({ path: join(SCREENSHOTS, '12-users-fr.png'), fullPage: true });
    const [stored] = await db.query<{ disabled_at: Date | null }>('SELECT disabled_at FROM users WHERE email = $1', [colleague]);
    expect(stored.disabled_at).toBeNull();

    await page.getByTestId('language-en').click();
    await page.getByTestId('users-table').getByText('Read only').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '13-users-en.png'), fullPage: true });
    await page.getByTestId('nav-account').click();
    await page.getByTestId('current-password').fill('not my password');
    await page.getByTestId('new-password').fill('a longer passphrase 2026');
    await page.getByTestId('confirm-password').fill('a longer passphrase 2026');
    await page.getByTestId('change-password-submit').click();
    await expect.poll(() => page.getByTestId('account-message').innerText()).toBe('Current password: is wrong');
    await page.getByTestId('current-password').fill(PASSWORD);
    await page.getByTestId('change-password-submit').click();
    await expect.poll(() => page.getByTestId('account-message').innerText()).toContain('Password changed');
    await page.screenshot({ path: join(SCREENSHOTS, '14-account-en.png'), fullPage: true });
    // Still logged in after the change (this session stays), and the new password is the one that works.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('kpi-outstanding').waitFor();
    await page.getByTestId('language-fr').click();
  });
});
