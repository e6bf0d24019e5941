/**
 * Semantic checks of incoming ledger records, independent of where they come from
 * (API, CSV, e-invoice). Each issue names the field and why, so a batch can be refused
 * with a precise report before anything is written.
 */
import { isIsoDate, DATE_RANGE_REASON } from '../calendar';
import { leiError, sirenError, siretError, vatNumberError } from '../identifiers';
import { isKnownCurrency, MAX_MINOR } from '../money';
import type { CustomerRecord, InvoiceRecord, OrderRecord, PaymentRecord } from './records';

export type RecordIssue = { field: string; reason: string; value?: unknown };

const COUNTRY = /^[A-Z]{2}$/;

export function customerIssues(c: CustomerRecord): RecordIssue[] {
  const issues: RecordIssue[] = [];
  requireText(issues, 'externalRef', c.externalRef, 100);
  requireText(issues, 'legalName', c.legalName, 300);
  if (!COUNTRY.test(c.country)) issues.push({ field: 'country', reason: 'must be an ISO 3166 two-letter country code', value: c.country });
  check(issues, 'siren', c.siren, sirenError);
  check(issues, 'siret', c.siret, siretError);
  if (c.siren && c.siret && !sirenError(c.siren) && c.siret.replace(/\D/g, '').slice(0, 9) !== c.siren.replace(/\D/g, '')) {
    issues.push({ field: 'siret', reason: 'the SIRET does not start with the SIREN', value: c.siret });
  }
  check(issues, 'vatNumber', c.vatNumber, vatNumberError);
  check(issues, 'lei', c.lei, leiError);
  if (c.currency != null && !isKnownCurrency(c.currency)) issues.push({ field: 'currency', reason: 'unknown ISO 4217 currency', value: c.currency });
  if (c.paymentTermsDays != null && !(Number.isInteger(c.paymentTermsDays) && c.paymentTermsDays >= 0 && c.paymentTermsDays <= 365)) {
    issues.push({ field: 'paymentTermsDays', reason: 'must be a whole number of days between 0 and 365', value: c.paymentTermsDays });
  }
  if (c.parentRef != null && c.parentRef === c.externalRef) issues.push({ field: 'parentRef', reason: 'a customer cannot be its own parent', value: c.parentRef });
  return issues;
}

export function invoiceIssues(i: InvoiceRecord): RecordIssue[] {
  const issues: RecordIssue[] = [];
  requireText(issues, 'number', i.number, 100);
  requireText(issues, 'customerRef', i.customerRef, 100);
  const datesOk = date(issues, 'issueDate', i.issueDate) & date(issues, 'dueDate', i.dueDate);
  if (datesOk && i.dueDate < i.issueDate) issues.push({ field: 'dueDate', reason: `due date ${i.dueDate} is before the issue date ${i.issueDate}`, value: i.dueDate });
  currency(issues, i.currency);
  amount(issues, 'totalExclTax', i.totalExclTax);
  amount(issues, 'totalInclTax', i.totalInclTax);
  if (i.kind === 'invoice' && i.totalInclTax < 0) issues.push({ field: 'totalInclTax', reason: 'an invoice total cannot be negative (send a credit note)', value: i.totalInclTax });
  if (i.kind === 'credit_note' && i.totalInclTax > 0) issues.push({ field: 'totalInclTax', reason: 'a credit note total is stored negative', value: i.totalInclTax });
  if (Math.sign(i.totalExclTax) * Math.sign(i.totalInclTax) < 0) issues.push({ field: 'totalExclTax', reason: 'the amounts excluding and including tax have opposite signs', value: i.totalExclTax });
  // Tax adds to the amount (reverse charge and exemptions leave it equal): a total including tax
  // below the total excluding it is a swapped column or a typing error. (A zero total is what an
  // amount that could not be read becomes: that amount has its own issue.)
  else if (i.totalInclTax !== 0 && isExactAmount(i.totalInclTax) && isExactAmount(i.totalExclTax) && Math.abs(i.totalInclTax) < Math.abs(i.totalExclTax)) issues.push({ field: 'totalInclTax', reason: 'the total including tax is lower than the total excluding tax', value: i.totalInclTax });
  return issues;
}

export function paymentIssues(p: PaymentRecord): RecordIssue[] {
  const issues: RecordIssue[] = [];
  requireText(issues, 'reference', p.reference, 140);
  date(issues, 'receivedDate', p.receivedDate);
  currency(issues, p.currency);
  amount(issues, 'amount', p.amount);
  if (p.amount <= 0) issues.push({ field: 'amount', reason: 'a payment amount must be positive', value: p.amount });
  let allocated = 0;
  const seen = new Set<string>();
  p.allocations.forEach((a, k) => {
    requireText(issues, `allocations[${k}].invoiceNumber`, a.invoiceNumber, 100);
    amount(issues, `allocations[${k}].amount`, a.amount);
    if (a.amount <= 0) issues.push({ field: `allocations[${k}].amount`, reason: 'an allocation must be positive', value: a.amount });
    if (seen.has(a.invoiceNumber)) issues.push({ field: `allocations[${k}].invoiceNumber`, reason: 'the same invoice is allocated twice in one payment', value: a.invoiceNumber });
    seen.add(a.invoiceNumber);
    allocated += a.amount;
  });
  if (allocated > p.amount) issues.push({ field: 'allocations', reason: `allocations total ${allocated} exceeds the payment amount ${p.amount} (minor units)` });
  return issues;
}

export function orderIssues(o: OrderRecord): RecordIssue[] {
  const issues: RecordIssue[] = [];
  requireText(issues, 'number', o.number, 100);
  requireText(issues, 'customerRef', o.customerRef, 100);
  date(issues, 'orderDate', o.orderDate);
  if (o.expectedInvoiceDate != null) date(issues, 'expectedInvoiceDate', o.expectedInvoiceDate);
  currency(issues, o.currency);
  amount(issues, 'amountInclTax', o.amountInclTax);
  if (o.amountInclTax < 0) issues.push({ field: 'amountInclTax', reason: 'an order amount cannot be negative', value: o.amountInclTax });
  return issues;
}

function requireText(issues: RecordIssue[], field: string, value: string | undefined, max: number) {
  if (typeof value !== 'string' || value.trim() === '') issues.push({ field, reason: 'is required' });
  else if (value.length > max) issues.push({ field, reason: `is longer than ${max} characters`, value });
}

function check(issues: RecordIssue[], field: string, value: string | null | undefined, validator: (v: string) => string | null) {
  if (value == null || value === '') return;
  const reason = validator(value);
  if (reason) issues.push({ field, reason, value });
}

function date(issues: RecordIssue[], field: string, value: string): 1 | 0 {
  if (typeof value === 'string' && isIsoDate(value)) return 1;
  issues.push({ field, reason: DATE_RANGE_REASON, value });
  return 0;
}

function currency(issues: RecordIssue[], value: string) {
  if (!isKnownCurrency(value)) issues.push({ field: 'currency', reason: 'unknown ISO 4217 currency', value });
}

const isExactAmount = (value: number) => Number.isSafeInteger(value) && Math.abs(value) <= MAX_MINOR;

function amount(issues: RecordIssue[], field: string, value: number) {
  if (!isExactAmount(value)) issues.push({ field, reason: 'amount is not an exact integer of minor units within range', value });
}
