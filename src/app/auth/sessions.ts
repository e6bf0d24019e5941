import type { Db } from '../../infra/db/db';
import {
  claimLoginAttempt,
  clearLoginAttempts,
  deleteSession,
  findActiveUsersByEmail,
  findApiKey,
  findSessionUser,
  insertSession,
  type UserRow,
} from '../../infra/db/repos/identity-repo';
import { hashPassword, randomToken, sha256, verifyPassword } from '../../infra/secrets';
import type { Actor } from '../actor';
import { AppError } from '../app-error';

export const SESSION_DAYS = 14;
/** A session unused for this long ends, even before its SESSION_DAYS are over. */
export const SESSION_IDLE_MS = 2 * 3600_000;
/** Failed attempts per account before each further attempt waits 1 s, 2 s, 4 s… up to 15 minutes. */
export const LOGIN_FREE_ATTEMPTS = 5;
export const LOGIN_MAX_DELAY_SECONDS = 15 * 60;
/**
 * Every login verifies at least this many password hashes (real ones, then a dummy), so the time taken
 * says neither whether the address exists nor whether it also exists in another organisation.
 */
export const LOGIN_VERIFICATIONS = 2;
/** More accounts sharing one address than this are not tried (an address in more organisations is unusual). */
const MAX_ACCOUNTS_PER_EMAIL = 10;

let dummyHash: Promise<string> | undefined;
/** A hash of a random secret with the same argon2 settings as real ones: verifying it costs the same. */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
}

/** The key of the per-account login counter; the same for an address whether or not it exists. */
export const loginAccountKey = (email: string) => sha256(email.trim().toLowerCase());

/**
 * Checks e-mail and password; on success opens a session whose raw token goes to the cookie only.
 * An address is unique per organisation only: the password is verified against each enabled account
 * with this address and the oldest that matches opens the session.
 */
export async function logIn(options: { db: Db; email: string; password: string; now: Date }): Promise<{ user: UserRow; token: string; expiresAt: Date }> {
  const { db, now } = options;
  const accountKey = loginAccountKey(options.email);
  if (!(await claimLoginAttempt(db, { accountKey, now, freeAttempts: LOGIN_FREE_ATTEMPTS, maxDelaySeconds: LOGIN_MAX_DELAY_SECONDS }))) {
    throw new AppError('rate_limited', 'too many failed logins for this e-mail address; wait a few minutes and try again');
  }
  const candidates = await findActiveUsersByEmail(db, options.email.trim(), MAX_ACCOUNTS_PER_EMAIL);
  let user: UserRow | undefined;
  for (let i = 0; i < Math.max(candidates.length, LOGIN_VERIFICATIONS); i++) {
    const candidate = candidates[i];
    // Always verify (a dummy hash when there is no account): an unknown e-mail takes as long as a known one.
    const isMatch = await verifyPassword(candidate?.password_hash ?? (await dummyPasswordHash()), options.password);
    if (isMatch && candidate && !user) user = candidate;
  }
  // Same answer for an unknown e-mail, a disabled account and a wrong password: no account enumeration.
  if (!user) throw new AppError('unauthenticated', 'e-mail or password is wrong');
  await clearLoginAttempts(db, accountKey);
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await insertSession(db, { organisationId: user.organisation_id, userId: user.id, tokenHash: sha256(token), expiresAt, now });
  return { user, token, expiresAt };
}

export async function logOut(options: { db: Db; token: string }): Promise<void> {
  await deleteSession(options.db, sha256(options.token));
}

export type Authenticated = { actor: Actor; user?: UserRow; sessionTokenHash?: string };

/**
 * Resolves a session cookie or an API key (Bearer) to an actor, or null. No per-process cache: a
 * logout, a revoked key or a disabled user is refused at once by every process. One indexed query.
 */
export async function authenticate(options: { db: Db; sessionToken?: string; bearer?: string; now: Date }): Promise<Authenticated | null> {
  if (options.bearer) {
    const key = await findApiKey(options.db, sha256(options.bearer), options.now);
    if (!key) return null;
    return { actor: { organisationId: key.organisation_id, type: 'api_key', id: key.id, role: key.role } };
  }
  if (options.sessionToken) {
    const sessionTokenHash = sha256(options.sessionToken);
    const user = await findSessionUser(options.db, sessionTokenHash, options.now, SESSION_IDLE_MS);
    if (!user) return null;
    return { actor: { organisationId: user.organisation_id, type: 'user', id: user.id, role: user.role }, user, sessionTokenHash };
  }
  return null;
}
