import { describe, expect, it } from 'vitest';
import {
  creditorReference,
  creditorReferenceError,
  frenchVatNumber,
  ibanError,
  leiError,
  luhnCheckDigit,
  sirenError,
  siretError,
  vatNumberError,
} from './identifiers';

describe('SIREN and SIRET (domain-rules §8.3)', () => {
  it.each([
    ['732829320', null],
    ['732 829 320', null],
    ['732829321', 'the SIREN check digit (Luhn) is wrong'],
    ['73282932', 'a SIREN has exactly 9 digits'],
  ])('SIREN %s', (siren, expected) => expect(sirenError(siren)).toBe(expected));

  it('accepts a valid SIRET and refuses a wrong one', () => {
    expect(siretError('73282932000074')).toBeNull();
    expect(siretError('73282932000075')).toMatch(/Luhn/);
  });

  it('applies the La Poste exception (sum of digits multiple of 5)', () => {
    expect(siretError('35600000000048')).toBeNull(); // head office: passes Luhn
    expect(siretError('35600000009075')).toBeNull(); // fails Luhn, digit sum 35
    expect(siretError('35600000009076')).toMatch(/La Poste/);
  });

  it('computes Luhn check digits that validate', () => {
    const siren = `73282932${luhnCheckDigit('73282932')}`;
    expect(siren).toBe('732829320');
  });
});

describe('VAT numbers', () => {
  it('computes the French key from the SIREN (worked examples)', () => {
    expect(frenchVatNumber('414740852')).toBe('FR76414740852');
    expect(frenchVatNumber('732829320')).toBe('FR44732829320');
  });
  it('checks the French key and other countries formats', () => {
    expect(vatNumberError('FR76414740852')).toBeNull();
    expect(vatNumberError('FR 76 414 740 852')).toBeNull();
    expect(vatNumberError('FR77414740852')).toMatch(/key should be 76/);
    expect(vatNumberError('DE123456789')).toBeNull();
    expect(vatNumberError('DE12345678')).toMatch(/DE VAT number format/);
    expect(vatNumberError('NL123456789B01')).toBeNull();
    expect(vatNumberError('ZZ123')).toMatch(/unknown VAT country/);
  });
});

describe('IBAN, LEI and RF references', () => {
  it('validates IBANs (worked examples)', () => {
    expect(ibanError('FR76 3000 6000 0112 3456 7890 189')).toBeNull();
    expect(ibanError('DE89370400440532013000')).toBeNull();
    expect(ibanError('BE72000000001616')).toBeNull();
    expect(ibanError('FR7630006000011234567890188')).toMatch(/check digits/);
  });
  it('validates LEIs', () => {
    expect(leiError('969500UP76J52A9OXU27')).toBeNull();
    expect(leiError('969500UP76J52A9OXU28')).toMatch(/check digits/);
  });
  it('generates and validates ISO 11649 references (worked examples)', () => {
    expect(creditorReference('1234512345')).toBe('RF451234512345');
    expect(creditorReference('INV2025000123')).toBe('RF51INV2025000123');
    expect(creditorReference('AB2G5')).toBe('RF68AB2G5');
    expect(creditorReferenceError('RF45 1234 5123 45')).toBeNull();
    expect(creditorReferenceError('RF46 1234 5123 45')).toMatch(/check digits/);
  });
});
