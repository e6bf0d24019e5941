import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEInvoice, parseEInvoiceXml } from './parse-einvoice';
import { EInvoiceError } from './types';

const ROOT = join(process.cwd(), '../shared/data/einvoices');
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
const samples = filesUnder(ROOT).filter((f) => /\.(xml|pdf)$/i.test(f));

/** The amount written in the raw XML for an element (first occurrence), read without the parser under test. */
function writtenAmount(xml: string, element: string): string | null {
  const m = new RegExp(`<(?:\\w+:)?${element}(?:\\s[^>]*)?>\\s*([^<]+?)\\s*</`).exec(xml);
  return m ? m[1] : null;
}
/** Same decimal value, compared as text (no float rounding): "1163.4" equals "1163.40". */
const canonical = (v: string) => v.trim().replace(/^\+/, '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
const sameNumber = (a: string | null, b: string | null) => (a === null || b === null ? a === b : canonical(a) === canonical(b));

describe('e-invoice samples (shared/data/einvoices)', () => {
  it('finds the corpus', () => expect(samples.length).toBeGreaterThan(100));

  it.each(samples.map((f) => [relative(ROOT, f), f]))('%s parses with totals equal to those written in its XML', async (_name, file) => {
    const bytes = readFileSync(file);
    const invoice = await parseEInvoice(bytes);
    expect(invoice.number).toBeTruthy();
    expect(invoice.issueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(invoice.currency).toMatch(/^[A-Z]{3}$/);
    if (invoice.container === 'xml') {
      const xml = bytes.toString('utf8');
      if (invoice.syntax === 'CII') {
        expect(sameNumber(invoice.totals.gross, writtenAmount(xml, 'GrandTotalAmount'))).toBe(true);
        expect(sameNumber(invoice.totals.net, writtenAmount(xml, 'TaxBasisTotalAmount'))).toBe(true);
        expect(sameNumber(invoice.totals.due, writtenAmount(xml, 'DuePayableAmount'))).toBe(true);
      } else {
        expect(sameNumber(invoice.totals.gross, writtenAmount(xml, 'TaxInclusiveAmount'))).toBe(true);
        expect(sameNumber(invoice.totals.net, writtenAmount(xml, 'TaxExclusiveAmount'))).toBe(true);
        expect(sameNumber(invoice.totals.due, writtenAmount(xml, 'PayableAmount'))).toBe(true);
      }
    }
  });
});

describe('the same business document as Factur-X PDF, CII and UBL', () => {
  const base = join(ROOT, 'facturx-zugferd-pdf/zugferd-corpus/XML-Rechnung/FX');
  // XRECHNUNG_Einfach's PDF predates the corpus' refreshed XML (issue date 2018 vs 2024): not the same document.
  const names = readdirSync(base).map((f) => f.replace(/\.pdf$/, '')).filter((n) => n !== 'XRECHNUNG_Einfach');
  const ledgerView = (i: Awaited<ReturnType<typeof parseEInvoice>>) => ({
    number: i.number, kind: i.kind, issueDate: i.issueDate, dueDate: i.dueDate, currency: i.currency,
    net: i.totals.net, tax: i.totals.tax, gross: i.totals.gross, due: i.totals.due,
    seller: i.seller.name, buyer: i.buyer.name, buyerVat: i.buyer.vatNumber, sellerVat: i.seller.vatNumber,
  });

  it.each(names)('%s gives identical records', async (name) => {
    const pdf = await parseEInvoice(readFileSync(join(base, `${name}.pdf`)));
    const cii = await parseEInvoice(readFileSync(join(ROOT, `cii/zugferd-corpus/XML-Rechnung/CII/${name}.cii.xml`)));
    const ubl = await parseEInvoice(readFileSync(join(ROOT, `ubl/zugferd-corpus/XML-Rechnung/UBL/${name}.ubl.xml`)));
    expect(pdf.container).toBe('pdf');
    expect(ledgerView(cii)).toEqual(ledgerView(pdf));
    expect(ledgerView(ubl)).toEqual(ledgerView(cii));
  });
});

describe('French Factur-X specifics', () => {
  it('reads SIREN and SIRET from schemes 0002/0009 and keeps a prepayment visible in MINIMUM', async () => {
    const invoice = await parseEInvoice(readFileSync(join(ROOT, 'facturx-zugferd-pdf/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf')));
    expect(invoice).toMatchObject({ profile: 'MINIMUM', kind: 'invoice', number: 'FA-2017-0010', issueDate: '2017-11-13', dueDate: null, currency: 'EUR' });
    expect(invoice.totals).toMatchObject({ net: '624.90', tax: '46.25', gross: '671.15', due: '470.15' });
    expect(invoice.buyer.siren).toMatch(/^\d{9}$/);
  });

  it('recognises a French credit note (type 381)', async () => {
    const invoice = await parseEInvoice(readFileSync(join(ROOT, 'facturx-zugferd-pdf/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Avoir_FR_type381_BASIC.pdf')));
    expect(invoice).toMatchObject({ kind: 'credit_note', typeCode: '381', number: 'AV-2017-0005', profile: 'BASIC' });
  });
});

describe('rejections name the element and the rule', () => {
  const cii = readFileSync(join(ROOT, 'cii/zugferd-corpus/XML-Rechnung/CII/EN16931_Einfach_DueDate.cii.xml'), 'utf8');

  it('refuses a document that is not an invoice', () => {
    expect(() => parseEInvoiceXml('<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>')).toThrow(
      /root element Order is not an invoice/,
    );
    const camt = readFileSync(join(ROOT, '../bank-statements/camt/genkgo-camt/camt053.v2.minimal.xml'), 'utf8');
    expect(() => parseEInvoiceXml(camt)).toThrow(EInvoiceError);
  });

  it('refuses a missing invoice number (BR-02) and wrong totals (BR-CO-15)', () => {
    expect(() => parseEInvoiceXml(cii.replace(/<ram:ID>471102<\/ram:ID>/, ''))).toThrow('/CrossIndustryInvoice/ExchangedDocument/ID: missing invoice number (BT-1, BR-02)');
    expect(() => parseEInvoiceXml(cii.replace('<ram:GrandTotalAmount>529.87', '<ram:GrandTotalAmount>529.88'))).toThrow(/BR-CO-15/);
    expect(() => parseEInvoiceXml(cii.replace('<ram:DuePayableAmount>529.87', '<ram:DuePayableAmount>1e3'))).toThrow(/DuePayableAmount: "1e3" is not a decimal amount/);
  });

  it('refuses entity declarations and malformed or truncated XML', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Invoice>&lol2;</Invoice>';
    expect(() => parseEInvoiceXml(bomb)).toThrow(/DOCTYPE and ENTITY declarations are not accepted/);
    expect(() => parseEInvoiceXml(cii.slice(0, cii.length / 2))).toThrow(/malformed XML/);
  });

  it('refuses a PDF without an embedded invoice', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const pdf = await PDFDocument.create();
    pdf.addPage();
    await expect(parseEInvoice(await pdf.save())).rejects.toThrow(/not a Factur-X/);
  });

  it('never throws anything but EInvoiceError on mutated input (fuzz)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: cii.length - 1 }), fc.integer({ min: 0, max: 200 }), fc.string({ maxLength: 20 }), (at, cut, insert) => {
        const mutated = cii.slice(0, at) + insert + cii.slice(at + cut);
        try {
          parseEInvoiceXml(mutated);
        } catch (error) {
          expect(error).toBeInstanceOf(EInvoiceError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
