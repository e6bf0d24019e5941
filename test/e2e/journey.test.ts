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

const SCREENSHOTS = join(PROJECT_ROOT, 'test-results/e2e');
const EMAIL = `e2e-${Date.now()}@test.encours`;
const PASSWORD = 'e2e password 123';

let db: Db;
let app: Awaited<ReturnType<typeof buildApp>>;
let browser: Browser;
let page: Page;
let baseUrl: string;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = await openTestDb();
  const clock = systemClock();
  const { organisation } = await createOrganisation({ db, name: 'Démo E2E', admin: { email: EMAIL, name: 'Claire Martin', password: PASSWORD } });
  await loadDemoPortfolio({ db, actor: systemActor(organisation.id), demo: { customers: 40, months: 12, seed: 3, asOf: clock.today() } });
  app = await buildApp({ db, clock, webDir: join(PROJECT_ROOT, 'dist/web') });
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

  it('releases an order put on hold by an order check', async () => {
    const [customer] = await db.query<{ id: string; external_ref: string }>('SELECT id, external_ref FROM customers ORDER BY external_ref LIMIT 1');
    // The ERP's calls, made with the browser's session.
    const limit = await page.request.post(`${baseUrl}/api/v1/customers/${customer.id}/limits`, { data: { source: 'internal', amount: '1.00', reason: 'e2e' } });
    expect(limit.status()).toBe(201);
    const check = await page.request.post(`${baseUrl}/api/v1/order-checks`, { data: { customerRef: customer.external_ref, amount: '5000.00', orderRef: 'E2E-ORDER' } });
    expect((await check.json()).decision).toBe('on_hold');
    await page.getByTestId('nav-held').click();
    await page.getByTestId('held-orders').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '6-held-orders-fr.png'), fullPage: true });
    await page.getByRole('button', { name: 'Débloquer' }).first().click();
    await page.getByText('Aucune commande en attente').waitFor();
    const [row] = await db.query<{ hold_status: string }>("SELECT hold_status FROM order_checks WHERE order_ref = 'E2E-ORDER'");
    expect(row.hold_status).toBe('released');

    // The order check found the limit exceeded: an alert waits in the inbox until acknowledged.
    await page.getByTestId('nav-alerts').click();
    const limitAlert = page.getByTestId('alert-row').filter({ hasText: 'of the credit limit' });
    await limitAlert.waitFor();
    expect(await limitAlert.innerText()).toMatch(/critique/i);
    await page.screenshot({ path: join(SCREENSHOTS, '7-alerts-fr.png'), fullPage: true });
    await limitAlert.getByTestId('alert-acknowledge').click();
    await expect.poll(() => limitAlert.count()).toBe(0);
  });
});
