import { formatAmount } from '../../domain/money';
import { DEMO_RATES, generatePortfolioChunks } from '../../domain/demo/generate-portfolio';
import { addMonths } from '../../domain/calendar';
import { setExchangeRates } from '../organisations/set-exchange-rates';
import { recomputeScores } from '../scoring/recompute-scores';
import type { CustomerRecord, InvoiceRecord, OrderRecord, PaymentRecord } from '../../domain/receivables/records';
import type { Db } from '../../infra/db/db';
import type { Actor } from '../actor';
import { upsertCustomers } from '../ledger/upsert-customers';
import { upsertInvoices } from '../ledger/upsert-invoices';
import { upsertOrders } from '../ledger/upsert-orders';
import { upsertPayments } from '../ledger/upsert-payments';

export type DemoOptions = { customers: number; months: number; seed: number; asOf: string };

/**
 * Generates a deterministic demo portfolio and loads it through the same bulk path as an ERP,
 * in batches so memory stays flat whatever the size.
 */
export async function loadDemoPortfolio(options: { db: Db; actor: Actor; demo: DemoOptions; onProgress?: (done: number, total: number) => void }) {
  const { db, actor } = options;
  const totals = { customers: 0, invoices: 0, payments: 0, orders: 0 };
  // A few demo customers are invoiced in USD, GBP or CHF: reports need their rates.
  await setExchangeRates({
    db,
    actor,
    rates: Object.entries(DEMO_RATES).map(([currency, rate]) => ({ currency, rate, date: addMonths(options.demo.asOf, -options.demo.months - 1) })),
  });
  const pending = { customers: [] as CustomerRecord[], invoices: [] as InvoiceRecord[], payments: [] as PaymentRecord[], orders: [] as OrderRecord[] };
  const flush = async () => {
    if (pending.customers.length > 0) await upsertCustomers({ db, actor, items: pending.customers.map(customerInput) });
    if (pending.invoices.length > 0) await upsertInvoices({ db, actor, items: pending.invoices.map(invoiceInput) });
    if (pending.payments.length > 0) await upsertPayments({ db, actor, items: pending.payments.map(paymentInput) });
    if (pending.orders.length > 0) await upsertOrders({ db, actor, items: pending.orders.map(orderInput) });
    totals.customers += pending.customers.length;
    totals.invoices += pending.invoices.length;
    totals.payments += pending.payments.length;
    totals.orders += pending.orders.length;
    pending.customers = [];
    pending.invoices = [];
    pending.payments = [];
    pending.orders = [];
    options.onProgress?.(totals.customers, options.demo.customers);
  };
  for (const chunk of generatePortfolioChunks(options.demo)) {
    pending.customers.push(...chunk.customers);
    pending.invoices.push(...chunk.invoices);
    pending.payments.push(...chunk.payments);
    pending.orders.push(...chunk.orders);
    if (pending.invoices.length >= 5000) await flush();
  }
  await flush();
  await recomputeScores({ db, actor, asOf: options.demo.asOf });
  return totals;
}

const customerInput = (c: CustomerRecord) => ({ ...c, country: c.country, tags: c.tags ?? [] });
const invoiceInput = (i: InvoiceRecord) => ({
  ...i,
  totalExclTax: formatAmount(i.totalExclTax, i.currency),
  totalInclTax: formatAmount(i.totalInclTax, i.currency),
});
const paymentInput = (p: PaymentRecord) => ({
  ...p,
  amount: formatAmount(p.amount, p.currency),
  allocations: p.allocations.map((a) => ({ invoiceNumber: a.invoiceNumber, amount: formatAmount(a.amount, p.currency) })),
});
const orderInput = (o: OrderRecord) => ({ ...o, amountInclTax: formatAmount(o.amountInclTax, o.currency) });
