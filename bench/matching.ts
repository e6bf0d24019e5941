/**
 * Payment matching throughput: 100 000 bank credits against 1 000 000 open invoices of 20 000
 * customers, in memory (the path the statement import uses). Goal ≥ 5 000 lines/s.
 */
import { performance } from 'node:perf_hooks';
import { createRandom } from '../src/domain/demo/random';
import { buildMatchingIndex, matchPayment, type OpenInvoice } from '../src/domain/matching/match-payment';

export function runMatchingBench(options = { invoices: 1_000_000, customers: 20_000, lines: 100_000 }) {
  const random = createRandom(11);
  const words = ['Dupont', 'Martin', 'Transports', 'Bâtiment', 'Logistique', 'Négoce', 'Alpes', 'Loire', 'Horizon', 'Industries', 'Services', 'Distribution'];
  const customers = Array.from({ length: options.customers }, (_, k) => ({
    id: `c${k}`,
    name: `${random.pick(words)} ${random.pick(words)} ${k} SAS`,
    ibans: k % 3 === 0 ? [`FR76300060000${String(k).padStart(14, '0')}`] : [],
  }));
  const invoices: OpenInvoice[] = Array.from({ length: options.invoices }, (_, k) => ({
    id: `i${k}`,
    number: `FA-2026-${String(k).padStart(7, '0')}`,
    customerId: `c${k % options.customers}`,
    currency: 'EUR',
    openAmount: random.int(1_000, 5_000_000),
    dueDate: `2026-${String(1 + (k % 12)).padStart(2, '0')}-15`,
  }));
  const credits = Array.from({ length: options.lines }, (_, k) => {
    const invoice = invoices[random.int(0, invoices.length - 1)];
    const customer = customers[Number(invoice.customerId.slice(1))];
    const kind = k % 10;
    return {
      amount: invoice.openAmount,
      currency: 'EUR',
      counterpartyName: kind < 7 ? customer.name.toUpperCase() : 'UNKNOWN PAYER',
      counterpartyIban: customer.ibans[0] ?? null,
      remittance: kind < 4 ? `VIR SEPA FACTURE ${invoice.number.replace(/-/g, ' ')}` : kind < 7 ? 'PAIEMENT' : 'DIVERS',
      structuredReference: null,
    };
  });
  let t = performance.now();
  const index = buildMatchingIndex({ invoices, customers });
  const indexMs = performance.now() - t;
  t = performance.now();
  let matched = 0;
  for (const credit of credits) if (matchPayment({ credit, index, tolerance: 500 }).method !== 'none') matched++;
  const matchMs = performance.now() - t;
  const perSecond = Math.round(options.lines / (matchMs / 1000));
  console.log(`matching index over ${options.invoices} open invoices: ${(indexMs / 1000).toFixed(2)} s`);
  console.log(`matched ${options.lines} bank lines in ${(matchMs / 1000).toFixed(2)} s: ${perSecond} lines/s (goal ≥ 5 000/s) ${perSecond >= 5000 ? 'OK' : 'MISSED'}; ${matched} found a candidate`);
}
