import type { OrderInput } from '../../contract/ledger';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { findCustomerIdsByRef } from '../../infra/db/repos/customers-repo';
import { upsertOrderRows } from '../../infra/db/repos/orders-repo';
import { endReservations } from '../../infra/db/repos/credit-repo';
import type { Actor } from '../actor';
import { throwIfIssues, validateBatch } from './batch';
import { toOrderRecord } from './to-records';
import type { UpsertResult } from './upsert-customers';

/** Idempotent bulk upsert of orders (taken, not yet invoiced) by number; ends the reservations of the order checks that named them. */
export async function upsertOrders(options: { db: Db; actor: Actor; items: OrderInput[] }): Promise<UpsertResult> {
  const { db, actor, items } = options;
  const records = validateBatch({ items, convert: toOrderRecord, keyOf: (r) => r.number, entity: 'order' });
  return db.transaction(async (tx) => {
    const customers = await findCustomerIdsByRef(tx, actor.organisationId, [...new Set(records.map((r) => r.customerRef))]);
    throwIfIssues(
      records.flatMap((r, index) =>
        customers.has(r.customerRef) ? [] : [{ index, ref: r.number, field: 'customerRef', reason: 'unknown customer', value: r.customerRef }],
      ),
      'order',
      items.length,
    );
    const rows = records.map((r) => ({ ...r, customerId: customers.get(r.customerRef) as string }));
    const result = await upsertOrderRows(tx, actor, rows);
    // The order has arrived: it counts in exposure itself, the checks that named it reserve no more.
    await endReservations(tx, actor.organisationId, rows);
    if (result.inserted > 0) await recordAudit(tx, actor, { action: 'create', entity: 'order', after: { count: result.inserted } });
    return { ...result, unchanged: items.length - result.inserted - result.updated };
  });
}
