import { describe, expect, it } from 'vitest';
import { creditorReference } from '../identifiers';
import { buildMatchingIndex, matchPayment, type OpenInvoice } from './match-payment';
import { invoiceNumberKeys, jaroWinkler, normalizeName, remittanceTokens } from './normalize';

const invoices: OpenInvoice[] = [
  { id: 'i1', number: 'FA-2025-000123', customerId: 'c1', currency: 'EUR', openAmount: 120_000, dueDate: '2025-02-01' },
  { id: 'i2', number: 'FA-2025-000124', customerId: 'c1', currency: 'EUR', openAmount: 30_000, dueDate: '2025-03-01' },
  { id: 'i3', number: 'FA-2025-000125', customerId: 'c1', currency: 'EUR', openAmount: 45_050, dueDate: '2025-04-01' },
  { id: 'i4', number: 'INV2025000999', customerId: 'c2', currency: 'EUR', openAmount: 99_900, dueDate: '2025-02-15' },
  { id: 'i5', number: 'FA-2025-000200', customerId: 'c3', currency: 'EUR', openAmount: 10_000, dueDate: '2025-02-15' },
];
const customers = [
  { id: 'c1', name: 'Boulangerie Dupont SARL', ibans: ['FR7630006000011234567890189'] },
  { id: 'c2', name: 'Transports Martin SAS', ibans: [] },
  { id: 'c3', name: 'Électricité Générale Lefèvre', ibans: [] },
];
const index = buildMatchingIndex({ invoices, customers });
const credit = (over: Partial<Parameters<typeof matchPayment>[0]['credit']>) => ({
  amount: 0, currency: 'EUR', counterpartyName: null, counterpartyIban: null, remittance: null, structuredReference: null, ...over,
});
const match = (over: Parameters<typeof credit>[0], tolerance = 500) => matchPayment({ credit: credit(over), index, tolerance });

describe('normalisation', () => {
  it('compacts invoice numbers and finds them in remittance text', () => {
    expect(invoiceNumberKeys('FA-2025-000123')).toEqual({ compact: 'FA2025000123', digits: '2025000123' });
    const tokens = remittanceTokens('Règlement fact. n° fa 2025/000123, et FA-2025-000124');
    expect(tokens.compact.has('FA2025000124')).toBe(true);
    expect(tokens.digits.has('2025000123')).toBe(true);
  });
  it('compares company names without accents and legal forms', () => {
    expect(normalizeName('Électricité Générale Lefèvre S.A.R.L.')).toBe('ELECTRICITE GENERALE LEFEVRE S A R L');
    expect(normalizeName('BOULANGERIE DUPONT SARL')).toBe('BOULANGERIE DUPONT');
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
  });
});

describe('matching a bank credit', () => {
  it('1. uses an ISO 11649 creditor reference first', () => {
    const ref = creditorReference('FA2025000124');
    const proposal = match({ amount: 30_000, structuredReference: ref, remittance: 'FA-2025-000123' });
    expect(proposal).toMatchObject({ method: 'rf_reference', customerId: 'c1', confidence: 0.99, allocations: [{ invoiceId: 'i2', amount: 30_000 }] });
  });

  it('2. finds invoice numbers in the text, whatever the prefix, separators and zeros', () => {
    expect(match({ amount: 150_000, remittance: 'VIR SEPA DUPONT FACT FA2025000123 ET 2025-000124' })).toMatchObject({
      method: 'invoice_number', customerId: 'c1', confidence: 0.95, unapplied: 0,
      allocations: [{ invoiceId: 'i1', amount: 120_000 }, { invoiceId: 'i2', amount: 30_000 }],
    });
  });

  it('2. accepts a bank fee within the tolerance and flags a partial payment', () => {
    const fee = match({ amount: 119_850, remittance: 'FA-2025-000123' });
    expect(fee.confidence).toBe(0.95);
    expect(fee.reasons.join(' ')).toContain('difference of 1.50 within the tolerance');
    const partial = match({ amount: 60_000, remittance: 'FA-2025-000123' }, 0);
    expect(partial).toMatchObject({ confidence: 0.85, allocations: [{ invoiceId: 'i1', amount: 60_000 }] });
    expect(partial.reasons.join(' ')).toContain('partial payment: 600.00 still open');
  });

  it('3. recognises the payer by IBAN and finds the combination of invoices it pays', () => {
    const proposal = match({ amount: 75_050, counterpartyIban: 'FR76 3000 6000 0112 3456 7890 189', remittance: 'paiement' });
    expect(proposal).toMatchObject({ method: 'customer_amount', customerId: 'c1' });
    expect(proposal.allocations.map((a) => a.invoiceId).sort()).toEqual(['i2', 'i3']);
    expect(proposal.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('3. recognises the payer by a similar name and proposes a partial payment for review', () => {
    const proposal = match({ amount: 5_000, counterpartyName: 'ELECTRICITE GENERALE LEFEVRE', remittance: 'acompte' });
    expect(proposal).toMatchObject({ method: 'customer_partial', customerId: 'c3', confidence: 0.5, allocations: [{ invoiceId: 'i5', amount: 5_000 }] });
  });

  it('gives up clearly when nothing points to a customer', () => {
    expect(match({ amount: 1_234, counterpartyName: 'Inconnu', remittance: 'cadeau' })).toMatchObject({ method: 'none', confidence: 0, unapplied: 1_234 });
  });

  it('ignores invoices in another currency', () => {
    expect(match({ amount: 120_000, currency: 'USD', remittance: 'FA-2025-000123' }).method).toBe('none');
  });
});
