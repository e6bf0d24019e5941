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

/** Opens an import as running (committed at once, so it can be followed while it works). */
export async function openImport(db: Db, actor: Actor, entry: { kind: 'einvoice' | 'statement' | 'spreadsheet'; fileName?: string; sha: string }): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO imports (organisation_id, kind, file_name, file_sha256, status, progress, created_by_type, created_by)
     VALUES ($1, $2, $3, $4, 'running', 0, $5, $6) RETURNING id`,
    [actor.organisationId, entry.kind, entry.fileName ?? null, entry.sha, actor.type, actor.id],
  );
  return row.id;
}

export async function closeImport(db: Db, actor: Actor, importId: string, outcome: { status: 'succeeded' | 'failed'; report: unknown }): Promise<void> {
  await db.query(
    `UPDATE imports SET status = $3, progress = 100, report = $4::jsonb, finished_at = now() WHERE organisation_id = $1 AND id = $2`,
    [actor.organisationId, importId, outcome.status, JSON.stringify(outcome.report)],
  );
}

/** Background imports of the organisation not finished yet (queued or running, in any process). */
export async function countRunningImports(db: Db, organisationId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM imports WHERE organisation_id = $1 AND status = 'running'`, [organisationId]);
  return row.n;
}
