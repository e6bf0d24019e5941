import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import type { Actor } from '../actor';
import { notFound } from '../app-error';

export async function addContact(options: {
  db: Db;
  actor: Actor;
  customerId: string;
  contact: { name: string; email?: string | null; phone?: string | null; role?: string | null; isPrimary: boolean };
}) {
  const { db, actor, customerId, contact } = options;
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string; name: string; email: string | null; phone: string | null; role: string | null; is_primary: boolean }>(
      `INSERT INTO contacts (organisation_id, customer_id, name, email, phone, role, is_primary)
       SELECT $1, c.id, $3, $4, $5, $6, $7 FROM customers c WHERE c.organisation_id = $1 AND c.id = $2
       RETURNING id, name, email, phone, role, is_primary`,
      [actor.organisationId, customerId, contact.name, contact.email ?? null, contact.phone ?? null, contact.role ?? null, contact.isPrimary],
    );
    if (rows.length === 0) throw notFound('customer');
    const row = rows[0];
    await recordAudit(tx, actor, { action: 'create', entity: 'contact', entityId: row.id, after: row });
    return { id: row.id, name: row.name, email: row.email, phone: row.phone, role: row.role, isPrimary: row.is_primary };
  });
}
