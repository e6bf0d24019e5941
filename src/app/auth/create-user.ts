import type { Role } from '../../domain/receivables/records';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { findUserByEmail, insertUser } from '../../infra/db/repos/identity-repo';
import { hashPassword } from '../../infra/secrets';
import type { Actor } from '../actor';
import { AppError } from '../app-error';

export const MIN_PASSWORD_LENGTH = 10;

export async function createUser(options: {
  db: Db;
  actor: Actor;
  email: string;
  name: string;
  role: Role;
  password: string;
  locale?: 'fr' | 'en' | null;
}) {
  const { db, actor } = options;
  if (options.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', 'password too short', [{ field: 'password', reason: `must have at least ${MIN_PASSWORD_LENGTH} characters` }]);
  }
  if (await findUserByEmail(db, options.email)) {
    throw new AppError('conflict', 'a user with this e-mail already exists', [{ field: 'email', reason: 'already used', value: options.email }]);
  }
  const passwordHash = await hashPassword(options.password);
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      organisationId: actor.organisationId,
      email: options.email,
      name: options.name,
      role: options.role,
      passwordHash,
      locale: options.locale,
    });
    await recordAudit(tx, actor, { action: 'create', entity: 'user', entityId: user.id, after: { email: user.email, name: user.name, role: user.role } });
    return user;
  });
}
