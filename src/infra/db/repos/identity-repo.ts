import type { Role } from '../../../domain/receivables/records';
import type { Db } from '../db';

export type UserRow = {
  id: string;
  organisation_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  locale: 'fr' | 'en' | null;
  disabled_at: Date | null;
  created_at: Date;
};
export type OrganisationRow = { id: string; name: string; base_currency: string; settings: Record<string, unknown> };

export async function insertOrganisation(db: Db, org: { name: string; baseCurrency: string }): Promise<OrganisationRow> {
  const [row] = await db.query<OrganisationRow>(
    'INSERT INTO organisations (name, base_currency) VALUES ($1, $2) RETURNING id, name, base_currency, settings',
    [org.name, org.baseCurrency],
  );
  return row;
}

export async function getOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
  const [row] = await db.query<OrganisationRow>('SELECT id, name, base_currency, settings FROM organisations WHERE id = $1', [id]);
  return row;
}

export async function countOrganisations(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM organisations');
  return row.n;
}

export async function insertUser(db: Db, user: { organisationId: string; email: string; name: string; role: Role; passwordHash: string; locale?: string | null }): Promise<UserRow> {
  const [row] = await db.query<UserRow>(
    `INSERT INTO users (organisation_id, email, name, role, password_hash, locale) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING *`,
    [user.organisationId, user.email, user.name, user.role, user.passwordHash, user.locale ?? null],
  );
  return row;
}

/**
 * The enabled accounts with this address, across organisations (an address is unique per organisation
 * only): login verifies the password against each. Oldest first, so a tie is resolved the same way.
 */
export async function findActiveUsersByEmail(db: Db, email: string, limit: number): Promise<UserRow[]> {
  return db.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL ORDER BY created_at, id LIMIT $2', [email, limit]);
}

export async function findUserByEmailInOrganisation(db: Db, organisationId: string, email: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE organisation_id = $1 AND lower(email) = lower($2)', [organisationId, email]);
  return row;
}

export async function getUser(db: Db, organisationId: string, id: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE organisation_id = $1 AND id = $2', [organisationId, id]);
  return row;
}

export async function setUserDisabled(db: Db, organisationId: string, id: string, disabledAt: Date | null): Promise<void> {
  await db.query('UPDATE users SET disabled_at = $3 WHERE organisation_id = $1 AND id = $2', [organisationId, id, disabledAt]);
}

export async function setUserPassword(db: Db, organisationId: string, id: string, passwordHash: string, now: Date): Promise<void> {
  await db.query('UPDATE users SET password_hash = $3, password_changed_at = $4 WHERE organisation_id = $1 AND id = $2', [organisationId, id, passwordHash, now]);
}

export async function listUsers(db: Db, organisationId: string) {
  return db.query<Omit<UserRow, 'password_hash'> & { created_at: Date }>(
    'SELECT id, organisation_id, email, name, role, locale, disabled_at, created_at FROM users WHERE organisation_id = $1 ORDER BY lower(name), id',
    [organisationId],
  );
}

export async function insertSession(db: Db, s: { organisationId: string; userId: string; tokenHash: string; expiresAt: Date; now: Date }) {
  await db.query('INSERT INTO sessions (organisation_id, user_id, token_hash, expires_at, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)', [
    s.organisationId,
    s.userId,
    s.tokenHash,
    s.expiresAt,
    s.now,
  ]);
}

/**
 * The user of a live session: not expired, used within the idle timeout, user enabled. A plain indexed
 * read; the session is marked as seen at most once a minute, so requests do not each become a write.
 */
export async function findSessionUser(db: Db, tokenHash: string, now: Date, idleMs: number): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow & { session_id: string; session_last_seen_at: Date }>(
    `SELECT u.*, s.id AS session_id, s.last_seen_at AS session_last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $2::timestamptz - $3 * interval '1 millisecond' AND u.disabled_at IS NULL`,
    [tokenHash, now, idleMs],
  );
  if (!row) return undefined;
  if (now.getTime() - row.session_last_seen_at.getTime() > 60_000) await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [row.session_id, now]);
  const { session_id: _id, session_last_seen_at: _seen, ...user } = row;
  return user;
}

export async function deleteSession(db: Db, tokenHash: string) {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

/** Ends every session of a user (but the one whose token hash is kept, if any); returns how many. */
export async function deleteUserSessions(db: Db, organisationId: string, userId: string, keepTokenHash?: string): Promise<number> {
  const rows = await db.query('DELETE FROM sessions WHERE organisation_id = $1 AND user_id = $2 AND token_hash <> $3 RETURNING id', [organisationId, userId, keepTokenHash ?? '']);
  return rows.length;
}

/** Removes expired and idle sessions, and failed-login counters nobody has touched for a day. */
export async function purgeSessions(db: Db, now: Date, idleMs: number): Promise<{ sessions: number; throttles: number }> {
  const sessions = await db.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $1::timestamptz - $2 * interval \'1 millisecond\' RETURNING id', [now, idleMs]);
  const throttles = await db.query(
    `DELETE FROM login_throttle WHERE last_failure_at < $1::timestamptz - interval '1 day' AND (locked_until IS NULL OR locked_until < $1) RETURNING account_key`,
    [now],
  );
  return { sessions: sessions.length, throttles: throttles.length };
}

/**
 * Counts a login attempt for an account before the password is checked (so parallel guesses are all
 * counted) and locks the account for a growing delay once `freeAttempts` is reached. Returns false,
 * without counting, while the account is locked.
 */
export async function claimLoginAttempt(db: Db, a: { accountKey: string; now: Date; freeAttempts: number; maxDelaySeconds: number }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO login_throttle (account_key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, NULL)
     ON CONFLICT (account_key) DO UPDATE SET
       failures = login_throttle.failures + 1,
       last_failure_at = $2,
       locked_until = CASE WHEN login_throttle.failures + 1 >= $3
         THEN $2::timestamptz + least($4::float8, power(2, login_throttle.failures + 1 - $3)) * interval '1 second' END
     WHERE login_throttle.locked_until IS NULL OR login_throttle.locked_until <= $2
     RETURNING failures`,
    [a.accountKey, a.now, a.freeAttempts, a.maxDelaySeconds],
  );
  return rows.length > 0;
}

export async function clearLoginAttempts(db: Db, accountKey: string) {
  await db.query('DELETE FROM login_throttle WHERE account_key = $1', [accountKey]);
}

export type ApiKeyRow = { id: string; organisation_id: string; name: string; prefix: string; role: Role; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };

export async function insertApiKey(db: Db, k: { organisationId: string; name: string; prefix: string; keyHash: string; role: Role; createdBy: string | null }): Promise<ApiKeyRow> {
  const [row] = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (organisation_id, name, prefix, key_hash, role, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, organisation_id, name, prefix, role, created_at, last_used_at, revoked_at`,
    [k.organisationId, k.name, k.prefix, k.keyHash, k.role, k.createdBy],
  );
  return row;
}

/** A live key by its hash: a plain indexed read; its use is noted at most once a minute, so each call is not a write. */
export async function findApiKey(db: Db, keyHash: string, now: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await db.query<ApiKeyRow>(
    'SELECT id, organisation_id, name, prefix, role, created_at, last_used_at, revoked_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [keyHash],
  );
  if (row && (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000)) {
    await db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [row.id, now]);
  }
  return row;
}

export async function listApiKeys(db: Db, organisationId: string) {
  return db.query<ApiKeyRow>(
    'SELECT id, organisation_id, name, prefix, role, created_at, last_used_at, revoked_at FROM api_keys WHERE organisation_id = $1 ORDER BY created_at DESC',
    [organisationId],
  );
}

export async function revokeApiKey(db: Db, organisationId: string, id: string): Promise<boolean> {
  const rows = await db.query('UPDATE api_keys SET revoked_at = now() WHERE organisation_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id', [organisationId, id]);
  return rows.length > 0;
}
