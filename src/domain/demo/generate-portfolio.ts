/**
 * Deterministic demo portfolio: French (and a few EU) companies with valid identifiers, realistic
 * sectors, invoice sizes and payment terms, and payment behaviours drawn from profiles — prompt
 * payers, slightly late, chronic late payers, customers that deteriorate and a few that become
 * insolvent — with partial payments, grouped transfers, unapplied cash, credit notes, disputes and
 * orders not yet invoiced. Same options, same output; nothing reads the clock.
 */
import { addDays, addMonths, daysInMonth, type IsoDate, startOfMonth } from '../calendar';
import { frenchVatNumber, luhnCheckDigit } from '../identifiers';
import type { CustomerRecord, InvoiceRecord, OrderRecord, PaymentRecord } from '../receivables/records';
import { CITIES, FAMILY_NAMES, FOREIGN, LEGAL_FORMS, NAME_WORDS, SECTORS, STREETS } from './french-companies';
import { createRandom, type Random } from './random';

export type PortfolioOptions = { customers: number; months: number; seed: number; asOf: IsoDate };

export type PaymentProfile = 'prompt' | 'slightly_late' | 'chronic_late' | 'deteriorating' | 'insolvent';

export type PortfolioChunk = {
  customers: CustomerRecord[];
  invoices: InvoiceRecord[];
  payments: PaymentRecord[];
  orders: OrderRecord[];
  /** The profile each customer of the chunk was drawn from, by externalRef (for tests and demos). */
  profiles: Record<string, PaymentProfile>;
};

export type Portfolio = Omit<PortfolioChunk, 'profiles'> & { profiles: Record<string, PaymentProfile> };

const PROFILES: [PaymentProfile, number][] = [
  ['prompt', 0.45],
  ['slightly_late', 0.27],
  ['chronic_late', 0.15],
  ['deteriorating', 0.1],
  ['insolvent', 0.03],
];

const SEGMENTS = [
  { name: 'PME', share: 0.7, medianCents: 180_000, invoicesPerMonth: [1, 3] },
  { name: 'ETI', share: 0.24, medianCents: 950_000, invoicesPerMonth: [2, 5] },
  { name: 'Grand compte', share: 0.06, medianCents: 4_500_000, invoicesPerMonth: [3, 7] },
] as const;

/** Demo exchange rates (units of EUR per unit), for the few customers invoiced in another currency. */
export const DEMO_RATES: Record<string, string> = { USD: '0.92', GBP: '1.17', CHF: '1.05' };

function weighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  let x = random.next();
  for (const [item, weight] of items) {
    x -= weight;
    if (x < 0) return item;
  }
  return items[items.length - 1][0];
}

/** Days between due date and payment for a profile; `progress` goes from 0 (oldest invoice) to 1 (asOf). */
function paymentDelay(random: Random, profile: PaymentProfile, progress: number): number {
  switch (profile) {
    case 'prompt':
      return random.int(-6, 3);
    case 'slightly_late':
      return random.int(0, 22);
    case 'chronic_late':
      return random.int(25, 95);
    case 'deteriorating':
      return Math.round(random.int(-3, 8) + progress * progress * random.int(40, 80));
    case 'insolvent':
      return random.int(5, 35) + Math.round(progress * 30);
  }
}

/** Yields the portfolio one customer at a time, so that very large portfolios stream in flat memory. */
export function* generatePortfolioChunks(options: PortfolioOptions): Generator<PortfolioChunk> {
  const random = createRandom(options.seed);
  const { asOf } = options;
  const start = startOfMonth(addMonths(asOf, -(options.months - 1)));
  const totalDays = Math.max(1, Math.round((Date.parse(asOf) - Date.parse(start)) / 86_400_000));
  const usedSirens = new Set<string>();
  let invoiceSeq = 0;
  let paymentSeq = 0;
  let orderSeq = 0;
  let lastGroupHead: string | null = null;

  for (let k = 0; k < options.customers; k++) {
    const externalRef = `CLI${String(k + 1).padStart(6, '0')}`;
    const segment = weighted(random, SEGMENTS.map((s) => [s, s.share] as const));
    const sector = random.pick(SECTORS);
    const profile = weighted(random, PROFILES);
    const isForeign = random.chance(0.05);
    const terms = random.pick([30, 30, 45, 45, 60, 60, 30]);

    let customer: CustomerRecord;
    let currency = 'EUR';
    let vatBp = sector.vatBp;
    if (isForeign) {
      const foreign = random.pick(FOREIGN);
      const [city, postalCode] = random.pick(foreign.cities);
      customer = {
        externalRef,
        legalName: `${random.pick(FAMILY_NAMES)} ${random.pick(sector.nouns)} ${random.pick(foreign.forms)}`,
        vatNumber: foreign.vat(random.next),
        country: foreign.country,
        addressLine1: `${random.int(1, 180)} ${random.pick(['Hauptstraße', 'Via Roma', 'Calle Mayor', 'Rue Neuve'])}`,
        postalCode,
        city,
        segment: segment.name,
        activityCode: random.pick(sector.naf),
        paymentTermsDays: terms,
        tags: ['export'],
      };
      vatBp = 0; // intra-EU B2B supply: reverse charge
      if (random.chance(0.4)) currency = random.pick(Object.keys(DEMO_RATES));
      customer.currency = currency;
    } else {
      let siren: string;
      do {
        const body = String(random.int(30_000_000, 99_999_999));
        siren = body + luhnCheckDigit(body);
      } while (usedSirens.has(siren));
      usedSirens.add(siren);
      const nicBody = `000${random.int(1, 9)}`;
      const siret = siren + nicBody + luhnCheckDigit(siren + nicBody);
      const [city, postalCode] = random.pick(CITIES);
      const name = random.chance(0.5)
        ? `${random.pick(sector.nouns)} ${random.pick(FAMILY_NAMES)}`
        : `${random.pick(sector.nouns)} ${random.pick(NAME_WORDS)}`;
      customer = {
        externalRef,
        legalName: `${name} ${random.pick(LEGAL_FORMS)}`,
        siren,
        siret,
        vatNumber: frenchVatNumber(siren),
        country: 'FR',
        addressLine1: `${random.int(1, 180)} ${random.pick(STREETS)}`,
        postalCode,
        city,
        segment: segment.name,
        activityCode: random.pick(sector.naf),
        paymentTermsDays: terms,
        currency: 'EUR',
        tags: [sector.name],
      };
    }
    // Every 20th customer heads a group; some of the following ones are its subsidiaries.
    if (k % 20 === 0) lastGroupHead = externalRef;
    else if (lastGroupHead && random.chance(0.12)) customer.parentRef = lastGroupHead;

    const chunk: PortfolioChunk = { customers: [customer], invoices: [], payments: [], orders: [], profiles: { [externalRef]: profile } };
    // An insolvent customer stops paying a few months before asOf.
    const stopsPayingOn = profile === 'insolvent' ? addDays(asOf, -random.int(60, 150)) : null;
    const isGroupedPayer = random.chance(0.3);
    const sigma = 0.8;
    type PaymentEvent = { date: IsoDate; allocations: { invoiceNumber: string; amount: number }[] };
    const events: PaymentEvent[] = [];

    for (let m = 0; m < options.months; m++) {
      const monthStart = addMonths(start, m);
      const monthDays = daysInMonth(Number(monthStart.slice(0, 4)), Number(monthStart.slice(5, 7)));
      const count = random.int(segment.invoicesPerMonth[0], segment.invoicesPerMonth[1]);
      for (let n = 0; n < count; n++) {
        const issueDate = addDays(monthStart, random.int(0, monthDays - 1));
        if (issueDate > asOf) continue;
        if (stopsPayingOn && issueDate > addDays(stopsPayingOn, 45)) continue; // the business stops ordering too
        const dueDate = addDays(issueDate, terms);
        const net = Math.max(5_000, Math.round(segment.medianCents * Math.exp(sigma * random.normal()) / 100) * 100 + random.int(0, 99));
        const gross = net + Math.round((net * vatBp) / 10_000);
        invoiceSeq++;
        const number = `FA-${issueDate.slice(0, 4)}-${String(invoiceSeq).padStart(7, '0')}`;
        const isDisputed = random.chance(0.015);
        chunk.invoices.push({ number, customerRef: externalRef, kind: 'invoice', issueDate, dueDate, currency, totalExclTax: net, totalInclTax: gross, isDisputed });

        if (random.chance(0.02)) {
          const creditDate = addDays(issueDate, random.int(5, 30));
          if (creditDate <= asOf) {
            const share = random.pick([10, 20, 50, 100]);
            const creditNet = Math.round((net * share) / 100);
            const creditGross = creditNet + Math.round((creditNet * vatBp) / 10_000);
            invoiceSeq++;
            chunk.invoices.push({
              number: `AV-${creditDate.slice(0, 4)}-${String(invoiceSeq).padStart(7, '0')}`,
              customerRef: externalRef,
              kind: 'credit_note',
              issueDate: creditDate,
              dueDate: creditDate,
              currency,
              totalExclTax: -creditNet,
              totalInclTax: -creditGross,
            });
          }
        }
        if (isDisputed) continue; // disputed invoices stay open

        const progress = Math.min(1, Math.max(0, (Date.parse(issueDate) - Date.parse(start)) / 86_400_000 / totalDays));
        const paidOn = addDays(dueDate, paymentDelay(random, profile, progress));
        const canPay = (date: IsoDate) => date <= asOf && date >= issueDate && (!stopsPayingOn || date <= stopsPayingOn);
        if (random.chance(0.08)) {
          // Two instalments: half first, the rest at the usual date.
          const firstOn = addDays(issueDate, Math.max(1, Math.round((Date.parse(paidOn) - Date.parse(issueDate)) / 86_400_000 / 2)));
          const first = Math.round(gross / 2);
          if (canPay(firstOn)) events.push({ date: firstOn, allocations: [{ invoiceNumber: number, amount: first }] });
          if (canPay(paidOn) && canPay(firstOn)) events.push({ date: paidOn, allocations: [{ invoiceNumber: number, amount: gross - first }] });
        } else if (canPay(paidOn)) {
          events.push({ date: paidOn, allocations: [{ invoiceNumber: number, amount: gross }] });
        }
      }
    }

    events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const merged: PaymentEvent[] = [];
    for (const event of events) {
      const last = merged[merged.length - 1];
      // Grouped payers settle several invoices with one transfer.
      const sameInvoice = last?.allocations.some((a) => event.allocations.some((b) => b.invoiceNumber === a.invoiceNumber));
      if (isGroupedPayer && last && !sameInvoice && Date.parse(event.date) - Date.parse(last.date) <= 10 * 86_400_000) {
        last.date = event.date;
        last.allocations.push(...event.allocations);
      } else merged.push({ date: event.date, allocations: [...event.allocations] });
    }
    for (const event of merged) {
      paymentSeq++;
      const allocated = event.allocations.reduce((s, a) => s + a.amount, 0);
      const extra = random.chance(0.01) ? random.int(50, 5_000) : 0; // unapplied cash
      chunk.payments.push({
        reference: `VIR-${String(paymentSeq).padStart(8, '0')}`,
        customerRef: externalRef,
        receivedDate: event.date,
        currency,
        amount: allocated + extra,
        method: random.chance(0.85) ? 'transfer' : random.pick(['direct_debit', 'cheque', 'card']),
        allocations: event.allocations,
      });
    }

    if (profile !== 'insolvent') {
      const openOrders = random.int(0, 3);
      for (let o = 0; o < openOrders + 1; o++) {
        orderSeq++;
        const orderDate = addDays(asOf, -random.int(0, 40));
        const net = Math.round(segment.medianCents * Math.exp(sigma * random.normal()) / 100) * 100;
        chunk.orders.push({
          number: `CMD-${String(orderSeq).padStart(7, '0')}`,
          customerRef: externalRef,
          orderDate,
          expectedInvoiceDate: addDays(orderDate, random.int(7, 45)),
          currency,
          amountInclTax: Math.max(10_000, net + Math.round((net * vatBp) / 10_000)),
          status: o < openOrders ? 'open' : random.pick(['invoiced', 'cancelled'] as const),
        });
      }
    }
    yield chunk;
  }
}

/** The whole portfolio in memory (small sizes: demos and tests). */
export function generatePortfolio(options: PortfolioOptions): Portfolio {
  const portfolio: Portfolio = { customers: [], invoices: [], payments: [], orders: [], profiles: {} };
  for (const chunk of generatePortfolioChunks(options)) {
    portfolio.customers.push(...chunk.customers);
    portfolio.invoices.push(...chunk.invoices);
    portfolio.payments.push(...chunk.payments);
    portfolio.orders.push(...chunk.orders);
    Object.assign(portfolio.profiles, chunk.profiles);
  }
  return portfolio;
}
