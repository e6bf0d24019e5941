import type { Actor } from '../../../app/actor';
import type { Db } from '../db';

export async function recordAudit(
  db: Db,
  actor: Actor,
  entry: { action: string; entity: string; entityId?: string | null; before?: unknown; after?: unknown },
): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (organisation_id, actor_type, actor_id, action, entity, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
    [
      actor.organisationId,
      actor.type,
      actor.id,
      entry.action,
      entry.entity,
      entry.entityId ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
}

export async function listAudit(db: Db, organisationId: string, filter: { entity?: string; entityId?: string; limit: number; beforeId?: number }) {
  return db.query<{ id: number; actor_type: string; actor_id: string | null; action: string; entity: string; entity_id: string | null; before: unknown; after: unknown; at: Date }>(
    `SELECT id, actor_type, actor_id, action, entity, entity_id, before, after, at FROM audit_log
     WHERE organisation_id = $1 AND ($2::text IS NULL OR entity = $2) AND ($3::uuid IS NULL OR entity_id = $3)
       AND ($4::bigint IS NULL OR id < $4)
     ORDER BY id DESC LIMIT $5`,
    [organisationId, filter.entity ?? null, filter.entityId ?? null, filter.beforeId ?? null, filter.limit],
  );
}
