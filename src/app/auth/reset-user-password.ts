import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { deleteUserSessions, getUser, setUserPassword } from '../../infra/db/repos/identity-repo';
import { hashPassword } from '../../infra/secrets';
import type { Actor } from '../actor';
import { notFound } from '../app-error';
import { assertPasswordPolicy } from './password-policy';

/** An administrator sets a new password for a user of the organisation; the user's sessions end. */
export async function resetUserPassword(options: { db: Db; actor: Actor; userId: string; password: string; now: Date }) {
  const { db, actor } = options;
  const user = await getUser(db, actor.organisationId, options.userId);
  if (!user) throw notFound('user');
  assertPasswordPolicy({ password: options.password, email: user.email });
  const passwordHash = await hashPassword(options.password);
  await db.transaction(async (tx) => {
    await setUserPassword(tx, actor.organisationId, user.id, passwordHash, options.now);
    await deleteUserSessions(tx, actor.organisationId, user.id);
    await recordAudit(tx, actor, { action: 'reset_password', entity: 'user', entityId: user.id });
  });
}
