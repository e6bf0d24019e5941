/**
 * Company and payment identifiers (domain-rules.md §8.3, §8.2).
 * Each validator returns null when valid, or the reason it is not.
 */

/** Luhn checksum: from the right, double every second digit, subtract 9 above 9; valid when the sum is a multiple of 10. */
export function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/** The digit to append to `partial` so that the whole passes Luhn. */
export function luhnCheckDigit(partial: string): number {
  return (10 - (luhnSum(`${partial}0`) % 10)) % 10;
}

export function normalizeDigits(value: string): string {
  return value.replace(/[\s.\-]/g, '');
}

/** SIREN: 9 digits with a Luhn checksum. */
export function sirenError(value: string): string | null {
  const v = normalizeDigits(value);
  if (!/^\d{9}$/.test(v)) return 'a SIREN has exactly 9 digits';
  if (luhnSum(v) % 10 !== 0) return 'the SIREN check digit (Luhn) is wrong';
  return null;
}

const LA_POSTE_SIREN = '356000000';

/** SIRET: 14 digits (SIREN + NIC) with Luhn; La Poste's SIRETs use "sum of digits multiple of 5" instead. */
export function siretError(value: string): string | null {
  const v = normalizeDigits(value);
  if (!/^\d{14}$/.test(v)) return 'a SIRET has exactly 14 digits';
  if (luhnSum(v) % 10 === 0) return null;
  if (v.startsWith(LA_POSTE_SIREN)) {
    const sum = [...v].reduce((s, c) => s + Number(c), 0);
    return sum % 5 === 0 ? null : 'the La Poste SIRET check (sum of digits multiple of 5) fails';
  }
  return 'the SIRET check digit (Luhn) is wrong';
  return null;
}

/** French VAT key: (12 + 3 × (SIREN mod 97)) mod 97, two digits. */
export function frenchVatKey(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return String(key).padStart(2, '0');
}

export function frenchVatNumber(siren: string): string {
  return `FR${frenchVatKey(siren)}${siren}`;
}

/** Intra-EU VAT number formats by country prefix (EL for Greece, XI for Northern Ireland). */
const VAT_FORMATS: Record<string, RegExp> = {
  AT: /^U\d{8}$/,
  BE: /^[01]\d{9}$/,
  BG: /^\d{9,10}$/,
  CY: /^\d{8}[A-Z]$/,
  CZ: /^\d{8,10}$/,
  DE: /^\d{9}$/,
  DK: /^\d{8}$/,
  EE: /^\d{9}$/,
  EL: /^\d{9}$/,
  ES: /^[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^\d{8}$/,
  FR: /^[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^\d{11}$/,
  HU: /^\d{8}$/,
  IE: /^\d{7}[A-W][A-IW]?$|^\d[A-Z+*]\d{5}[A-W]$/,
  IT: /^\d{11}$/,
  LT: /^(\d{9}|\d{12})$/,
  LU: /^\d{8}$/,
  LV: /^\d{11}$/,
  MT: /^\d{8}$/,
  NL: /^\d{9}B\d{2}$/,
  PL: /^\d{10}$/,
  PT: /^\d{9}$/,
  RO: /^\d{2,10}$/,
  SE: /^\d{12}$/,
  SI: /^\d{8}$/,
  SK: /^\d{10}$/,
  XI: /^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
  GB: /^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
  CH: /^E\d{9}(MWST|TVA|IVA)?$/,
  NO: /^\d{9}(MVA)?$/,
};

export function normalizeVat(value: string): string {
  return value.replace(/[\s.\-]/g, '').toUpperCase();
}

/** VAT number: known country format; for France, the numeric key must match the SIREN. */
export function vatNumberError(value: string): string | null {
  const v = normalizeVat(value);
  const country = v.slice(0, 2);
  const format = VAT_FORMATS[country];
  if (!format) return `unknown VAT country prefix "${country}"`;
  const body = v.slice(2);
  if (!format.test(body)) return `"${v}" does not match the ${country} VAT number format`;
  if (country === 'FR') {
    const siren = body.slice(2);
    if (sirenError(siren) && siren !== LA_POSTE_SIREN) return 'the SIREN inside the French VAT number is invalid';
    if (/^\d{2}$/.test(body.slice(0, 2)) && body.slice(0, 2) !== frenchVatKey(siren)) {
      return `the French VAT key should be ${frenchVatKey(siren)} for SIREN ${siren}`;
    }
  }
  return null;
}

/** ISO 7064 mod 97-10 over an alphanumeric string (letters A=10…Z=35), computed in chunks. */
export function mod97(alnum: string): number {
  let remainder = 0;
  for (const ch of alnum) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder;
}

/** LEI (ISO 17442): 20 alphanumerics, the last two check digits satisfy mod 97 = 1. */
export function leiError(value: string): string | null {
  const v = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z0-9]{18}\d{2}$/.test(v)) return 'an LEI has 18 letters or digits followed by 2 check digits';
  if (mod97(v) !== 1) return 'the LEI check digits are wrong';
  return null;
}

/** IBAN (ISO 13616): country, 2 check digits, BBAN; mod 97 of the rearranged string must be 1. */
export function ibanError(value: string): string | null {
  const v = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v)) return 'an IBAN is a country code, 2 check digits and up to 30 letters or digits';
  if (mod97(v.slice(4) + v.slice(0, 4)) !== 1) return 'the IBAN check digits are wrong';
  return null;
}

/** ISO 11649 creditor reference "RF" + 2 check digits + 1–21 alphanumerics. */
export function creditorReference(reference: string): string {
  const ref = reference.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z0-9]{1,21}$/.test(ref)) throw new RangeError('a creditor reference body has 1 to 21 letters or digits');
  const check = 98 - mod97(`${ref}RF00`);
  return `RF${String(check).padStart(2, '0')}${ref}`;
}

export function creditorReferenceError(value: string): string | null {
  const v = value.replace(/\s/g, '').toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(v)) return 'an RF reference is "RF", 2 check digits and 1 to 21 letters or digits';
  if (mod97(v.slice(4) + v.slice(0, 4)) !== 1) return 'the RF reference check digits are wrong';
  return null;
}
