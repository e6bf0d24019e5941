import type { PaymentInput } from '../../contract/ledger';
import type { PaymentRecord } from '../../domain/receivables/records';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { findCustomerIdsByRef } from '../../infra/db/repos/customers-repo';
import { findInvoicesByNumber, refreshInvoiceBalances } from '../../infra/db/repos/invoices-repo';
import { type StoredPayment, deleteAllocationsOf, findPaymentsByReference, insertAllocations, upsertPaymentRows } from '../../infra/db/repos/payments-repo';
import type { Actor } from '../actor';
import type { FieldIssue } from '../app-error';
import { throwIfIssues, validateBatch } from './batch';
import { toPaymentRecord } from './to-records';
import type { UpsertResult } from './upsert-customers';

/**
 * Idempotent bulk upsert of payments by reference, with their allocations to invoices
 * (partial payments, one payment for several invoices, unapplied remainder). A changed
 * payment has its allocations replaced; invoices' open amounts follow in the same transaction.
 */
export async function upsertPayments(options: { db: Db; actor: Actor; items: PaymentInput[] }): Promise<UpsertResult> {
  const { db, actor, items } = options;
  const org = actor.organisationId;
  const records = validateBatch({ items, convert: toPaymentRecord, keyOf: (r) => r.reference, entity: 'payment' });

  return db.transaction(async (tx) => {
    const issues: FieldIssue[] = [];
    const customers = await findCustomerIdsByRef(tx, org, [...new Set(records.map((r) => r.customerRef).filter((c): c is string => !!c))]);
    const invoices = await findInvoicesByNumber(tx, org, [...new Set(records.flatMap((r) => r.allocations.map((a) => a.invoiceNumber)))]);
    const existing = await findPaymentsByReference(tx, org, records.map((r) => r.reference));

    const rows = records.map((r, index) => {
      const customerId = r.customerRef ? customers.get(r.customerRef) : undefined;
      if (r.customerRef && !customerId) issues.push({ index, ref: r.reference, field: 'customerRef', reason: 'unknown customer', value: r.customerRef });
      r.allocations.forEach((a, k) => {
        const invoice = invoices.get(a.invoiceNumber);
        const field = `allocations[${k}].invoiceNumber`;
        if (!invoice) issues.push({ index, ref: r.reference, field, reason: 'unknown invoice', value: a.invoiceNumber });
        else if (invoice.kind !== 'invoice') issues.push({ index, ref: r.reference, field, reason: 'payments are allocated to invoices, not credit notes', value: a.invoiceNumber });
        else if (invoice.currency !== r.currency) issues.push({ index, ref: r.reference, field, reason: `invoice is in ${invoice.currency}, payment in ${r.currency}`, value: a.invoiceNumber });
      });
      const firstInvoice = r.allocations.length > 0 ? invoices.get(r.allocations[0].invoiceNumber) : undefined;
      return {
        record: r,
        customerId: customerId ?? firstInvoice?.customer_id ?? null,
        unappliedAmount: r.amount - r.allocations.reduce((s, a) => s + a.amount, 0),
      };
    });
    throwIfIssues(issues, 'payment', items.length);

    const changed = rows.filter(({ record, customerId }) => {
      const stored = existing.get(record.reference);
      return !stored || !isSamePayment(stored, record, customerId);
    });
    if (changed.length === 0) return { inserted: 0, updated: 0, unchanged: items.length };

    const replaced = changed.map((c) => existing.get(c.record.reference)).filter((p): p is StoredPayment => !!p);
    const releasedInvoices = await deleteAllocationsOf(tx, org, replaced.map((p) => p.id));
    const ids = await upsertPaymentRows(
      tx,
      org,
      changed.map(({ record, customerId, unappliedAmount }) => ({
        reference: record.reference,
        customerId,
        receivedDate: record.receivedDate,
        currency: record.currency,
        amount: record.amount,
        unappliedAmount,
        method: record.method ?? null,
      })),
    );
    const allocations = changed.flatMap(({ record }) =>
      record.allocations.map((a) => ({
        paymentId: ids.get(record.reference) as string,
        invoiceId: invoices.get(a.invoiceNumber)?.id as string,
        amount: a.amount,
        date: record.receivedDate,
      })),
    );
    await insertAllocations(tx, org, allocations);
    const balances = await refreshInvoiceBalances(tx, org, [...new Set([...releasedInvoices, ...allocations.map((a) => a.invoiceId)])]);
    const overAllocated = balances.filter((b) => b.open_amount < 0);
    throwIfIssues(
      overAllocated.map((b) => {
        const index = records.findIndex((r) => r.allocations.some((a) => a.invoiceNumber === b.number));
        return { index, ref: records[index]?.reference, field: 'allocations', reason: `invoice ${b.number} would be paid more than its total`, value: b.number };
      }),
      'payment',
      items.length,
    );
    for (const stored of replaced) {
      const next = changed.find((c) => c.record.reference === stored.reference);
      await recordAudit(tx, actor, { action: 'update', entity: 'payment', entityId: stored.id, before: stored, after: next?.record });
    }
    const inserted = changed.length - replaced.length;
    if (inserted > 0) await recordAudit(tx, actor, { action: 'create', entity: 'payment', after: { count: inserted } });
    return { inserted, updated: replaced.length, unchanged: items.length - changed.length };
  });
}

function isSamePayment(stored: StoredPayment, record: PaymentRecord, customerId: string | null): boolean {
  if (
    stored.received_date !== record.receivedDate ||
    stored.currency !== record.currency ||
    Number(stored.amount) !== record.amount ||
    stored.customer_id !== customerId ||
    (stored.method ?? null) !== (record.method ?? null) ||
    stored.allocations.length !== record.allocations.length
  ) {
    return false;
  }
  const wanted = new Map(record.allocations.map((a) => [a.invoiceNumber, a.amount]));
  return stored.allocations.every((a) => wanted.get(a.invoice_number) === Number(a.amount));
}
