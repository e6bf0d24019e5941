import type { Role } from '../../domain/receivables/records';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { insertApiKey } from '../../infra/db/repos/identity-repo';
import { randomToken, sha256 } from '../../infra/secrets';
import type { Actor } from '../actor';

/** Creates an API key for a machine; the secret is returned once and only its hash is kept. */
export async function createApiKey(options: { db: Db; actor: Actor; name: string; role: Role }) {
  const prefix = randomToken(6);
  const secret = `enc_${prefix}_${randomToken(32)}`;
  return options.db.transaction(async (tx) => {
    const key = await insertApiKey(tx, {
      organisationId: options.actor.organisationId,
      name: options.name,
      prefix,
      keyHash: sha256(secret),
      role: options.role,
      createdBy: options.actor.type === 'user' ? options.actor.id : null,
    });
    await recordAudit(tx, options.actor, { action: 'create', entity: 'api_key', entityId: key.id, after: { name: key.name, role: key.role, prefix } });
    return { key, secret };
  });
}
