import type { Db } from '../../infra/db/db';
import type { Actor } from '../actor';

/** Every import leaves a record with its outcome and report, successful or not. */
export async function recordImport(
  db: Db,
  actor: Actor,
  entry: { kind: 'einvoice' | 'statement' | 'spreadsheet'; fileName?: string; sha: string; status: 'succeeded' | 'failed'; report: unknown },
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO imports (organisation_id, kind, file_name, file_sha256, status, progress, report, created_by_type, created_by, finished_at)
     VALUES ($1, $2, $3, $4, $5, 100, $6::jsonb, $7, $8, now()) RETURNING id`,
    [actor.organisationId, entry.kind, entry.fileName ?? null, entry.sha, entry.status, JSON.stringify(entry.report), actor.type, actor.id],
  );
  return row.id;
}
