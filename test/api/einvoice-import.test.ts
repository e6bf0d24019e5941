import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEInvoice } from '../../src/formats/einvoice/parse-einvoice';
import { createTestOrg, json, setupTestApp, type TestOrg } from '../support/test-app';
import { orgRowCounts } from '../support/org-rows';

const ROOT = join(process.cwd(), '../shared/data/einvoices');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : /\.(xml|pdf)$/i.test(n) ? [join(dir, n)] : []));

const t = setupTestApp();

function upload(name: string, bytes: Uint8Array, headers: { authorization: string } = t.org.as.credit_manager, query = '') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return t.app.inject({ method: 'POST', url: `/api/v1/imports/einvoices${query}`, payload: form as never, headers });
}
const get = async (url: string, as: TestOrg = t.org) => json(await t.app.inject({ method: 'GET', url, headers: as.as.viewer }));

describe('importing e-invoices', () => {
  // The first file also starts a parsing worker thread (a few seconds on a busy machine).
  it('imports every sample: the buyer becomes a customer, totals and amount due as written', { timeout: 120_000 }, async () => {
    // Sample documents reuse numbers ("1234567", "Snippet1"): each goes to an organisation where its number is new.
    const orgs: { org: TestOrg; numbers: Set<string> }[] = [{ org: t.org, numbers: new Set() }];
    for (const file of files(ROOT)) {
      const bytes = readFileSync(file);
      const parsed = await parseEInvoice(bytes);
      let target = orgs.find((o) => !o.numbers.has(parsed.number));
      if (!target) {
        target = { org: await createTestOrg(t.db), numbers: new Set() };
        orgs.push(target);
      }
      target.numbers.add(parsed.number);
      const response = await upload(relative(ROOT, file), bytes, target.org.as.credit_manager);
      expect(response.statusCode, `${relative(ROOT, file)}: ${response.body}`).toBe(201);
      const stored = (await get(`/api/v1/invoices?search=${encodeURIComponent(parsed.number)}`, target.org)).items.find((i: { number: string }) => i.number === parsed.number);
      const sign = parsed.kind === 'credit_note' || parsed.totals.gross.startsWith('-') ? '-' : '';
      const signed = (amount: string) => `${sign}${amount.replace(/^-/, '')}`;
      expect(stored.totalInclTax, file).toBe(signed(parsed.totals.gross));
      expect(stored.totalExclTax, file).toBe(signed(parsed.totals.net));
      if (!sign) {
        const expectedOpen = parsed.totals.prepaid?.startsWith('-') ? parsed.totals.gross : parsed.totals.due.startsWith('-') ? '0.00' : parsed.totals.due;
        expect(stored.openAmount, file).toBe(expectedOpen);
      }
      // The buyer is the customer found by SIREN or VAT number, or a new one with its name.
      const customer = await get(`/api/v1/customers/${stored.customerId}`, target.org);
      const isSameCompany =
        customer.legalName.toLowerCase() === parsed.buyer.name?.toLowerCase() || (parsed.buyer.vatNumber && customer.vatNumber === parsed.buyer.vatNumber) || (parsed.buyer.siren && customer.siren === parsed.buyer.siren);
      expect(isSameCompany, file).toBeTruthy();
    }
  });

  it('a dry run stores nothing, not even the import, and shows exactly what the import then stores', async () => {
    const org = await createTestOrg(t.db);
    const file = join(ROOT, 'facturx-zugferd-pdf/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf');
    const before = await orgRowCounts(t.db, org.id);
    const dry = await upload('Facture_FR_MINIMUM.pdf', readFileSync(file), org.as.credit_manager, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    const preview = json(dry);
    expect(preview).toMatchObject({ importId: null, isDryRun: true });
    expect(preview.report.records).toMatchObject({
      customer: { externalRef: 'SIREN-787878784', legalName: 'Ma jolie boutique', action: 'created' },
      invoice: { number: 'FA-2017-0010', kind: 'invoice', dueDate: '2017-12-13', action: 'created' },
    });
    expect(await orgRowCounts(t.db, org.id)).toEqual(before);
    expect((await get('/api/v1/imports', org)).items).toEqual([]);

    const real = await upload('Facture_FR_MINIMUM.pdf', readFileSync(file), org.as.credit_manager);
    expect(real.statusCode, real.body).toBe(201);
    const { isDryRun: _dry, ...stored } = json(real).report;
    const { isDryRun: _preview, ...previewed } = preview.report;
    expect(stored).toEqual(previewed);
    expect((await get('/api/v1/customers', org)).items).toHaveLength(1);

    // A file refused during a dry run is not recorded either.
    const refused = await upload('not-an-invoice.xml', new TextEncoder().encode('<hello/>'), org.as.credit_manager, '?dryRun=true');
    expect(refused.statusCode).toBe(400);
    expect((await get('/api/v1/imports', org)).items).toHaveLength(1);
  });

  it('is idempotent and reuses the customer found by SIREN', async () => {
    const file = join(ROOT, 'facturx-zugferd-pdf/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf');
    const again = json(await upload('Facture_FR_MINIMUM.pdf', readFileSync(file)));
    expect(again.report).toMatchObject({ number: 'FA-2017-0010', customer: { externalRef: 'SIREN-787878784', isNew: false }, invoice: { inserted: 0, updated: 0, unchanged: 1 } });
    expect(again.report.warnings).toContainEqual(expect.stringMatching(/no due date in the document: 2017-12-13/));
    const customers = (await get('/api/v1/customers?search=787878784')).items;
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ siren: '787878784', legalName: 'Ma jolie boutique' });
  });

  it('rejects a non-invoice precisely, records the failed import and writes nothing', async () => {
    const before = (await get('/api/v1/invoices?limit=500')).items.length;
    const response = await upload('order.xml', new TextEncoder().encode('<?xml version="1.0"?><Order><ID>1</ID></Order>'));
    expect(response.statusCode).toBe(400);
    expect(json(response).errors[0]).toEqual({ field: '/Order', reason: 'root element Order is not an invoice (expected CII CrossIndustryInvoice, or UBL Invoice or CreditNote)' });
    expect((await get('/api/v1/invoices?limit=500')).items.length).toBe(before);
    const imports = (await get('/api/v1/imports')).items;
    expect(imports[0]).toMatchObject({ fileName: 'order.xml', status: 'failed', kind: 'einvoice' });
  });

  it('requires the right role', async () => {
    const file = join(ROOT, 'cii/zugferd-corpus/XML-Rechnung/CII/EN16931_Miete.cii.xml');
    expect((await upload('x.xml', readFileSync(file), t.org.as.viewer)).statusCode).toBe(403);
  });
});
