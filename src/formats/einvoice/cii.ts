/**
 * UN/CEFACT Cross Industry Invoice (D16B, as profiled by Factur-X / ZUGFeRD 2 and XRechnung).
 * Paths follow the EN 16931 CII syntax binding; BT numbers are the semantic model's.
 */
import { attr, child, children, text, type XmlNode } from '../xml/read-xml';
import { amountAt, classifyIdentifiers, isoDate, kindOf, profileOf } from './common';
import { EInvoiceError, type EInvoice, type EInvoiceParty } from './types';

const DOC = 'CrossIndustryInvoice';

function party(node: unknown): EInvoiceParty {
  const identifiers: EInvoiceParty['identifiers'] = [];
  for (const id of children(node, 'ID')) {
    const value = text(id);
    if (value) identifiers.push({ scheme: attr(id, 'schemeID'), id: value });
  }
  for (const id of children(node, 'GlobalID')) {
    const value = text(id);
    if (value) identifiers.push({ scheme: attr(id, 'schemeID'), id: value });
  }
  const legal = child(node, 'SpecifiedLegalOrganization', 'ID');
  const legalId = text(legal);
  if (legalId) identifiers.unshift({ scheme: attr(legal, 'schemeID'), id: legalId });
  let vatNumber: string | null = null;
  for (const reg of children(node, 'SpecifiedTaxRegistration')) {
    const id = child(reg, 'ID');
    if (attr(id, 'schemeID') === 'VA' && text(id)) vatNumber = (text(id) as string).replace(/\s/g, '');
  }
  const address = child(node, 'PostalTradeAddress');
  const uri = child(node, 'URIUniversalCommunication', 'URIID');
  const base = {
    name: text(node, 'Name'),
    vatNumber,
    identifiers,
    address: {
      lines: [text(address, 'LineOne'), text(address, 'LineTwo'), text(address, 'LineThree')].filter((l): l is string => !!l),
      postalCode: text(address, 'PostcodeCode'),
      city: text(address, 'CityName'),
      countryCode: text(address, 'CountryID'),
    },
    electronicAddress: text(uri) ? { scheme: attr(uri, 'schemeID'), id: text(uri) as string } : null,
  };
  return { ...base, ...classifyIdentifiers(base) };
}

export function parseCii(root: XmlNode, container: 'xml' | 'pdf'): EInvoice {
  const doc = root[DOC] as XmlNode | undefined;
  if (!doc) throw new EInvoiceError('document', `root element is not ${DOC}`);
  const p = (...path: string[]) => `/${DOC}/${path.join('/')}`;
  const specification = text(doc, 'ExchangedDocumentContext', 'GuidelineSpecifiedDocumentContextParameter', 'ID');
  if (!specification) throw new EInvoiceError(p('ExchangedDocumentContext', 'GuidelineSpecifiedDocumentContextParameter', 'ID'), 'missing specification identifier (BT-24, BR-01)');
  const exchanged = child(doc, 'ExchangedDocument');
  const number = text(exchanged, 'ID');
  if (!number) throw new EInvoiceError(p('ExchangedDocument', 'ID'), 'missing invoice number (BT-1, BR-02)');
  const typeCode = text(exchanged, 'TypeCode');
  if (!typeCode) throw new EInvoiceError(p('ExchangedDocument', 'TypeCode'), 'missing invoice type code (BT-3, BR-04)');
  const issueDate = isoDate(text(exchanged, 'IssueDateTime', 'DateTimeString'), p('ExchangedDocument', 'IssueDateTime'), 'BT-2, BR-03', true) as string;

  const transaction = child(doc, 'SupplyChainTradeTransaction');
  if (!transaction) throw new EInvoiceError(p('SupplyChainTradeTransaction'), 'missing trade transaction');
  const agreement = child(transaction, 'ApplicableHeaderTradeAgreement');
  const settlement = child(transaction, 'ApplicableHeaderTradeSettlement');
  if (!agreement) throw new EInvoiceError(p('SupplyChainTradeTransaction', 'ApplicableHeaderTradeAgreement'), 'missing trade agreement (seller and buyer)');
  if (!settlement) throw new EInvoiceError(p('SupplyChainTradeTransaction', 'ApplicableHeaderTradeSettlement'), 'missing trade settlement (currency and totals)');
  const sp = (...path: string[]) => p('SupplyChainTradeTransaction', 'ApplicableHeaderTradeSettlement', ...path);

  const sellerNode = child(agreement, 'SellerTradeParty');
  const buyerNode = child(agreement, 'BuyerTradeParty');
  if (!sellerNode || !text(sellerNode, 'Name')) throw new EInvoiceError(p('SupplyChainTradeTransaction', 'ApplicableHeaderTradeAgreement', 'SellerTradeParty', 'Name'), 'missing seller name (BT-27, BR-06)');
  if (!buyerNode || !text(buyerNode, 'Name')) throw new EInvoiceError(p('SupplyChainTradeTransaction', 'ApplicableHeaderTradeAgreement', 'BuyerTradeParty', 'Name'), 'missing buyer name (BT-44, BR-07)');

  const currency = text(settlement, 'InvoiceCurrencyCode');
  if (!currency) throw new EInvoiceError(sp('InvoiceCurrencyCode'), 'missing invoice currency (BT-5, BR-05)');
  const sums = child(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  if (!sums) throw new EInvoiceError(sp('SpecifiedTradeSettlementHeaderMonetarySummation'), 'missing document totals');
  const sum = (name: string) => sp('SpecifiedTradeSettlementHeaderMonetarySummation', name);
  // The VAT total may be given twice: in the invoice currency and in the VAT accounting currency (BT-111).
  const taxTotals = children(sums, 'TaxTotalAmount');
  const taxInCurrency = taxTotals.find((t) => (attr(t, 'currencyID') ?? currency) === currency) ?? null;

  const dueDates = children(settlement, 'SpecifiedTradePaymentTerms')
    .map((terms) => text(terms, 'DueDateDateTime', 'DateTimeString'))
    .filter((d): d is string => !!d);
  const termsText = children(settlement, 'SpecifiedTradePaymentTerms')
    .map((terms) => text(terms, 'Description'))
    .filter((d): d is string => !!d)
    .join('\n');

  return {
    syntax: 'CII',
    container,
    specification,
    profile: profileOf(specification),
    kind: kindOf(typeCode),
    typeCode,
    number,
    issueDate,
    dueDate: isoDate(dueDates[0] ?? null, sp('SpecifiedTradePaymentTerms', 'DueDateDateTime'), 'BT-9', false),
    currency,
    totals: {
      lineTotal: amountAt(text(sums, 'LineTotalAmount'), sum('LineTotalAmount'), 'BT-106', false),
      net: amountAt(text(sums, 'TaxBasisTotalAmount'), sum('TaxBasisTotalAmount'), 'BT-109, BR-13', true),
      tax: amountAt(text(taxInCurrency), sum('TaxTotalAmount'), 'BT-110', false),
      gross: amountAt(text(sums, 'GrandTotalAmount'), sum('GrandTotalAmount'), 'BT-112, BR-14', true),
      prepaid: amountAt(text(sums, 'TotalPrepaidAmount'), sum('TotalPrepaidAmount'), 'BT-113', false),
      rounding: amountAt(text(sums, 'RoundingAmount'), sum('RoundingAmount'), 'BT-114', false),
      due: amountAt(text(sums, 'DuePayableAmount'), sum('DuePayableAmount'), 'BT-115, BR-15', true),
    },
    seller: party(sellerNode),
    buyer: party(buyerNode),
    paymentTerms: termsText || null,
    paymentMeans: children(settlement, 'SpecifiedTradeSettlementPaymentMeans').map((m) => ({
      code: text(m, 'TypeCode'),
      iban: text(m, 'PayeePartyCreditorFinancialAccount', 'IBANID')?.replace(/\s/g, '') ?? null,
      bic: text(m, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID'),
      paymentReference: text(settlement, 'PaymentReference'),
    })),
    references: {
      order: text(agreement, 'BuyerOrderReferencedDocument', 'IssuerAssignedID'),
      buyerReference: text(agreement, 'BuyerReference'),
      precedingInvoices: children(settlement, 'InvoiceReferencedDocument')
        .map((d) => text(d, 'IssuerAssignedID'))
        .filter((d): d is string => !!d),
      contract: text(agreement, 'ContractReferencedDocument', 'IssuerAssignedID'),
    },
  };
}
