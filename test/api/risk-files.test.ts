import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../src/domain/identifiers';
import { json, setupTestApp } from '../support/test-app';

const t = setupTestApp(); // today = 2026-03-31

const siren = (first8: string) => `${first8}${luhnCheckDigit(first8)}`;
const [ACME, BETA, UNKNOWN] = [siren('73282931'), siren('44306184'), siren('12345678')];

function upload(bytes: Uint8Array | string, name: string, query = '') {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  return t.app.inject({ method: 'POST', url: `/api/v1/imports/spreadsheets${query}`, payload: form as never, headers: t.org.as.credit_manager });
}
const get = async (url: string) => json(await t.app.inject({ method: 'GET', url, headers: t.org.as.viewer }));
const idOf = async (ref: string) => (await get(`/api/v1/customers?search=${ref}`)).items.find((c: { externalRef: string }) => c.externalRef === ref).id as string;

describe('bureau, insurer and accounts files', () => {
  it('imports a Creditsafe export keyed by SIREN: the provider comes from the score header, letters and decimal commas are read, every account of the company is rated', async () => {
    await t.app.inject({
      method: 'POST', url: '/api/v1/bulk/customers', headers: t.org.as.credit_manager,
      payload: { items: [
        { externalRef: 'ACME-FR', legalName: 'Acme France', country: 'FR', siren: ACME },
        { externalRef: 'ACME-EXP', legalName: 'Acme France (export)', country: 'FR', siren: ACME },
        { externalRef: 'BETA', legalName: 'Beta Industrie', country: 'FR', siren: BETA },
      ] },
    });
    const csv = [
      'SIREN;Raison sociale;Score Creditsafe;Limite de crédit recommandée;Date du score',
      `${ACME.slice(0, 3)} ${ACME.slice(3, 6)} ${ACME.slice(6)};ACME FRANCE;72;45 000,00;15/03/2026`,
      `${BETA};BETA INDUSTRIE;B;;2026-03-16`,
    ].join('\r\n');
    const response = await upload(csv, 'creditsafe-portefeuille.csv');
    expect(response.statusCode).toBe(200);
    expect(json(response).report).toMatchObject({ entity: 'ratings', rows: 2, result: { inserted: 3, updated: 0 }, columns: { mapping: { siren: 'SIREN', value: 'Score Creditsafe', ratedOn: 'Date du score' } } });

    for (const ref of ['ACME-FR', 'ACME-EXP']) {
      const id = await idOf(ref);
      expect((await get(`/api/v1/customers/${id}/ratings`)).items).toEqual([{ provider: 'creditsafe', value: '72', score: 72, band: 'B', recommendedLimit: '45000.00', ratedOn: '2026-03-15' }]);
      expect((await get(`/api/v1/customers/${id}/credit`)).limit).toMatchObject({ source: 'provider', amount: '45000.00' });
    }
    // "B" is Creditsafe's 51–70 band: the middle of it.
    expect((await get(`/api/v1/customers/${await idOf('BETA')}/ratings`)).items[0]).toMatchObject({ value: 'B', score: 60, band: 'B' });
    // The same file again changes nothing but says so.
    expect(json(await upload(csv, 'creditsafe-portefeuille.csv')).report.result).toEqual({ inserted: 0, updated: 3, unchanged: 0 });
  });

  it('imports an insurer XLSX with a provider column, covers, percent cells and end dates', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Agréments');
    sheet.addRow(['Code client', 'Assureur', 'Note', 'Date de notation', 'Montant garanti', 'Quotité', 'Fin de validité']);
    sheet.addRow(['BETA', 'Allianz Trade', 4, new Date(Date.UTC(2026, 2, 20)), 30000, 0.9, new Date(Date.UTC(2026, 11, 31))]);
    sheet.getCell('F2').numFmt = '0%';
    const response = await upload(new Uint8Array(await workbook.xlsx.writeBuffer()), 'allianz-trade.xlsx');
    expect(response.statusCode).toBe(200);
    const id = await idOf('BETA');
    const ratings = (await get(`/api/v1/customers/${id}/ratings`)).items;
    expect(ratings[0]).toMatchObject({ provider: 'allianz_trade', value: '4', score: 67, ratedOn: '2026-03-20' });
    const { history } = await get(`/api/v1/customers/${id}/credit`);
    expect(history.find((l: { source: string }) => l.source === 'insurer')).toMatchObject({ amount: '30000.00', coverPercent: '90.00', validUntil: '2026-12-31' });
  });

  it('imports annual accounts (French headings) and scores them with the worked example of domain-rules §3', async () => {
    const csv = [
      'SIREN;Date de clôture;Total bilan;Actif circulant;Dettes à court terme;Total dettes;Capitaux propres;Réserves;Résultat d\'exploitation;Chiffre d\'affaires;Dettes financières;Disponibilités;Stocks;Charges financières;EBE;Dettes à long terme;Charges de personnel;Valeur ajoutée',
      `${BETA};31/12/2025;10 000 000;4 000 000;2 500 000;6 500 000;3 500 000;1 500 000;800 000;10 000 000;3 000 000;500 000;1 500 000;150 000;900 000;1 500 000;2 000 000;3 500 000`,
    ].join('\n');
    const response = await upload(csv, 'bilans.csv');
    expect(response.statusCode).toBe(200);
    expect(json(response).report).toMatchObject({ entity: 'financials', result: { inserted: 1 } });
    const [statement] = (await get(`/api/v1/customers/${await idOf('BETA')}/financial-statements`)).items;
    expect(statement).toMatchObject({ fiscalYearEnd: '2025-12-31', source: 'import', figures: { equity: '3500000.00' }, altmanZ2: { score: 2.58, zone: 'grey' }, conanHolder: { score: 11.3 } });
  });

  it('refuses a file with every wrong line, column and reason, and stores nothing of it', async () => {
    // Cells that cannot be read stop the writing; the rest of the file is still checked.
    const unreadable = await upload(['Code client;Fournisseur;Score;Date;Montant garanti;Quotité', 'BETA;Graydon;50;2026-03-01;;', 'BETA;Coface;7;01/13/2026;10 000;'].join('\n'), 'notes.csv');
    expect(unreadable.statusCode).toBe(400);
    expect(json(unreadable).errors).toEqual([
      { field: 'line 2, Fournisseur', reason: 'unknown provider (Creditsafe, Altares, Allianz Trade, Coface, Paydex)', value: 'Graydon' },
      { field: 'line 3, Date', reason: 'not a date (expected dd/mm/yyyy or yyyy-mm-dd)', value: '01/13/2026' },
      { field: 'line 3, Quotité', reason: 'is required', value: '' },
    ]);

    const csv = [
      'SIREN;Fournisseur;Score;Date',
      `${UNKNOWN};Creditsafe;50;2026-03-01`,
      `${BETA};Altares;25;2026-03-01`,
      '123;Creditsafe;E;2026-03-01',
      `${ACME};Coface;6;2026-03-01`,
    ].join('\n');
    const response = await upload(csv, 'notes.csv');
    expect(response.statusCode).toBe(400);
    expect(json(response).errors).toEqual([
      { field: 'line 2, SIREN', reason: 'no customer has this SIREN', value: UNKNOWN },
      { field: 'line 3, Score', reason: 'altares score 25 is outside 0–20', value: '25' },
      { field: 'line 4, SIREN', reason: 'a SIREN has exactly 9 digits', value: '123' },
      { field: 'line 4, Score', reason: 'Creditsafe "E" means not rated: there is no score to store', value: 'E' },
    ]);
    // Line 5 was valid, but the file is all or nothing.
    expect((await get(`/api/v1/customers/${await idOf('ACME-FR')}/ratings`)).items.map((r: { provider: string }) => r.provider)).toEqual(['creditsafe']);

    const headers = await upload('Société;Note\nBeta;5\n', 'incomplet.csv', '?entity=ratings');
    expect(json(headers).errors.map((e: { field: string }) => e.field)).toEqual(['customerRef or siren', 'ratedOn']);
  });
});
