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
  forgetAuthentications();
}

/**
 * Recent authentications, kept a few seconds so that a burst of requests (an ERP's batch, a
 * progress poll while the embedded database is busy with an import) does not hit the database each
 * time. Logging out and revoking a key clear it at once.
 */
const AUTH_CACHE_MS = 15_000;
const cache = new Map<string, { auth: Authenticated; until: number }>();

export function forgetAuthentications() {
  cache.clear();
}

export type Authenticated = { actor: Actor; user?: UserRow; sessionExpiresAt?: Date };

/** Resolves a session cookie or an API key (Bearer) to an actor, or null. */
export async function authenticate(options: { db: Db; sessionToken?: string; bearer?: string; now: Date }): Promise<Authenticated | null> {
  const key = options.bearer ? `k:${sha256(options.bearer)}` : options.sessionToken ? `s:${sha256(options.sessionToken)}` : null;
  if (!key) return null;
  const cached = cache.get(key);
  const now = options.now.getTime();
  if (cached && cached.until > now && (!cached.auth.sessionExpiresAt || cached.auth.sessionExpiresAt.getTime() > now)) return cached.auth;
  const auth = await authenticateFromDb(options);
  if (auth) {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { auth, until: now + AUTH_CACHE_MS });
  }
  return auth;
}

async function authenticateFromDb(options: { db: Db; sessionToken?: string; bearer?: string; now: Date }): Promise<Authenticated | null> {
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
