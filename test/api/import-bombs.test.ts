import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireImportSlot } from '../../src/app/imports/import-slots';
import { configureParsePool, DEFAULT_PARSE_POOL } from '../../src/infra/parsing/parse-pool';
import { camtWithReferences, flateBombPdf, heavyXlsx, lyingXlsxBomb } from '../support/hostile-files';
import { json, setupTestApp } from '../support/test-app';

const t = setupTestApp();
const CAMT = join(process.cwd(), '../shared/data/bank-statements/camt/genkgo-camt/camt054.v8.xml');

function upload(kind: 'spreadsheets' | 'einvoices' | 'statements', bytes: Uint8Array, name: string, query = '') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return t.app.inject({ method: 'POST', url: `/api/v1/imports/${kind}${query}`, payload: form as never, headers: t.org.as.credit_manager });
}
const lastImport = async () => json(await t.app.inject({ method: 'GET', url: '/api/v1/imports', headers: t.org.as.viewer })).items[0];

afterAll(() => configureParsePool(DEFAULT_PARSE_POOL));

describe('hostile import files', () => {
  it('refuses an XLSX whose zip directory lies about sizes (1.7 MB declaring 2 KB, inflating to 600 MB), naming the file and the reason', async () => {
    const response = await upload('spreadsheets', await lyingXlsxBomb(600), 'bombe.xlsx');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = json(response);
    expect(problem.detail).toBe('bombe.xlsx cannot be read');
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'file', reason: 'inflates beyond 500 MB (at xl/sharedStrings.xml), whatever its zip headers declare' })]);
    expect(await lastImport()).toMatchObject({ fileName: 'bombe.xlsx', status: 'failed' });
  });

  it('refuses a 3 KB Factur-X PDF with chained FlateDecode filters before inflating anything', async () => {
    const response = await upload('einvoices', await flateBombPdf(3, 1500), 'facture.pdf');
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ detail: 'facture.pdf is not an acceptable e-invoice', errors: [{ field: 'PDF', reason: 'a stream chains 3 filters (at most 2 are accepted): refused as an inflation bomb' }] });
    const capped = await upload('einvoices', await flateBombPdf(2, 25), 'facture2.pdf');
    expect(json(capped).errors).toEqual([{ field: 'PDF embedded file factur-x.xml', reason: 'inflates beyond 20 MB: refused' }]);
  });

  it('refuses a camt with 2 million character references', async () => {
    const response = await upload('statements', camtWithReferences(readFileSync(CAMT, 'utf8'), 2_000_000), 'releve.xml');
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ detail: 'releve.xml is not an acceptable bank statement', errors: [{ field: 'document', reason: 'more than 100,000 character or entity references (&…;): refused before decoding' }] });
  });

  it('parses in a worker thread: a file needing more memory than its worker has kills only that worker, the import is refused and the server keeps answering', async () => {
    configureParsePool({ memoryMb: 64 });
    // Honest sizes, within the zip cap: 150 MB of shared strings exceljs keeps in memory.
    const pending = upload('spreadsheets', await heavyXlsx(150), 'lourd.xlsx');
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    const response = await pending;
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ detail: 'lourd.xlsx cannot be read', errors: [{ field: 'file', reason: 'the file needs more than 64 MB of memory to read' }] });
    expect(await lastImport()).toMatchObject({ fileName: 'lourd.xlsx', status: 'failed' });

    // A new worker takes the dead one's place.
    configureParsePool(DEFAULT_PARSE_POOL);
    const fine = await upload('spreadsheets', new TextEncoder().encode('Code client;Raison sociale\nW1;Ouvrier SA\n'), 'clients.csv');
    expect(fine.statusCode, fine.body).toBe(200);
    expect(json(fine).report.result).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  });

  it('caps the imports one organisation runs at a time (429), and counts background imports not finished yet', async () => {
    const releases = [await acquireImportSlot(t.db, t.org.id), await acquireImportSlot(t.db, t.org.id)];
    const csv = new TextEncoder().encode('Code client;Raison sociale\nW2;Second SA\n');
    for (const kind of ['spreadsheets', 'einvoices', 'statements'] as const) {
      const refused = await upload(kind, csv, 'trop.csv');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(json(refused).detail).toBe('2 imports of this organisation are already running (at most 2 at a time): retry once one has finished');
    }
    releases[0]();
    expect((await upload('spreadsheets', csv, 'ok.csv')).statusCode).toBe(200);
    // A queued background import holds its place until it finishes.
    await t.db.query(`INSERT INTO imports (organisation_id, kind, file_name, file_sha256, status, created_by_type) VALUES ($1, 'spreadsheet', 'queued.csv', 'x', 'running', 'system')`, [t.org.id]);
    expect((await upload('spreadsheets', csv, 'trop.csv')).statusCode).toBe(429);
    await t.db.query(`UPDATE imports SET status = 'failed' WHERE organisation_id = $1 AND file_name = 'queued.csv'`, [t.org.id]);
    releases[1]();
    expect((await upload('spreadsheets', csv, 'ok2.csv')).statusCode).toBe(200);
  });
});
