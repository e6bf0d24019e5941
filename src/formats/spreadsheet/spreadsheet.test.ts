import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guessEntity, mapColumns, normalizeHeader } from './columns';
import { csvRows, detectDelimiter, SpreadsheetError, xlsxRows } from './read-rows';
import { INVALID, parseDateCell, parseDecimalCell, parsePercentCell } from './values';

const collect = async (rows: AsyncGenerator<{ line: number; cells: unknown[] }>) => {
  const out = [];
  for await (const r of rows) out.push(r);
  return out;
};

describe('cells', () => {
  it.each([
    ['1 234,56', true, '1234.56'],
    ['1.234,56', true, '1234.56'],
    ['1,234.56', false, '1234.56'],
    ['1,234.56', true, '1234.56'],
    ['-12,5', true, '-12.5'],
    ['12,50 €', true, '12.50'],
    ['(12,50)', true, '-12.50'],
    ['1\u202f234,00', true, '1234.00'],
    ['1,234', false, '1234'],
    ['1,234', true, '1.234'],
    [1234.5, false, '1234.5'],
    ['', true, null],
  ])('amount %j (decimal comma %s) → %j', (raw, decimalComma, expected) => expect(parseDecimalCell(raw, { decimalComma })).toBe(expected));

  it('refuses what is not an amount', () => {
    expect(parseDecimalCell('abc', { decimalComma: true })).toBe(INVALID);
    expect(parseDecimalCell('12,3,4', { decimalComma: true })).toBe(INVALID);
    expect(parseDecimalCell(1e25, { decimalComma: true })).toBe(INVALID);
  });

  it.each([
    ['05/01/2026', '2026-01-05'],
    ['5.1.26', '2026-01-05'],
    ['2026-01-05', '2026-01-05'],
    ['2026-01-05T00:00:00', '2026-01-05'],
    [46027, '2026-01-05'],
    [new Date(Date.UTC(2026, 0, 5)), '2026-01-05'],
  ])('date %j → %s', (raw, expected) => expect(parseDateCell(raw)).toBe(expected));

  it('refuses impossible dates', () => {
    expect(parseDateCell('31/02/2026')).toBe(INVALID);
    expect(parseDateCell('2026-13-01')).toBe(INVALID);
    expect(parseDateCell('demain')).toBe(INVALID);
  });
});

describe('percentages', () => {
  it('reads "90", "92,5 %" and percent cells (0.9) alike, and refuses what is not one', () => {
    const percent = (v: unknown) => parsePercentCell(v, { decimalComma: true });
    expect([percent('90'), percent('92,5 %'), percent(0.9), percent('0,95'), percent('1%'), percent(''), percent('-5'), percent('x')]).toEqual(['90', '92.5', '90', '95', '1', null, INVALID, INVALID]);
  });
});

describe('headers', () => {
  it('normalises and recognises French and English headers', () => {
    expect(normalizeHeader("N° Facture")).toBe('n facture');
    expect(normalizeHeader("Date d'échéance")).toBe('date d echeance');
    expect(normalizeHeader('No. facture')).toBe('n facture');
    expect(guessEntity(['N° facture', 'Code client', 'Date facture', "Date d'échéance", 'Montant TTC'])).toBe('invoices');
    expect(guessEntity(['Invoice No', 'Customer code', 'Invoice date', 'Due date', 'Amount'])).toBe('invoices');
    expect(guessEntity(['Code client', 'Raison sociale', 'SIREN'])).toBe('customers');
    expect(guessEntity(['Référence', 'Date règlement', 'Montant', 'N° facture'])).toBe('payments');
    expect(guessEntity(['SIREN', 'Raison sociale', 'Score Creditsafe', 'Limite de crédit', 'Date du score'])).toBe('ratings');
    expect(guessEntity(['Code client', 'Assureur', 'Note', 'Date', 'Montant garanti', 'Quotité'])).toBe('ratings');
    expect(guessEntity(['SIREN', 'Date de clôture', 'Total bilan', 'Actif circulant', 'Dettes à court terme', 'Total dettes', 'Capitaux propres'])).toBe('financials');
    expect(mapColumns({ entity: 'invoices', headers: ['Facture', 'Client'] }).missing).toEqual(['issueDate', 'dueDate', 'totalInclTax']);
  });
  it('detects the separator from the header line', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });
});

describe('hostile files', () => {
  it('reads Windows-1252 and UTF-8 with BOM alike', async () => {
    const utf8 = await collect(csvRows(new TextEncoder().encode('\uFEFFRaison sociale;Ville\nÉlec Générale;Nîmes\n')));
    const latin = await collect(csvRows(new Uint8Array(Buffer.from('Raison sociale;Ville\nÉlec Générale;Nîmes\n', 'latin1'))));
    expect(utf8).toEqual(latin);
    expect(utf8[1]).toEqual({ line: 2, cells: ['Élec Générale', 'Nîmes'] });
  });

  it('never throws anything but SpreadsheetError on random CSV bytes (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        try {
          await collect(csvRows(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(SpreadsheetError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never throws anything but SpreadsheetError on random or truncated XLSX (fuzz)', async () => {
    const header = Uint8Array.from([0x50, 0x4b, 0x03, 0x04]);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (tail) => {
        const bytes = new Uint8Array([...header, ...tail]);
        try {
          await collect(xlsxRows(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(SpreadsheetError);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a zip declaring an inflated size beyond the limit without inflating it', async () => {
    // One central-directory entry declaring 4 GB uncompressed.
    const cd = new Uint8Array(46 + 1);
    const v = new DataView(cd.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint32(24, 0xffffffff, true);
    v.setUint16(28, 1, true);
    const eocd = new Uint8Array(22);
    const e = new DataView(eocd.buffer);
    e.setUint32(0, 0x06054b50, true);
    e.setUint16(10, 1, true);
    e.setUint32(16, 4, true);
    const bomb = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...cd, ...eocd]);
    await expect(collect(xlsxRows(bomb))).rejects.toThrow('file: inflates beyond 500 MB');
  });
});
