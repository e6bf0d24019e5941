import { OrganisationSettings } from '../../contract/settings';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { enqueueJobs } from '../../infra/jobs/job-queue';
import type { Actor } from '../actor';
import { AppError } from '../app-error';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Deep merge of a patch into stored settings: objects merge key by key, anything else (arrays,
 * numbers, null) replaces. Unlike RFC 7396, null is a value here: in a limit policy it means
 * "no credit for this band". What the patch does not name is kept.
 */
export function mergeSettings(target: Json | undefined, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Record<string, Json> = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) result[key] = mergeSettings(result[key], value);
  return result;
}

/**
 * Changes an organisation's settings by a patch: the merged settings are validated whole,
 * stored with their audit row in one transaction, and a rescore is queued (weights and policies
 * change the scores and limits).
 */
export async function updateSettings(options: { db: Db; actor: Actor; patch: Json; today: string }): Promise<OrganisationSettings> {
  const { db, actor } = options;
  if (options.patch === null || typeof options.patch !== 'object' || Array.isArray(options.patch)) {
    throw new AppError('validation_failed', 'invalid settings', [{ field: '(root)', reason: 'must be a JSON object of the sections to change' }]);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ settings: Json }>('SELECT settings FROM organisations WHERE id = $1 FOR UPDATE', [actor.organisationId]);
    const before = row?.settings ?? {};
    const parsed = OrganisationSettings.safeParse(mergeSettings(before, options.patch));
    if (!parsed.success) {
      throw new AppError('validation_failed', 'invalid settings', parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(root)', reason: issue.message })));
    }
    await tx.query('UPDATE organisations SET settings = $2::jsonb WHERE id = $1', [actor.organisationId, JSON.stringify(parsed.data)]);
    await recordAudit(tx, actor, { action: 'update', entity: 'settings', entityId: actor.organisationId, before, after: parsed.data });
    await enqueueJobs(tx, [{ organisationId: actor.organisationId, kind: 'rescore', payload: { asOf: options.today, reason: 'settings changed' }, dedupKey: `rescore:${actor.organisationId}:settings` }]);
    return parsed.data;
  });
}
