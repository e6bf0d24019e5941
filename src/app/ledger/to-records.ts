/**
 * API/CSV inputs (decimal strings) → domain records (minor units), with every problem
 * reported per field instead of stopping at the first.
 */
import { type MoneyParseResult, parseAmount } from '../../domain/money';
import type { CustomerRecord, InvoiceRecord, OrderRecord, PaymentRecord } from '../../domain/receivables/records';
import { type RecordIssue, customerIssues, invoiceIssues, orderIssues, paymentIssues } from '../../domain/receivables/validate-records';
import { isKnownCurrency } from '../../domain/money';
import { normalizeDigits, normalizeVat } from '../../domain/identifiers';
import type { CustomerInput, InvoiceInput, OrderInput, PaymentInput } from '../../contract/ledger';

export type Converted<T> = { record: T; issues: RecordIssue[] };

function money(issues: RecordIssue[], field: string, value: string | number, currency: string): number {
  if (!isKnownCurrency(currency)) return 0; // reported once by the record validator
  const parsed: MoneyParseResult = parseAmount(value, currency);
  if (!parsed.ok) {
    issues.push({ field, reason: parsed.reason, value });
    return 0;
  }
  return parsed.minor;
}

const clean = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());

export function toCustomerRecord(input: CustomerInput): Converted<CustomerRecord & { collectorEmail: string | null }> {
  const siret = clean(input.siret) && normalizeDigits(input.siret as string);
  const siren = clean(input.siren) ? normalizeDigits(input.siren as string) : siret && siret.length === 14 ? siret.slice(0, 9) : null;
  const record = {
    externalRef: input.externalRef.trim(),
    legalName: input.legalName.trim(),
    siren,
    siret: siret || null,
    vatNumber: clean(input.vatNumber) && normalizeVat(input.vatNumber as string),
    lei: clean(input.lei)?.toUpperCase() ?? null,
    country: input.country.toUpperCase(),
    addressLine1: clean(input.addressLine1),
    addressLine2: clean(input.addressLine2),
    postalCode: clean(input.postalCode),
    city: clean(input.city),
    parentRef: clean(input.parentRef),
    segment: clean(input.segment),
    activityCode: clean(input.activityCode),
    paymentTermsDays: input.paymentTermsDays ?? null,
    currency: clean(input.currency)?.toUpperCase() ?? null,
    tags: input.tags ?? [],
    collectorEmail: clean(input.collectorEmail),
  };
  return { record, issues: customerIssues(record) };
}

export function toInvoiceRecord(input: InvoiceInput): Converted<InvoiceRecord> {
  const issues: RecordIssue[] = [];
  const currency = input.currency.toUpperCase();
  let totalExclTax = money(issues, 'totalExclTax', input.totalExclTax, currency);
  let totalInclTax = money(issues, 'totalInclTax', input.totalInclTax, currency);
  // ERPs export credit notes with either sign; we store them negative.
  if (input.kind === 'credit_note') {
    totalExclTax = -Math.abs(totalExclTax);
    totalInclTax = -Math.abs(totalInclTax);
  }
  const record: InvoiceRecord = {
    number: input.number.trim(),
    customerRef: input.customerRef.trim(),
    kind: input.kind,
    issueDate: input.issueDate,
    dueDate: input.dueDate,
    currency,
    totalExclTax,
    totalInclTax,
    isDisputed: input.isDisputed ?? false,
    orderNumber: clean(input.orderNumber),
  };
  return { record, issues: [...issues, ...invoiceIssues(record)] };
}

export function toPaymentRecord(input: PaymentInput): Converted<PaymentRecord> {
  const issues: RecordIssue[] = [];
  const currency = input.currency.toUpperCase();
  const record: PaymentRecord = {
    reference: input.reference.trim(),
    customerRef: clean(input.customerRef),
    receivedDate: input.receivedDate,
    currency,
    amount: money(issues, 'amount', input.amount, currency),
    method: clean(input.method),
    allocations: input.allocations.map((a, k) => ({
      invoiceNumber: a.invoiceNumber.trim(),
      amount: money(issues, `allocations[${k}].amount`, a.amount, currency),
    })),
  };
  return { record, issues: [...issues, ...paymentIssues(record)] };
}

export function toOrderRecord(input: OrderInput): Converted<OrderRecord> {
  const issues: RecordIssue[] = [];
  const currency = input.currency.toUpperCase();
  const record: OrderRecord = {
    number: input.number.trim(),
    customerRef: input.customerRef.trim(),
    orderDate: input.orderDate,
    expectedInvoiceDate: input.expectedInvoiceDate ?? null,
    currency,
    amountInclTax: money(issues, 'amountInclTax', input.amountInclTax, currency),
    status: input.status,
  };
  return { record, issues: [...issues, ...orderIssues(record)] };
}
