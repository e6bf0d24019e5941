import type { Db } from '../../infra/db/db';
import { deleteSession, findApiKey, findSessionUser, findUserByEmail, insertSession, type UserRow } from '../../infra/db/repos/identity-repo';
import { randomToken, sha256, verifyPassword } from '../../infra/secrets';
import type { Actor } from '../actor';
import { AppError } from '../app-error';

export const SESSION_DAYS = 14;

/** Checks e-mail and password; on success opens a session whose raw token goes to the cookie only. */
export async function logIn(options: { db: Db; email: string; password: string; now: Date }): Promise<{ user: UserRow; token: string; expiresAt: Date }> {
  const user = await findUserByEmail(options.db, options.email);
  // Same answer for an unknown e-mail and a wrong password: no account enumeration.
  if (!user || user.disabled_at || !(await verifyPassword(user.password_hash, options.password))) {
    throw new AppError('unauthenticated', 'e-mail or password is wrong');
  }
  const token = randomToken();
  const expiresAt = new Date(options.now.getTime() + SESSION_DAYS * 86_400_000);
  await insertSession(options.db, { organisationId: user.organisation_id, userId: user.id, tokenHash: sha256(token), expiresAt });
  return { user, token, expiresAt };
}

export async function logOut(options: { db: Db; token: string }): Promise<void> {
  await deleteSession(options.db, sha256(options.token));
}

export type Authenticated = { actor: Actor; user?: UserRow };

/** Resolves a session cookie or an API key (Bearer) to an actor, or null. */
export async function authenticate(options: { db: Db; sessionToken?: string; bearer?: string; now: Date }): Promise<Authenticated | null> {
  if (options.bearer) {
    const key = await findApiKey(options.db, sha256(options.bearer));
    if (!key) return null;
    return { actor: { organisationId: key.organisation_id, type: 'api_key', id: key.id, role: key.role } };
  }
  if (options.sessionToken) {
    const user = await findSessionUser(options.db, sha256(options.sessionToken), options.now);
    if (!user) return null;
    return { actor: { organisationId: user.organisation_id, type: 'user', id: user.id, role: user.role }, user };
  }
  return null;
}
