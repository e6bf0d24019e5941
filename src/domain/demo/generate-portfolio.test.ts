import { describe, expect, it } from 'vitest';
import { sirenError, siretError, vatNumberError } from '../identifiers';
import { generatePortfolio, type PaymentProfile } from './generate-portfolio';

const options = { customers: 200, months: 18, seed: 42, asOf: '2026-03-31' };
const portfolio = generatePortfolio(options);

describe('demo portfolio generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generatePortfolio(options)).toEqual(portfolio);
    expect(generatePortfolio({ ...options, seed: 43 }).customers[0]).not.toEqual(portfolio.customers[0]);
  });

  it('creates valid, unique French identifiers and valid EU VAT numbers', () => {
    const sirens = portfolio.customers.flatMap((c) => (c.siren ? [c.siren] : []));
    expect(sirens.length).toBeGreaterThan(150);
    expect(new Set(sirens).size).toBe(sirens.length);
    for (const c of portfolio.customers) {
      if (c.siren) expect(sirenError(c.siren)).toBeNull();
      if (c.siret) expect(siretError(c.siret)).toBeNull();
      expect(vatNumberError(c.vatNumber as string)).toBeNull();
    }
  });

  it('keeps dates consistent and never settles more than an invoice or a payment holds', () => {
    const totals = new Map(portfolio.invoices.map((i) => [i.number, i.totalInclTax]));
    const settled = new Map<string, number>();
    for (const i of portfolio.invoices) {
      expect(i.issueDate <= options.asOf).toBe(true);
      expect(i.dueDate >= i.issueDate).toBe(true);
      expect(Math.sign(i.totalInclTax)).toBe(i.kind === 'credit_note' ? -1 : 1);
    }
    for (const p of portfolio.payments) {
      expect(p.receivedDate <= options.asOf).toBe(true);
      const allocated = p.allocations.reduce((s, a) => s + a.amount, 0);
      expect(allocated).toBeLessThanOrEqual(p.amount);
      for (const a of p.allocations) settled.set(a.invoiceNumber, (settled.get(a.invoiceNumber) ?? 0) + a.amount);
    }
    for (const [number, amount] of settled) expect(amount).toBeLessThanOrEqual(totals.get(number) as number);
    expect(portfolio.payments.some((p) => p.allocations.length > 1)).toBe(true);
    expect(portfolio.payments.some((p) => p.allocations.reduce((s, a) => s + a.amount, 0) < p.amount)).toBe(true);
    expect(portfolio.invoices.some((i) => i.kind === 'credit_note')).toBe(true);
    expect(portfolio.orders.some((o) => o.status === 'open')).toBe(true);
    expect(portfolio.customers.some((c) => c.parentRef)).toBe(true);
  });

  it('draws payment behaviours that really differ between profiles', () => {
    const invoiceByNumber = new Map(portfolio.invoices.map((i) => [i.number, i]));
    const lateness = new Map<PaymentProfile, { weighted: number; amount: number }>();
    for (const p of portfolio.payments) {
      const profile = portfolio.profiles[p.customerRef as string];
      for (const a of p.allocations) {
        const invoice = invoiceByNumber.get(a.invoiceNumber);
        if (!invoice) continue;
        const daysLate = (Date.parse(p.receivedDate) - Date.parse(invoice.dueDate)) / 86_400_000;
        const entry = lateness.get(profile) ?? { weighted: 0, amount: 0 };
        entry.weighted += daysLate * a.amount;
        entry.amount += a.amount;
        lateness.set(profile, entry);
      }
    }
    const avg = (p: PaymentProfile) => {
      const e = lateness.get(p);
      return e ? e.weighted / e.amount : Number.NaN;
    };
    expect(avg('prompt')).toBeLessThan(3);
    expect(avg('chronic_late')).toBeGreaterThan(40);
    expect(avg('slightly_late')).toBeGreaterThan(avg('prompt'));
  });

  it('scales with the options', () => {
    const small = generatePortfolio({ ...options, customers: 50, months: 6 });
    expect(small.customers).toHaveLength(50);
    expect(small.invoices.length).toBeLessThan(portfolio.invoices.length / 4);
  });
});
