import type { InvoiceInput } from '../../contract/ledger';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { findCustomerIdsByRef } from '../../infra/db/repos/customers-repo';
import { upsertInvoiceRows } from '../../infra/db/repos/invoices-repo';
import type { Actor } from '../actor';
import { throwIfIssues, validateBatch } from './batch';
import { toInvoiceRecord } from './to-records';
import type { UpsertResult } from './upsert-customers';

/** Idempotent bulk upsert of invoices and credit notes by number: what an ERP pushes every night. */
export async function upsertInvoices(options: { db: Db; actor: Actor; items: InvoiceInput[] }): Promise<UpsertResult> {
  const { db, actor, items } = options;
  const records = validateBatch({ items, convert: toInvoiceRecord, keyOf: (r) => r.number, entity: 'invoice' });
  return db.transaction(async (tx) => {
    const customers = await findCustomerIdsByRef(tx, actor.organisationId, [...new Set(records.map((r) => r.customerRef))]);
    throwIfIssues(
      records.flatMap((r, index) =>
        customers.has(r.customerRef) ? [] : [{ index, ref: r.number, field: 'customerRef', reason: 'unknown customer', value: r.customerRef }],
      ),
      'invoice',
      items.length,
    );
    const result = await upsertInvoiceRows(
      tx,
      actor,
      records.map((r) => ({ ...r, customerId: customers.get(r.customerRef) as string })),
    );
    throwIfIssues(
      result.overSettled.map((number) => ({
        index: records.findIndex((r) => r.number === number),
        ref: number,
        field: 'totalInclTax',
        reason: 'the new total is below the amount already paid on this invoice',
      })),
      'invoice',
      items.length,
    );
    if (result.inserted > 0) {
      await recordAudit(tx, actor, { action: 'create', entity: 'invoice', after: { count: result.inserted, numbers: records.length <= 1000 ? records.map((r) => r.number) : undefined } });
    }
    return { inserted: result.inserted, updated: result.updated, unchanged: items.length - result.inserted - result.updated };
  });
}
