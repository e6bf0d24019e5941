import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { deleteUserSessions, getUser, setUserDisabled as storeDisabled } from '../../infra/db/repos/identity-repo';
import type { Actor } from '../actor';
import { AppError, notFound } from '../app-error';

/** An administrator disables (every session ends at once) or re-enables a user of the organisation. */
export async function setUserDisabled(options: { db: Db; actor: Actor; userId: string; isDisabled: boolean; now: Date }) {
  const { db, actor } = options;
  if (options.isDisabled && actor.type === 'user' && actor.id === options.userId) {
    throw new AppError('conflict', 'you cannot disable your own account', [{ field: 'id', reason: 'is you: ask another administrator' }]);
  }
  return db.transaction(async (tx) => {
    const user = await getUser(tx, actor.organisationId, options.userId);
    if (!user) throw notFound('user');
    if ((user.disabled_at !== null) === options.isDisabled) return user;
    const disabledAt = options.isDisabled ? options.now : null;
    await storeDisabled(tx, actor.organisationId, user.id, disabledAt);
    if (options.isDisabled) await deleteUserSessions(tx, actor.organisationId, user.id);
    await recordAudit(tx, actor, { action: options.isDisabled ? 'disable' : 'enable', entity: 'user', entityId: user.id, before: { disabledAt: user.disabled_at }, after: { disabledAt } });
    return { ...user, disabled_at: disabledAt };
  });
}
