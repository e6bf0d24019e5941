import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { deleteUserSessions, getUser } from '../../infra/db/repos/identity-repo';
import type { Actor } from '../actor';
import { notFound } from '../app-error';

/** An administrator logs a user out everywhere (a lost laptop); returns how many sessions ended. */
export async function revokeUserSessions(options: { db: Db; actor: Actor; userId: string }) {
  const { db, actor } = options;
  return db.transaction(async (tx) => {
    const user = await getUser(tx, actor.organisationId, options.userId);
    if (!user) throw notFound('user');
    const revoked = await deleteUserSessions(tx, actor.organisationId, user.id);
    await recordAudit(tx, actor, { action: 'revoke_sessions', entity: 'user', entityId: user.id, after: { revoked } });
    return revoked;
  });
}
