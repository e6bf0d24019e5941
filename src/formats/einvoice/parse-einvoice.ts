/**
 * One entry point for e-invoices: Factur-X/ZUGFeRD PDF, CII XML or UBL XML in, a normalised
 * EInvoice out, or an EInvoiceError naming the element and the EN 16931 rule that failed.
 */
import { readXml, XmlReadError } from '../xml/read-xml';
import { parseCii } from './cii';
import { addDecimals, sameAmount } from './common';
import { extractInvoiceXml, isPdf } from './facturx-pdf';
import { EInvoiceError, type EInvoice } from './types';
import { parseUbl } from './ubl';

const REPEATING = new Set(['TaxTotalAmount', 'TaxTotal', 'PaymentMeans', 'SpecifiedTradeSettlementPaymentMeans', 'SpecifiedTradePaymentTerms', 'BillingReference', 'InvoiceReferencedDocument', 'PartyIdentification', 'PartyTaxScheme', 'SpecifiedTaxRegistration', 'PaymentTerms', 'ID', 'GlobalID']);

export async function parseEInvoice(input: Uint8Array | string): Promise<EInvoice> {
  let xml: string;
  let container: 'xml' | 'pdf' = 'xml';
  if (typeof input !== 'string' && isPdf(input)) {
    xml = (await extractInvoiceXml(input)).xml;
    container = 'pdf';
  } else {
    xml = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  }
  return parseEInvoiceXml(xml, container);
}

export function parseEInvoiceXml(xml: string, container: 'xml' | 'pdf' = 'xml'): EInvoice {
  let root: Record<string, unknown>;
  try {
    root = readXml(xml, { isArray: (name) => REPEATING.has(name) });
  } catch (error) {
    if (error instanceof XmlReadError) throw new EInvoiceError(error.location, error.reason);
    throw error;
  }
  const rootName = Object.keys(root).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  let invoice: EInvoice;
  if (rootName === 'CrossIndustryInvoice') invoice = parseCii(root, container);
  else if (rootName === 'Invoice' || rootName === 'CreditNote') invoice = parseUbl(root, container);
  else {
    throw new EInvoiceError(
      rootName ? `/${rootName}` : 'document',
      `${rootName ? `root element ${rootName}` : 'no root element'} is not an invoice (expected CII CrossIndustryInvoice, or UBL Invoice or CreditNote)`,
    );
  }
  checkTotals(invoice);
  return invoice;
}

/** EN 16931 totals arithmetic: BR-CO-15 (gross = net + VAT) and BR-CO-16 (due = gross − prepaid + rounding). */
function checkTotals(invoice: EInvoice) {
  const { net, tax, gross, prepaid, rounding, due } = invoice.totals;
  if (tax !== null && !sameAmount(addDecimals(net, tax), gross)) {
    throw new EInvoiceError('totals', `BR-CO-15: total with VAT ${gross} ≠ total without VAT ${net} + VAT ${tax}`);
  }
  // Factur-X MINIMUM and BASIC WL have no prepaid element: a prepayment only shows in the amount due.
  if (!prepaid && (invoice.profile === 'MINIMUM' || invoice.profile === 'BASIC WL')) return;
  const expectedDue = addDecimals(gross, prepaid ? (prepaid.startsWith('-') ? prepaid.slice(1) : `-${prepaid}`) : null, rounding);
  if (!sameAmount(expectedDue, due)) {
    throw new EInvoiceError('totals', `BR-CO-16: amount due ${due} ≠ total with VAT ${gross} − prepaid ${prepaid ?? '0'} + rounding ${rounding ?? '0'}`);
  }
}
