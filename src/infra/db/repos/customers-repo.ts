import type { Db } from '../db';
import type { CustomerRecord } from '../../../domain/receivables/records';
import type { Actor } from '../../../app/actor';

/** Whether the organisation has this customer (what a route naming a customer by id checks first). */
export async function customerExists(db: Db, organisationId: string, id: string): Promise<boolean> {
  const [row] = await db.query('SELECT 1 FROM customers WHERE organisation_id = $1 AND id = $2', [organisationId, id]);
  return row !== undefined;
}

export async function findCustomerIdsByRef(db: Db, organisationId: string, refs: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ external_ref: string; id: string }>(
    'SELECT external_ref, id FROM customers WHERE organisation_id = $1 AND external_ref = ANY($2::text[])',
    [organisationId, refs],
  );
  return new Map(rows.map((r) => [r.external_ref, r.id]));
}

/** Customers by SIREN: one company may be several customer accounts, so each SIREN gives a list. */
export async function findCustomerIdsBySiren(db: Db, organisationId: string, sirens: string[]): Promise<Map<string, string[]>> {
  const rows = await db.query<{ siren: string; id: string }>(
    'SELECT siren, id FROM customers WHERE organisation_id = $1 AND siren = ANY($2::text[]) ORDER BY external_ref',
    [organisationId, sirens],
  );
  const bySiren = new Map<string, string[]>();
  for (const r of rows) bySiren.set(r.siren, [...(bySiren.get(r.siren) ?? []), r.id]);
  return bySiren;
}

/** The customers owing the invoices of these numbers (the payers of payments allocated to them). */
export async function findCustomerIdsByInvoiceNumbers(db: Db, organisationId: string, numbers: string[]): Promise<string[]> {
  if (numbers.length === 0) return [];
  const rows = await db.query<{ customer_id: string }>('SELECT DISTINCT customer_id FROM invoices WHERE organisation_id = $1 AND number = ANY($2::text[])', [organisationId, numbers]);
  return rows.map((r) => r.customer_id);
}

export async function findUserIdsByEmail(db: Db, organisationId: string, emails: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ email: string; id: string }>(
    'SELECT lower(email) AS email, id FROM users WHERE organisation_id = $1 AND lower(email) = ANY($2::text[])',
    [organisationId, emails.map((e) => e.toLowerCase())],
  );
  return new Map(rows.map((r) => [r.email, r.id]));
}

const COLUMNS = [
  'external_ref', 'legal_name', 'siren', 'siret', 'vat_number', 'lei', 'country', 'address_line1', 'address_line2',
  'postal_code', 'city', 'segment', 'activity_code', 'payment_terms_days', 'currency', 'collector_id',
] as const;
const TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'uuid'];

/**
 * Inserts or updates customers by external_ref in one statement; updated rows are audited
 * with their before and after images, unchanged rows are left alone.
 */
export async function upsertCustomerRows(
  db: Db,
  actor: Actor,
  records: (CustomerRecord & { collectorId: string | null })[],
): Promise<{ inserted: string[]; updated: number }> {
  const arrays = COLUMNS.map((c) => records.map((r) => valueOf(r, c)));
  const tags = records.map((r) => JSON.stringify(r.tags ?? []));
  const cols = COLUMNS.join(', ');
  const unnest = COLUMNS.map((_, k) => `$${k + 3}::${TYPES[k]}[]`).join(', ');
  const tagsParam = `$${COLUMNS.length + 3}::text[]`;
  const rows = await db.query<{ id: string; external_ref: string; was_new: boolean }>(
    `WITH input AS (
       SELECT t.*, ARRAY(SELECT jsonb_array_elements_text(tj::jsonb)) AS tags
       FROM unnest(${unnest}, ${tagsParam}) AS t(${cols}, tj)
     ),
     old AS (
       SELECT c.* FROM customers c WHERE c.organisation_id = $1 AND c.external_ref = ANY($3::text[])
     ),
     up AS (
       INSERT INTO customers (organisation_id, ${cols}, tags)
       SELECT $1, ${cols}, tags FROM input
       ON CONFLICT (organisation_id, external_ref) DO UPDATE SET
         ${COLUMNS.filter((c) => c !== 'external_ref').map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
         tags = EXCLUDED.tags, updated_at = now()
       WHERE (${COLUMNS.map((c) => `customers.${c}`).join(', ')}, customers.tags)
         IS DISTINCT FROM (${COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')}, EXCLUDED.tags)
       RETURNING customers.*
     ),
     audit AS (
       INSERT INTO audit_log (organisation_id, actor_type, actor_id, action, entity, entity_id, before, after)
       SELECT $1, $2::jsonb->>'type', ($2::jsonb->>'id')::uuid, 'update', 'customer', up.id, to_jsonb(old), to_jsonb(up)
       FROM up JOIN old ON old.id = up.id
     )
     SELECT up.id, up.external_ref, old.id IS NULL AS was_new FROM up LEFT JOIN old ON old.id = up.id`,
    [actor.organisationId, JSON.stringify({ type: actor.type, id: actor.id }), ...arrays, tags],
  );
  return { inserted: rows.filter((r) => r.was_new).map((r) => r.external_ref), updated: rows.filter((r) => !r.was_new).length };
}

/** Links customers to their parents by external ref (second pass, so parents may come in the same batch). */
export async function setCustomerParents(db: Db, organisationId: string, links: { ref: string; parentRef: string | null }[]) {
  if (links.length === 0) return;
  await db.query(
    `UPDATE customers c SET parent_id = p.id, updated_at = now()
     FROM unnest($2::text[], $3::text[]) AS l(ref, parent_ref)
     LEFT JOIN customers p ON p.organisation_id = $1 AND p.external_ref = l.parent_ref
     WHERE c.organisation_id = $1 AND c.external_ref = l.ref AND c.parent_id IS DISTINCT FROM p.id`,
    [organisationId, links.map((l) => l.ref), links.map((l) => l.parentRef)],
  );
}

/** Customers whose parent chain loops back to themselves (a group cannot own itself). */
export async function findGroupCycles(db: Db, organisationId: string, refs: string[]): Promise<string[]> {
  const rows = await db.query<{ external_ref: string }>(
    `WITH RECURSIVE chain(start_id, id, depth) AS (
       SELECT c.id, c.parent_id, 1 FROM customers c WHERE c.organisation_id = $1 AND c.external_ref = ANY($2::text[]) AND c.parent_id IS NOT NULL
       UNION ALL
       SELECT chain.start_id, p.parent_id, chain.depth + 1 FROM chain JOIN customers p ON p.id = chain.id
       WHERE p.parent_id IS NOT NULL AND chain.id <> chain.start_id AND chain.depth < 50
     )
     SELECT DISTINCT c.external_ref FROM chain JOIN customers c ON c.id = chain.start_id WHERE chain.id = chain.start_id`,
    [organisationId, refs],
  );
  return rows.map((r) => r.external_ref);
}

function valueOf(r: CustomerRecord & { collectorId: string | null }, column: (typeof COLUMNS)[number]): unknown {
  switch (column) {
    case 'external_ref': return r.externalRef;
    case 'legal_name': return r.legalName;
    case 'siren': return r.siren ?? null;
    case 'siret': return r.siret ?? null;
    case 'vat_number': return r.vatNumber ?? null;
    case 'lei': return r.lei ?? null;
    case 'country': return r.country;
    case 'address_line1': return r.addressLine1 ?? null;
    case 'address_line2': return r.addressLine2 ?? null;
    case 'postal_code': return r.postalCode ?? null;
    case 'city': return r.city ?? null;
    case 'segment': return r.segment ?? null;
    case 'activity_code': return r.activityCode ?? null;
    case 'payment_terms_days': return r.paymentTermsDays ?? null;
    case 'currency': return r.currency ?? null;
    case 'collector_id': return r.collectorId;
  }
}
