import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { claimLoginAttempt, clearLoginAttempts, deleteUserSessions, setUserPassword, type UserRow } from '../../infra/db/repos/identity-repo';
import { hashPassword, verifyPassword } from '../../infra/secrets';
import type { Actor } from '../actor';
import { AppError } from '../app-error';
import { assertPasswordPolicy } from './password-policy';
import { LOGIN_FREE_ATTEMPTS, LOGIN_MAX_DELAY_SECONDS, loginAccountKey } from './sessions';

/**
 * A logged-in user changes their own password, proving the current one (a stolen session alone is not
 * enough). Guesses of the current password count against the same per-account limit as logins. Every
 * other session of the user ends; the one making the change stays open.
 */
export async function changeOwnPassword(options: { db: Db; actor: Actor; user: UserRow; sessionTokenHash?: string; currentPassword: string; newPassword: string; now: Date }) {
  const { db, user, now } = options;
  const accountKey = loginAccountKey(user.email);
  if (!(await claimLoginAttempt(db, { accountKey, now, freeAttempts: LOGIN_FREE_ATTEMPTS, maxDelaySeconds: LOGIN_MAX_DELAY_SECONDS }))) {
    throw new AppError('rate_limited', 'too many wrong passwords; wait a few minutes and try again');
  }
  if (!(await verifyPassword(user.password_hash, options.currentPassword))) {
    throw new AppError('validation_failed', 'the current password is wrong', [{ field: 'currentPassword', reason: 'is wrong' }]);
  }
  await clearLoginAttempts(db, accountKey);
  assertPasswordPolicy({ password: options.newPassword, email: user.email, field: 'newPassword' });
  if (await verifyPassword(user.password_hash, options.newPassword)) {
    throw new AppError('validation_failed', 'the new password is the current one', [{ field: 'newPassword', reason: 'must differ from the current password' }]);
  }
  const passwordHash = await hashPassword(options.newPassword);
  await db.transaction(async (tx) => {
    await setUserPassword(tx, user.organisation_id, user.id, passwordHash, now);
    await deleteUserSessions(tx, user.organisation_id, user.id, options.sessionTokenHash);
    await recordAudit(tx, options.actor, { action: 'change_password', entity: 'user', entityId: user.id });
  });
}
