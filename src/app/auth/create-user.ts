import type { Role } from '../../domain/receivables/records';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { findUserByEmailInOrganisation, insertUser } from '../../infra/db/repos/identity-repo';
import { hashPassword } from '../../infra/secrets';
import type { Actor } from '../actor';
import { AppError } from '../app-error';
import { assertPasswordPolicy } from './password-policy';

export { MIN_PASSWORD_LENGTH } from './password-policy';

/**
 * Adds a user to the actor's organisation. An address is unique within an organisation only, so the
 * answer never says whether it exists in another one.
 */
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
  const email = options.email.trim();
  assertPasswordPolicy({ password: options.password, email });
  if (await findUserByEmailInOrganisation(db, actor.organisationId, email)) {
    throw new AppError('conflict', 'a user of this organisation already has this e-mail', [{ field: 'email', reason: 'already used in this organisation', value: email }]);
  }
  const passwordHash = await hashPassword(options.password);
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      organisationId: actor.organisationId,
      email,
      name: options.name,
      role: options.role,
      passwordHash,
      locale: options.locale,
    });
    await recordAudit(tx, actor, { action: 'create', entity: 'user', entityId: user.id, after: { email: user.email, name: user.name, role: user.role } });
    return user;
  });
}
