import { normalizeDigits, sirenError } from '../../domain/identifiers';
import type { Db } from '../../infra/db/db';
import { findCustomerIdsByRef, findCustomerIdsBySiren } from '../../infra/db/repos/customers-repo';

/** How a bureau file or an ERP names the company a record is about: our customer code, or its SIREN. */
export type CustomerKey = { customerRef?: string | null; siren?: string | null };

/**
 * Resolves customer codes and SIRENs of a batch to customer ids in one query each. A SIREN names
 * a company, which may be several customer accounts: all of them get the record.
 */
export async function resolveCustomerKeys(db: Db, organisationId: string, keys: CustomerKey[]) {
  const refs = [...new Set(keys.map((k) => k.customerRef).filter((r): r is string => !!r))];
  const sirens = [...new Set(keys.map((k) => (k.siren ? normalizeDigits(k.siren) : null)).filter((s): s is string => !!s))];
  const byRef = refs.length ? await findCustomerIdsByRef(db, organisationId, refs) : new Map<string, string>();
  const bySiren = sirens.length ? await findCustomerIdsBySiren(db, organisationId, sirens) : new Map<string, string[]>();
  const seen = new Map<string, number>();
  /**
   * The customers the item at `index` is about, reporting to `issue` a key that names none, and an
   * item writing the same record (`record.key`, e.g. the fiscal year) of a customer as an earlier one.
   */
  return (key: CustomerKey, index: number, issue: (field: string, reason: string, value?: unknown) => void, record: { key: string; field: string; value: unknown; what: string }): string[] => {
    const found = find(key);
    if ('field' in found) {
      issue(found.field, found.reason, found.value);
      return [];
    }
    for (const id of found.ids) {
      const first = seen.get(`${id}|${record.key}`);
      if (first !== undefined) issue(record.field, `the same customer has ${record.what} in record ${first + 1} of this batch`, record.value);
      else seen.set(`${id}|${record.key}`, index);
    }
    return found.ids;
  };

  function find(key: CustomerKey): { ids: string[] } | { field: string; reason: string; value: unknown } {
    if (key.customerRef) {
      const id = byRef.get(key.customerRef);
      return id ? { ids: [id] } : { field: 'customerRef', reason: 'unknown customer', value: key.customerRef };
    }
    if (!key.siren) return { field: 'customerRef', reason: 'a customer code or a SIREN is required', value: '' };
    const invalid = sirenError(key.siren);
    if (invalid) return { field: 'siren', reason: invalid, value: key.siren };
    const ids = bySiren.get(normalizeDigits(key.siren));
    return ids ? { ids } : { field: 'siren', reason: 'no customer has this SIREN', value: key.siren };
  }
}

