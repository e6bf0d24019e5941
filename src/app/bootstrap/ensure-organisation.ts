import type { Db } from '../../infra/db/db';
import { countOrganisations } from '../../infra/db/repos/identity-repo';
import { randomToken } from '../../infra/secrets';
import { createOrganisation } from '../organisations/create-organisation';

/**
 * On the very first start, creates the organisation and its administrator so a newcomer can
 * log in at once. Returns the generated password (to print once) or null if nothing was created.
 */
export async function ensureFirstOrganisation(options: {
  db: Db;
  name: string;
  baseCurrency: string;
  adminEmail: string;
  adminPassword?: string;
}): Promise<{ organisationId: string; adminEmail: string; password: string; isPasswordGenerated: boolean } | null> {
  if ((await countOrganisations(options.db)) > 0) return null;
  const password = options.adminPassword ?? randomToken(12);
  const { organisation } = await createOrganisation({
    db: options.db,
    name: options.name,
    baseCurrency: options.baseCurrency,
    admin: { email: options.adminEmail, name: 'Administrateur', password },
  });
  return { organisationId: organisation.id, adminEmail: options.adminEmail, password, isPasswordGenerated: !options.adminPassword };
}
