import type { Role } from '../../domain/receivables/records';
import { isKnownCurrency } from '../../domain/money';
import type { Db } from '../../infra/db/db';
import { insertOrganisation } from '../../infra/db/repos/identity-repo';
import { systemActor } from '../actor';
import { AppError } from '../app-error';
import { createUser } from '../auth/create-user';

/** Creates an organisation with its first administrator. */
export async function createOrganisation(options: {
  db: Db;
  name: string;
  baseCurrency?: string;
  admin: { email: string; name: string; password: string; role?: Role };
}) {
  const baseCurrency = options.baseCurrency ?? 'EUR';
  if (!isKnownCurrency(baseCurrency)) throw new AppError('validation_failed', 'unknown currency', [{ field: 'baseCurrency', reason: 'unknown ISO 4217 currency', value: baseCurrency }]);
  return options.db.transaction(async (tx) => {
    const organisation = await insertOrganisation(tx, { name: options.name, baseCurrency });
    const admin = await createUser({ db: tx, actor: systemActor(organisation.id), ...options.admin, role: options.admin.role ?? 'admin' });
    return { organisation, admin };
  });
}
