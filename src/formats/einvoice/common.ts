import { EInvoiceError, type EInvoiceKind, type EInvoiceParty } from './types';

/** UNTDID 1001 codes that are credit notes (EN 16931 code list for BT-3). */
const CREDIT_NOTE_CODES = new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']);
const CORRECTIVE_CODES = new Set(['384', '471', '472', '473']);

export function kindOf(typeCode: string): EInvoiceKind {
  if (CREDIT_NOTE_CODES.has(typeCode)) return 'credit_note';
  if (CORRECTIVE_CODES.has(typeCode)) return 'corrective_invoice';
  return 'invoice';
}

/** An amount as written: a plain decimal (EN 16931 forbids exponents and thousands separators). */
export function amountAt(value: string | null, location: string, rule: string, isRequired: true): string;
export function amountAt(value: string | null, location: string, rule: string, isRequired: false): string | null;
export function amountAt(value: string | null, location: string, rule: string, isRequired: boolean): string | null {
  if (value === null) {
    if (isRequired) throw new EInvoiceError(location, `missing (${rule})`);
    return null;
  }
  const v = value.trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(v)) throw new EInvoiceError(location, `"${value}" is not a decimal amount`);
  const [whole, fraction = ''] = v.replace(/^\+/, '').split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

import { DATE_RANGE_REASON, isCalendarDate, isIsoDate } from '../../domain/calendar';

export { addDecimals, sameAmount } from '../decimal';

/** CII dates use format 102 (YYYYMMDD); UBL uses ISO dates. */
export function isoDate(value: string | null, location: string, rule: string, isRequired: boolean): string | null {
  if (value === null) {
    if (isRequired) throw new EInvoiceError(location, `missing (${rule})`);
    return null;
  }
  const v = value.trim();
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(v);
  if (!m) throw new EInvoiceError(location, `"${value}" is not a date`);
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  if (!isCalendarDate(iso)) throw new EInvoiceError(location, `"${value}" is not a calendar date`);
  if (!isIsoDate(iso)) throw new EInvoiceError(location, `"${value}" ${DATE_RANGE_REASON}`);
  return iso;
}

/** Sorts company identifiers by ICD scheme: 0002 SIREN, 0009 SIRET; a French VAT number also gives the SIREN. */
export function classifyIdentifiers(party: Pick<EInvoiceParty, 'identifiers' | 'vatNumber'>): { siren: string | null; siret: string | null } {
  let siren: string | null = null;
  let siret: string | null = null;
  for (const { scheme, id } of party.identifiers) {
    const digits = id.replace(/\s/g, '');
    if (scheme === '0009' && /^\d{14}$/.test(digits)) siret = digits;
    if (scheme === '0002' && /^\d{9}$/.test(digits)) siren = digits;
    if (scheme === '0002' && /^\d{14}$/.test(digits)) siret = siret ?? digits; // some senders put a SIRET under 0002
  }
  if (!siren && siret) siren = siret.slice(0, 9);
  if (!siren && party.vatNumber && /^FR[0-9A-Z]{2}\d{9}$/.test(party.vatNumber.replace(/\s/g, ''))) siren = party.vatNumber.replace(/\s/g, '').slice(4);
  return { siren, siret };
}

export function profileOf(specification: string | null): import('./types').EInvoice['profile'] {
  const s = (specification ?? '').toLowerCase();
  if (s.includes('xrechnung')) return 'XRECHNUNG';
  if (s.includes('peppol')) return 'PEPPOL BIS 3';
  if (s.includes('minimum')) return 'MINIMUM';
  if (s.includes('basicwl')) return 'BASIC WL';
  if (s.includes('extended')) return 'EXTENDED';
  if (s.includes('basic')) return 'BASIC';
  if (s.includes('en16931')) return 'EN 16931';
  return 'UNKNOWN';
}
