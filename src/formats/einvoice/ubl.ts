/** UBL 2.1 Invoice and CreditNote (EN 16931 UBL binding; Peppol BIS Billing 3, XRechnung UBL). */
import { attr, child, children, text, type XmlNode } from '../xml/read-xml';
import { amountAt, classifyIdentifiers, isoDate, kindOf, profileOf } from './common';
import { EInvoiceError, type EInvoice, type EInvoiceParty } from './types';

function party(node: unknown): EInvoiceParty {
  const p = child(node, 'Party');
  const identifiers: EInvoiceParty['identifiers'] = [];
  const legalId = child(p, 'PartyLegalEntity', 'CompanyID');
  if (text(legalId)) identifiers.push({ scheme: attr(legalId, 'schemeID'), id: text(legalId) as string });
  for (const ident of children(p, 'PartyIdentification')) {
    const id = child(ident, 'ID');
    if (text(id)) identifiers.push({ scheme: attr(id, 'schemeID'), id: text(id) as string });
  }
  let vatNumber: string | null = null;
  for (const scheme of children(p, 'PartyTaxScheme')) {
    const taxScheme = text(scheme, 'TaxScheme', 'ID');
    if ((taxScheme ?? 'VAT').toUpperCase() === 'VAT' && text(scheme, 'CompanyID')) vatNumber = (text(scheme, 'CompanyID') as string).replace(/\s/g, '');
  }
  const address = child(p, 'PostalAddress');
  const endpoint = child(p, 'EndpointID');
  const base = {
    name: text(p, 'PartyLegalEntity', 'RegistrationName') ?? text(p, 'PartyName', 'Name'),
    vatNumber,
    identifiers,
    address: {
      lines: [text(address, 'StreetName'), text(address, 'AdditionalStreetName'), text(address, 'AddressLine', 'Line')].filter((l): l is string => !!l),
      postalCode: text(address, 'PostalZone'),
      city: text(address, 'CityName'),
      countryCode: text(address, 'Country', 'IdentificationCode'),
    },
    electronicAddress: text(endpoint) ? { scheme: attr(endpoint, 'schemeID'), id: text(endpoint) as string } : null,
  };
  return { ...base, ...classifyIdentifiers(base) };
}

export function parseUbl(root: XmlNode, container: 'xml' | 'pdf'): EInvoice {
  const rootName = root.Invoice ? 'Invoice' : root.CreditNote ? 'CreditNote' : null;
  if (!rootName) throw new EInvoiceError('document', 'root element is neither Invoice nor CreditNote');
  const doc = root[rootName] as XmlNode;
  const p = (...path: string[]) => `/${rootName}/${path.join('/')}`;

  const specification = text(doc, 'CustomizationID');
  if (!specification) throw new EInvoiceError(p('CustomizationID'), 'missing specification identifier (BT-24, BR-01)');
  const number = text(doc, 'ID');
  if (!number) throw new EInvoiceError(p('ID'), 'missing invoice number (BT-1, BR-02)');
  const issueDate = isoDate(text(doc, 'IssueDate'), p('IssueDate'), 'BT-2, BR-03', true) as string;
  const typeElement = rootName === 'Invoice' ? 'InvoiceTypeCode' : 'CreditNoteTypeCode';
  const typeCode = text(doc, typeElement) ?? (rootName === 'CreditNote' ? '381' : null);
  if (!typeCode) throw new EInvoiceError(p(typeElement), 'missing invoice type code (BT-3, BR-04)');
  const currency = text(doc, 'DocumentCurrencyCode');
  if (!currency) throw new EInvoiceError(p('DocumentCurrencyCode'), 'missing invoice currency (BT-5, BR-05)');

  const sellerNode = child(doc, 'AccountingSupplierParty');
  const buyerNode = child(doc, 'AccountingCustomerParty');
  const seller = party(sellerNode);
  const buyer = party(buyerNode);
  if (!seller.name) throw new EInvoiceError(p('AccountingSupplierParty', 'Party', 'PartyLegalEntity', 'RegistrationName'), 'missing seller name (BT-27, BR-06)');
  if (!buyer.name) throw new EInvoiceError(p('AccountingCustomerParty', 'Party', 'PartyLegalEntity', 'RegistrationName'), 'missing buyer name (BT-44, BR-07)');

  const totals = child(doc, 'LegalMonetaryTotal');
  if (!totals) throw new EInvoiceError(p('LegalMonetaryTotal'), 'missing document totals');
  const t = (name: string) => p('LegalMonetaryTotal', name);
  // The VAT total may be given twice: in the invoice currency and in the VAT accounting currency (BT-111).
  const taxTotal = children(doc, 'TaxTotal')
    .map((tt) => child(tt, 'TaxAmount'))
    .find((amount) => (attr(amount, 'currencyID') ?? currency) === currency);

  const means = children(doc, 'PaymentMeans');
  const dueDate = text(doc, 'DueDate') ?? means.map((m) => text(m, 'PaymentDueDate')).find((d) => !!d) ?? null;

  return {
    syntax: 'UBL',
    container,
    specification,
    profile: profileOf(specification),
    kind: rootName === 'CreditNote' ? 'credit_note' : kindOf(typeCode),
    typeCode,
    number,
    issueDate,
    dueDate: isoDate(dueDate, p('DueDate'), 'BT-9', false),
    currency,
    totals: {
      lineTotal: amountAt(text(totals, 'LineExtensionAmount'), t('LineExtensionAmount'), 'BT-106', false),
      net: amountAt(text(totals, 'TaxExclusiveAmount'), t('TaxExclusiveAmount'), 'BT-109, BR-13', true),
      tax: amountAt(text(taxTotal), p('TaxTotal', 'TaxAmount'), 'BT-110', false),
      gross: amountAt(text(totals, 'TaxInclusiveAmount'), t('TaxInclusiveAmount'), 'BT-112, BR-14', true),
      prepaid: amountAt(text(totals, 'PrepaidAmount'), t('PrepaidAmount'), 'BT-113', false),
      rounding: amountAt(text(totals, 'PayableRoundingAmount'), t('PayableRoundingAmount'), 'BT-114', false),
      due: amountAt(text(totals, 'PayableAmount'), t('PayableAmount'), 'BT-115, BR-15', true),
    },
    seller,
    buyer,
    paymentTerms: children(doc, 'PaymentTerms').map((pt) => text(pt, 'Note')).filter((n): n is string => !!n).join('\n') || null,
    paymentMeans: means.map((m) => ({
      code: text(m, 'PaymentMeansCode'),
      iban: text(m, 'PayeeFinancialAccount', 'ID')?.replace(/\s/g, '') ?? null,
      bic: text(m, 'PayeeFinancialAccount', 'FinancialInstitutionBranch', 'ID'),
      paymentReference: text(m, 'PaymentID'),
    })),
    references: {
      order: text(doc, 'OrderReference', 'ID'),
      buyerReference: text(doc, 'BuyerReference'),
      precedingInvoices: children(doc, 'BillingReference')
        .map((b) => text(b, 'InvoiceDocumentReference', 'ID'))
        .filter((id): id is string => !!id),
      contract: text(doc, 'ContractDocumentReference', 'ID'),
    },
  };
}
