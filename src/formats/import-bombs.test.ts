import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { camtWithReferences, flateBombPdf, heavyXlsx, lyingXlsxBomb, workbookEntries, writeZip } from '../../test/support/hostile-files';
import { extractInvoiceXml } from './einvoice/facturx-pdf';
import { parseStatement } from './statements/parse-statement';
import { xlsxRows } from './spreadsheet/read-rows';
import { scanZip } from './spreadsheet/zip-scan';
import { readXml } from './xml/read-xml';

const MB = 1024 * 1024;
const CAMT = join(process.cwd(), '../shared/data/bank-statements/camt/genkgo-camt/camt054.v8.xml');

describe('zip bombs (XLSX)', () => {
  it('counts what the entries really inflate to, whatever the directory declares', async () => {
    const bomb = await lyingXlsxBomb(30);
    expect(bomb.length).toBeLessThan(200_000);
    expect(await scanZip(bomb, 20 * MB)).toEqual({ reason: 'inflates beyond 20 MB (at xl/sharedStrings.xml), whatever its zip headers declare' });
    expect(await scanZip(bomb, 40 * MB)).toBeNull();
  });

  it('refuses through the reader with the real cap (500 MB) a file declaring 2 KB', async () => {
    await expect(async () => {
      for await (const _ of xlsxRows(await lyingXlsxBomb(520))) void _;
    }).rejects.toThrow('file: inflates beyond 500 MB (at xl/sharedStrings.xml), whatever its zip headers declare');
  });

  it('accepts a real workbook, and an honest heavy one within the cap', async () => {
    const entries = await workbookEntries([['Code client', 'Raison sociale'], ['C1', 'Dupont']]);
    expect(await scanZip(writeZip(entries.map((e) => ({ name: e.name, data: deflateRawSync(e.data), method: 8, declaredSize: e.data.length }))), 1 * MB)).toBeNull();
    expect(await scanZip(await heavyXlsx(5), 10 * MB)).toBeNull();
  });

  it('refuses entries that do not follow one another as the directory says (what exceljs reads would not be what was counted)', async () => {
    const entries = await workbookEntries([['a'], ['b']]);
    const zip = writeZip(entries.map((e) => ({ name: e.name, data: deflateRawSync(e.data), method: 8, declaredSize: e.data.length })));
    // Point the directory's second entry 100 bytes further: a hidden region the scan would skip.
    const directory = zip.readUInt32LE(zip.length - 22 + 16);
    const second = directory + 46 + zip.readUInt16LE(directory + 28);
    zip.writeUInt32LE(zip.readUInt32LE(second + 42) + 100, second + 42);
    expect((await scanZip(zip, MB))?.reason).toMatch(/do not follow one another|damaged zip entry/);
    const stored = writeZip([{ name: 'x.xml', data: Buffer.from('abc'), method: 12 as 0, declaredSize: 3 }]);
    expect(await scanZip(stored, MB)).toEqual({ reason: 'zip entry x.xml uses compression method 12 (only stored and deflate are accepted)' });
  });
});

describe('PDF inflation bombs (Factur-X)', () => {
  it('refuses chained FlateDecode filters beyond two before loading the document (a 3 KB file inflating to gigabytes)', async () => {
    const bomb = await flateBombPdf(3, 1500);
    expect(bomb.length).toBeLessThan(10_000);
    await expect(extractInvoiceXml(bomb)).rejects.toThrow('PDF: a stream chains 3 filters (at most 2 are accepted): refused as an inflation bomb');
  });

  it('inflates the embedded file with an output cap at every filter', async () => {
    await expect(extractInvoiceXml(await flateBombPdf(2, 25))).rejects.toThrow('PDF embedded file factur-x.xml: inflates beyond 20 MB: refused');
    await expect(extractInvoiceXml(await flateBombPdf(1, 21))).rejects.toThrow('inflates beyond 20 MB');
  });
});

describe('XML character references', () => {
  it('refuses a camt with 2 million character references before decoding them', () => {
    const hostile = camtWithReferences(readFileSync(CAMT, 'utf8'), 2_000_000);
    expect(() => parseStatement(hostile)).toThrow('document: more than 100,000 character or entity references (&…;): refused before decoding');
  });

  it('still reads ordinary documents with a few references', () => {
    expect(readXml('<a><b>Dupont &amp; Fils</b></a>')).toEqual({ a: { b: 'Dupont & Fils' } });
    expect(parseStatement(camtWithReferences(readFileSync(CAMT, 'utf8'), 50)).statements[0].lines.length).toBeGreaterThan(0);
  });
});
