import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createTestOrg, json, setupTestApp, type TestOrg } from '../support/test-app';
import { orgRowCounts } from '../support/org-rows';

const t = setupTestApp();

/** What Excel's "CSV (séparateur: point-virgule)" writes on a French Windows: Windows-1252 (Latin-1 for these characters). */
const windows1252 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
function upload(bytes: Uint8Array | string, name: string, query = '') {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  return t.app.inject({ method: 'POST', url: `/api/v1/imports/spreadsheets${query}`, payload: form as never, headers: t.org.as.credit_manager });
}
const get = async (url: string) => json(await t.app.inject({ method: 'GET', url, headers: t.org.as.viewer }));

const customersCsv = '\uFEFFCode client;Raison sociale;SIREN;Ville;Société mère;Délai de paiement\r\nC1;Boulangerie Dupont;732829320;Lyon;;30\r\nC2;Filiale Dupont Sud;;Nîmes;C1;45\r\n';
const invoicesCsv = [
  'N° facture;Code client;Date facture;Date d\'échéance;Montant HT;Montant TTC;Type',
  'FA-001;C1;05/01/2026;04/02/2026;1 000,00;1 200,00;Facture',
  'FA-002;C2;15/01/2026;14/03/2026;250,50;300,60;',
  'AV-001;C1;20/01/2026;20/01/2026;100,00;120,00;Avoir',
].join('\r\n');

describe('spreadsheet imports', () => {
  it('imports French customers then invoices (Windows-1252, ";", decimal comma, dd/mm/yyyy, BOM)', async () => {
    const customers = await upload(customersCsv, 'clients.csv');
    expect(customers.statusCode, customers.body).toBe(200);
    expect(json(customers).report).toMatchObject({ entity: 'customers', rows: 2, result: { inserted: 2 }, columns: { mapping: { externalRef: 'Code client', legalName: 'Raison sociale', parentRef: 'Société mère' } } });
    const response = await upload(windows1252(invoicesCsv), 'factures.csv');
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response).report).toMatchObject({ entity: 'invoices', rows: 3, result: { inserted: 3, updated: 0, unchanged: 0 }, errorCount: 0 });
    const invoices = (await get('/api/v1/invoices?sort=number')).items;
    expect(invoices.map((i: { number: string; totalInclTax: string; dueDate: string; kind: string }) => [i.number, i.totalInclTax, i.dueDate, i.kind])).toEqual([
      ['AV-001', '-120.00', '2026-01-20', 'credit_note'],
      ['FA-001', '1200.00', '2026-02-04', 'invoice'],
      ['FA-002', '300.60', '2026-03-14', 'invoice'],
    ]);
    const child = (await get('/api/v1/customers?search=Filiale')).items[0];
    expect((await get(`/api/v1/customers/${child.id}`)).parent.legalName).toBe('Boulangerie Dupont');
  });

  it('is idempotent', async () => {
    expect(json(await upload(windows1252(invoicesCsv), 'factures.csv')).report.result).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it('reports every wrong row with line, column, value and reason, and writes nothing', async () => {
    const bad = ['Invoice No,Customer code,Invoice date,Due date,Amount incl tax', 'E-1,C1,2026-01-05,2026-02-05,100.00', 'E-2,C1,31/02/2026,2026-03-05,100.00', 'E-3,C9,2026-01-05,2026-02-05,abc', 'E-4,C1,2026-01-05,2026-01-01,50.00'].join('\n');
    const response = await upload(bad, 'bad.csv');
    expect(response.statusCode).toBe(400);
    const problem = json(response);
    expect(problem.detail).toMatch(/^2 error\(s\) in bad\.csv; nothing was written/);
    expect(problem.errors).toEqual([
      { field: 'line 3, Invoice date', reason: 'not a date (expected dd/mm/yyyy or yyyy-mm-dd)', value: '31/02/2026' },
      { field: 'line 4, Amount incl tax', reason: 'not an amount', value: 'abc' },
    ]);
    expect((await get('/api/v1/invoices?search=E-')).items).toEqual([]);
    const imports = (await get('/api/v1/imports')).items;
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${imports[0].id}/errors.csv`, headers: t.org.as.viewer });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('"3";"Invoice date";"31/02/2026";"not a date (expected dd/mm/yyyy or yyyy-mm-dd)"');

    // Once the cells read well, the ledger's own rules speak: due date before issue, then unknown customer.
    const second = bad.replace('31/02/2026', '2026-02-01').replace(',abc', ',10.00');
    expect(json(await upload(second, 'bad2.csv')).errors).toEqual([{ field: 'line 5, Due date', reason: 'due date 2026-01-01 is before the issue date 2026-01-05', value: '2026-01-01' }]);
    expect(json(await upload(second.replace('2026-01-01,50.00', '2026-02-01,50.00'), 'bad3.csv')).errors).toEqual([{ field: 'line 4, Customer code', reason: 'unknown customer', value: 'C9' }]);
  });

  it('neutralises formulas quoted from the file in the errors CSV, keeping negative amounts as numbers', async () => {
    const hostile = ['Invoice No,Customer code,Invoice date,Due date,Amount incl tax', 'X-1,C1,2026-01-05,2026-02-05,"=HYPERLINK(""http://evil.example"",""x"")"', 'X-2,C1,2026-01-05,not-a-date,-12.50'].join('\n');
    const response = await upload(hostile, 'hostile.csv');
    expect(response.statusCode).toBe(400);
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${json(response).importId}/errors.csv`, headers: t.org.as.viewer });
    expect(csv.body).toContain(`"2";"Amount incl tax";"'=HYPERLINK(""http://evil.example"",""x"")";"not an amount"`);
    expect(csv.body).toContain('"3";"Due date";"not-a-date";');
    expect(csv.body).not.toMatch(/;"=/);
  });

  it('refuses a file of several batches whose later batch is wrong, keeping nothing of the earlier ones', async () => {
    // Batches are stored while the next is read: a refusal found by the database in the second
    // batch must still undo the first, and the third is still checked row by row.
    const rows = ['N° facture;Code client;Date facture;Date d\'échéance;Montant TTC'];
    for (let i = 1; i <= 12_500; i++) {
      const customer = i === 7_000 ? 'C404' : 'C1';
      const due = i === 11_000 ? '31/02/2026' : '04/02/2026';
      rows.push(`MB-${i};${customer};05/01/2026;${due};10,00`);
    }
    const response = await upload(rows.join('\r\n'), 'lots.csv');
    expect(response.statusCode).toBe(400);
    expect(json(response).errors).toEqual([
      { field: 'line 7001, Code client', reason: 'unknown customer', value: 'C404' },
      { field: "line 11001, Date d'échéance", reason: 'not a date (expected dd/mm/yyyy or yyyy-mm-dd)', value: '31/02/2026' },
    ]);
    expect((await get('/api/v1/invoices?search=MB-')).items).toEqual([]);
  });

  it('keeps the rows of one payment together across batches, and refuses a payment whose rows are apart', async () => {
    const header = 'Référence;Code client;Date règlement;Montant';
    // 5 001 rows: the batch of 5 000 would end between the two rows of PAY-SPLIT.
    const rows = [header, ...Array.from({ length: 4_999 }, (_, i) => `PAY-${i + 1};C1;10/01/2026;1,00`), 'PAY-SPLIT;C1;10/01/2026;2,00', 'PAY-SPLIT;C1;10/01/2026;3,00'];
    const response = await upload(rows.join('\r\n'), 'reglements.csv');
    expect(json(response).report).toMatchObject({ entity: 'payments', rows: 5_001, result: { inserted: 5_000 }, errorCount: 0 });
    const stored = (pattern: string) =>
      t.db.query<{ reference: string; amount: number }>('SELECT reference, amount FROM payments WHERE organisation_id = $1 AND reference LIKE $2 ORDER BY reference', [t.org.id, pattern]);
    expect(await stored('PAY-SPLIT')).toEqual([{ reference: 'PAY-SPLIT', amount: 500 }]);

    // A reference stored with the first batch, read again after it: the file is refused whole.
    const apart = [header, ...Array.from({ length: 5_001 }, (_, i) => `APART-${i + 1};C1;10/01/2026;1,00`), 'APART-7;C1;10/01/2026;4,00'];
    const refused = await upload(apart.join('\r\n'), 'reglements-2.csv');
    expect(refused.statusCode).toBe(400);
    expect(json(refused).errors).toEqual([
      { field: 'line 5003, Référence', reason: 'the rows of one payment must follow one another: this reference was already read at line 8', value: 'APART-7' },
    ]);
    expect(await stored('APART-%')).toEqual([]);
  });

  it('previews a dry run without writing', async () => {
    const preview = await upload('Invoice No,Customer code,Invoice date,Due date,Amount incl tax\nD-1,C1,2026-01-05,2026-02-05,"1,234.56"\n', 'dry.csv', '?dryRun=true');
    expect(json(preview).report).toMatchObject({ isDryRun: true, result: { inserted: 1 } });
    expect((await get('/api/v1/invoices?search=D-1')).items).toEqual([]);
  });

  it('a dry run stores nothing at all, not even an import or a job, even when asked to run in the background', async () => {
    const before = await orgRowCounts(t.db, t.org.id);
    const csv = 'Invoice No,Customer code,Invoice date,Due date,Amount incl tax\nD-2,C1,2026-01-05,2026-02-05,"10.00"\n';
    for (const query of ['?dryRun=true', '?dryRun=true&async=true']) {
      const preview = await upload(csv, 'dry.csv', query);
      expect(preview.statusCode, preview.body).toBe(200);
      expect(json(preview)).toMatchObject({ importId: null, report: { isDryRun: true, result: { inserted: 1 } } });
    }
    const refused = await upload('Invoice No,Customer code,Invoice date,Due date,Amount incl tax\nD-3,NOBODY,2026-01-05,2026-02-05,"10.00"\n', 'dry.csv', '?dryRun=true');
    expect(refused.statusCode).toBe(400);
    expect(json(refused).importId).toBeUndefined();
    expect(await orgRowCounts(t.db, t.org.id)).toEqual(before);
  });

  it('imports an XLSX workbook (numbers and dates as cells) and payments grouped by reference', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Règlements');
    sheet.addRow(['Référence', 'Code client', 'Date règlement', 'Montant', 'N° facture']);
    sheet.addRow(['VIR-1', 'C1', new Date(Date.UTC(2026, 1, 10)), 1000, 'FA-001']);
    sheet.addRow(['VIR-1', 'C1', new Date(Date.UTC(2026, 1, 10)), 200, 'FA-001X']);
    const bad = await upload(new Uint8Array(await workbook.xlsx.writeBuffer()), 'reglements.xlsx');
    expect(json(bad).errors).toEqual([{ field: 'line 3, N° facture', reason: 'unknown invoice', value: 'FA-001X' }]);
    sheet.getRow(3).getCell(5).value = 'FA-002';
    const ok = await upload(new Uint8Array(await workbook.xlsx.writeBuffer()), 'reglements.xlsx');
    expect(json(ok).report).toMatchObject({ entity: 'payments', rows: 2, result: { inserted: 1 } });
    const payment = (await get('/api/v1/payments')).items.find((p: { reference: string }) => p.reference === 'VIR-1');
    expect(payment).toMatchObject({ amount: '1200.00', receivedDate: '2026-02-10', unappliedAmount: '0.00' });
    expect(payment.allocations.map((a: { invoiceNumber: string; amount: string }) => [a.invoiceNumber, a.amount])).toEqual([['FA-001', '1000.00'], ['FA-002', '200.00']]);
  });

  it('runs in the background on request, with progress to follow', async () => {
    const rows = ['Invoice No;Customer code;Invoice date;Due date;Amount incl tax', ...Array.from({ length: 4500 }, (_, i) => `BG-${i};C1;01/03/2026;31/03/2026;${i},50`)].join('\n');
    const started = await upload(rows, 'big.csv', '?async=true');
    expect(started.statusCode).toBe(202);
    const { importId } = json(started);
    let state = await get(`/api/v1/imports/${importId}`);
    const seen = new Set<string>();
    while (state.status === 'running') {
      seen.add(state.status);
      expect(state.estimatedRows).toBe(4500);
      await new Promise((r) => setTimeout(r, 20));
      state = await get(`/api/v1/imports/${importId}`);
    }
    expect(state).toMatchObject({ status: 'succeeded', progress: 100, report: { entity: 'invoices', rows: 4500, result: { inserted: 4500 } } });
  });

  it('keeps the headers and the reasons of a refused background import, and lists the fields to map them to', async () => {
    const started = json(await upload('Num pièce;Tiers;Solde\nX-1;C1;12,00\n', 'inconnu.csv', '?async=true&entity=invoices'));
    let state = await get(`/api/v1/imports/${started.importId}`);
    while (state.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      state = await get(`/api/v1/imports/${started.importId}`);
    }
    expect(state).toMatchObject({ status: 'failed', report: { entity: 'invoices', headers: ['Num pièce', 'Tiers', 'Solde'], errorCount: 4 } });
    expect(state.report.errors[0]).toEqual({ line: 1, column: 'number', value: '', reason: 'no column for this field (rename the header or send a mapping profile)' });
    const { entities } = await get('/api/v1/imports/spreadsheet-fields');
    expect(entities.find((e: { entity: string }) => e.entity === 'invoices').fields.filter((f: { required: boolean }) => f.required).map((f: { name: string }) => f.name)).toEqual(['number', 'customerRef', 'issueDate', 'dueDate', 'totalInclTax']);
    expect(entities.map((e: { entity: string }) => e.entity)).toEqual(['customers', 'invoices', 'payments', 'orders', 'ratings', 'financials']);
  });

  it('uses a saved mapping profile for a source with its own headers', async () => {
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/mapping-profiles/export-sage',
      headers: t.org.as.credit_manager,
      payload: { entity: 'invoices', mapping: { number: 'Num pièce', customerRef: 'Tiers', issueDate: 'Dt pièce', dueDate: 'Dt éch', totalInclTax: 'Solde' } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const csv = 'Num pièce;Tiers;Dt pièce;Dt éch;Solde\nS-1;C1;01/03/2026;31/03/2026;42,00\n';
    const response = await upload(csv, 'sage.csv', '?profileName=export-sage');
    expect(json(response).report).toMatchObject({ entity: 'invoices', result: { inserted: 1 }, columns: { mapping: { number: 'Num pièce', totalInclTax: 'Solde' } } });
    expect((await get('/api/v1/mapping-profiles')).items[0]).toMatchObject({ name: 'export-sage', entity: 'invoices' });
    expect((await upload(csv, 'sage.csv', '?profileName=nope')).statusCode).toBe(400);
  });

  it('refuses a file whose columns say nothing it knows, and zip bombs', async () => {
    expect(json(await upload('foo;bar\n1;2\n', 'x.csv')).errors[0].reason).toMatch(/match no layout of customers, invoices, payments, orders, ratings, financials/);
    const missing = await upload('N° facture;Code client\nF1;C1\n', 'x.csv', '?entity=invoices');
    expect(json(missing).errors.map((e: { field: string }) => e.field)).toEqual(['issueDate', 'dueDate', 'totalInclTax']);
  });
});
