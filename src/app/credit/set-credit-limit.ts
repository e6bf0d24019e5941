import { type CreditLimit, effectiveLimit } from '../../domain/credit/limits';
import { formatAmount } from '../../domain/money';
import type { Db } from '../../infra/db/db';
import { raiseAlerts } from '../../infra/db/repos/alerts-repo';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { Actor } from '../actor';
import { AppError, notFound } from '../app-error';
import { releaseHeldOrders } from './release-held-orders';

export type NewCreditLimit = {
  customerId: string;
  source: CreditLimit['source'];
  scope?: 'customer' | 'group';
  amount: number;
  /** Quotité of an insurer cover, as a decimal string ("90", "92.5"). */
  coverPercent?: string | null;
  validFrom: string;
  validUntil?: string | null;
  reason?: string | null;
};

/**
 * Records a credit limit (history is never overwritten), alerts when an insurer reduces or
 * withdraws its cover, and re-examines held orders the new limit may make room for.
 */
export async function setCreditLimit(options: { db: Db; actor: Actor; limit: NewCreditLimit; today: string }) {
  const { db, actor, limit } = options;
  if (limit.validUntil && limit.validUntil < limit.validFrom) throw new AppError('validation_failed', 'invalid period', [{ field: 'validUntil', reason: 'ends before it starts', value: limit.validUntil }]);
  if (limit.coverPercent && limit.source !== 'insurer') throw new AppError('validation_failed', 'cover applies to insurer limits', [{ field: 'coverPercent', reason: 'only an insurer limit has a quotité' }]);
  return db.transaction(async (tx) => {
    const [customer] = await tx.query<{ id: string; has_subsidiaries: boolean }>(
      'SELECT id, EXISTS (SELECT 1 FROM customers s WHERE s.organisation_id = c.organisation_id AND s.parent_id = c.id) AS has_subsidiaries FROM customers c WHERE organisation_id = $1 AND id = $2',
      [actor.organisationId, limit.customerId],
    );
    if (!customer) throw notFound('customer');
    const scope = limit.scope ?? 'customer';
    if (scope === 'group' && !customer.has_subsidiaries) throw new AppError('validation_failed', 'not a group', [{ field: 'scope', reason: 'a group limit is set on a parent company that has subsidiaries' }]);

    const previousInsurer = limit.source === 'insurer'
      ? effectiveLimit(
          (await tx.query<{ amount: number; valid_from: string; valid_until: string | null }>(
            `SELECT amount, valid_from, valid_until FROM credit_limits WHERE organisation_id = $1 AND customer_id = $2 AND source = 'insurer' AND scope = $3`,
            [actor.organisationId, limit.customerId, scope],
          )).map((l) => ({ source: 'insurer' as const, amount: l.amount, validFrom: l.valid_from, validUntil: l.valid_until, reason: null })),
          options.today,
        ).limit
      : null;

    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO credit_limits (organisation_id, customer_id, source, scope, amount, cover_percent, valid_from, valid_until, reason, created_by_type, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [actor.organisationId, limit.customerId, limit.source, scope, limit.amount, limit.coverPercent ?? null, limit.validFrom, limit.validUntil ?? null, limit.reason ?? null, actor.type, actor.id],
    );
    await recordAudit(tx, actor, { action: 'create', entity: 'credit_limit', entityId: row.id, after: { ...limit, scope } });

    if (previousInsurer && limit.amount < previousInsurer.amount && limit.validFrom <= options.today) {
      const currency = (await getOrganisation(tx, actor.organisationId))?.base_currency ?? 'EUR';
      const money = (minor: number) => `${formatAmount(minor, currency)} ${currency}`;
      await raiseAlerts(tx, actor.organisationId, [
        {
          customerId: limit.customerId,
          kind: 'cover_reduced',
          severity: limit.amount === 0 ? 'critical' : 'warning',
          dedupKey: `cover_reduced:${row.id}`,
          title: limit.amount === 0 ? `Insurer cover withdrawn (was ${money(previousInsurer.amount)})` : `Insurer cover reduced from ${money(previousInsurer.amount)} to ${money(limit.amount)}`,
          details: { before: previousInsurer.amount, after: limit.amount, reason: limit.reason ?? null },
        },
      ]);
    }
    const released = await releaseHeldOrders({ db: tx, actor, today: options.today, customerIds: [limit.customerId] });
    return { id: row.id, released: released.released };
  });
}
