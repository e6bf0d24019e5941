import type { CustomerInput } from '../../contract/ledger';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { findCustomerIdsByRef, findGroupCycles, findUserIdsByEmail, setCustomerParents, upsertCustomerRows } from '../../infra/db/repos/customers-repo';
import type { Actor } from '../actor';
import type { FieldIssue } from '../app-error';
import { throwIfIssues, validateBatch } from './batch';
import { toCustomerRecord } from './to-records';

export type UpsertResult = { inserted: number; updated: number; unchanged: number };

/** Idempotent bulk upsert of customers by their ERP code (externalRef), parents resolved within the batch or the ledger. */
export async function upsertCustomers(options: { db: Db; actor: Actor; items: CustomerInput[] }): Promise<UpsertResult> {
  const { db, actor, items } = options;
  const records = validateBatch({ items, convert: toCustomerRecord, keyOf: (r) => r.externalRef, entity: 'customer' });
  const org = actor.organisationId;

  return db.transaction(async (tx) => {
    const issues: FieldIssue[] = [];
    const emails = [...new Set(records.map((r) => r.collectorEmail).filter((e): e is string => !!e))];
    const collectors = await findUserIdsByEmail(tx, org, emails);
    const batchRefs = new Set(records.map((r) => r.externalRef));
    const parentRefs = [...new Set(records.map((r) => r.parentRef).filter((p): p is string => !!p && !batchRefs.has(p)))];
    const knownParents = await findCustomerIdsByRef(tx, org, parentRefs);
    records.forEach((r, index) => {
      if (r.collectorEmail && !collectors.has(r.collectorEmail.toLowerCase())) {
        issues.push({ index, ref: r.externalRef, field: 'collectorEmail', reason: 'no user with this e-mail in the organisation', value: r.collectorEmail });
      }
      if (r.parentRef && !batchRefs.has(r.parentRef) && !knownParents.has(r.parentRef)) {
        issues.push({ index, ref: r.externalRef, field: 'parentRef', reason: 'unknown parent customer', value: r.parentRef });
      }
    });
    throwIfIssues(issues, 'customer', items.length);

    const result = await upsertCustomerRows(
      tx,
      actor,
      records.map((r) => ({ ...r, collectorId: r.collectorEmail ? (collectors.get(r.collectorEmail.toLowerCase()) ?? null) : null })),
    );
    await setCustomerParents(tx, org, records.map((r) => ({ ref: r.externalRef, parentRef: r.parentRef ?? null })));
    const cycles = await findGroupCycles(tx, org, records.filter((r) => r.parentRef).map((r) => r.externalRef));
    if (cycles.length > 0) {
      throwIfIssues(
        cycles.map((ref) => ({ index: records.findIndex((r) => r.externalRef === ref), ref, field: 'parentRef', reason: 'the parent chain loops back to this customer' })),
        'customer',
        items.length,
      );
    }
    if (result.inserted.length > 0) {
      await recordAudit(tx, actor, { action: 'create', entity: 'customer', after: { externalRefs: result.inserted } });
    }
    return { inserted: result.inserted.length, updated: result.updated, unchanged: items.length - result.inserted.length - result.updated };
  });
}
