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

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
  return row;
}

export async function listUsers(db: Db, organisationId: string) {
  return db.query<Omit<UserRow, 'password_hash'> & { created_at: Date }>(
    'SELECT id, organisation_id, email, name, role, locale, disabled_at, created_at FROM users WHERE organisation_id = $1 ORDER BY lower(name), id',
    [organisationId],
  );
}

export async function insertSession(db: Db, s: { organisationId: string; userId: string; tokenHash: string; expiresAt: Date }) {
  await db.query('INSERT INTO sessions (organisation_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)', [
    s.organisationId,
    s.userId,
    s.tokenHash,
    s.expiresAt,
  ]);
}

export async function findSessionUser(db: Db, tokenHash: string, now: Date): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>(
    `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [tokenHash, now],
  );
  return row;
}

export async function deleteSession(db: Db, tokenHash: string) {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
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

export async function findApiKey(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.query<ApiKeyRow>(
    `UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL
     RETURNING id, organisation_id, name, prefix, role, created_at, last_used_at, revoked_at`,
    [keyHash],
  );
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
