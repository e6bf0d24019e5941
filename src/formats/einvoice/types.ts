/** An e-invoice normalised from CII (Factur-X/ZUGFeRD/XRechnung) or UBL 2.1 (Peppol BIS 3, XRechnung). */
export type EInvoiceParty = {
  name: string | null;
  /** SIREN (scheme 0002), or the first 9 digits of a SIRET. */
  siren: string | null;
  /** SIRET (scheme 0009). */
  siret: string | null;
  vatNumber: string | null;
  /** Other identifiers with their scheme (GLN 0088, LEI 0199, national registers…). */
  identifiers: { scheme: string | null; id: string }[];
  address: { lines: string[]; postalCode: string | null; city: string | null; countryCode: string | null };
  electronicAddress: { scheme: string | null; id: string } | null;
};

export type EInvoiceKind = 'invoice' | 'credit_note' | 'corrective_invoice';

export type EInvoice = {
  syntax: 'CII' | 'UBL';
  container: 'xml' | 'pdf';
  /** Specification identifier (BT-24): EN 16931, Factur-X profile, XRechnung, Peppol BIS… */
  specification: string | null;
  profile: 'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN 16931' | 'EXTENDED' | 'XRECHNUNG' | 'PEPPOL BIS 3' | 'UNKNOWN';
  kind: EInvoiceKind;
  /** UNTDID 1001 document type code (380, 381, 384…). */
  typeCode: string;
  number: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  /** Amounts as written in the document (decimal strings), in the invoice currency. */
  totals: { lineTotal: string | null; net: string; tax: string | null; gross: string; prepaid: string | null; rounding: string | null; due: string };
  seller: EInvoiceParty;
  buyer: EInvoiceParty;
  paymentTerms: string | null;
  paymentMeans: { code: string | null; iban: string | null; bic: string | null; paymentReference: string | null }[];
  references: { order: string | null; buyerReference: string | null; precedingInvoices: string[]; contract: string | null };
};

export class EInvoiceError extends Error {
  constructor(
    /** Where: an XPath-like element path, a PDF structure, or "document". */
    readonly location: string,
    /** Why, naming the EN 16931 business rule where there is one. */
    readonly reason: string,
  ) {
    super(`${location}: ${reason}`);
    this.name = 'EInvoiceError';
  }
}
