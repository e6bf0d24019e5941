import { checkOrder as decide } from '../../domain/credit/limits';
import { addDays } from '../../domain/calendar';
import { formatAmount } from '../../domain/money';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import { lockCreditDecisions } from '../../infra/db/repos/credit-repo';
import type { Actor } from '../actor';
import { AppError, notFound } from '../app-error';
import { type CreditSettings, creditPosition, DEFAULT_RESERVATION_DAYS } from './credit-position';

type HeldRow = { id: string; customer_id: string; amount: number; order_ref: string | null };

/**
 * Re-examines orders on hold (oldest first) and releases those that now fit — after a payment,
 * a higher limit or an overdue invoice settled. A released order reserves its amount in exposure
 * like an accepted check, so orders released in the same pass count in the exposure of the next ones.
 */
export async function releaseHeldOrders(options: { db: Db; actor: Actor; today: string; customerIds?: string[] }): Promise<{ released: string[] }> {
  const { db, actor } = options;
  const held = await db.query<HeldRow>(
    `SELECT id, customer_id, amount, order_ref FROM order_checks
     WHERE organisation_id = $1 AND hold_status = 'held' AND ($2::uuid[] IS NULL OR customer_id = ANY($2::uuid[]))
     ORDER BY created_at, id`,
    [actor.organisationId, options.customerIds ?? null],
  );
  const released: string[] = [];
  for (const order of held) {
    // Under the customer's credit lock, like an order check: a release and a check never both take the same room.
    const isReleased = await db.transaction(async (tx) => {
      await lockCreditDecisions(tx, actor.organisationId, [order.customer_id]);
      // The position includes what the orders released before this one reserved.
      const position = await creditPosition({ db: tx, actor, customerId: order.customer_id, today: options.today });
      const result = decide({
        amount: order.amount,
        exposure: position.exposure,
        limit: position.limit?.amount ?? null,
        oldestOverdueDays: position.oldestOverdueDays,
        maxOverdueDays: position.settings.maxOverdueDays,
        requireLimit: position.settings.requireLimit,
        noLimit: position.settings.noLimit,
        defaultLimit: position.defaultLimit,
        group: position.group ? { exposure: position.group.exposure, limit: position.group.limit?.amount ?? null, name: position.group.name } : null,
        legal: position.legal,
        blocked: position.blocked,
        format: (minor) => formatAmount(minor, position.baseCurrency),
      });
      if (result.decision !== 'accepted') return false;
      await decideHold(tx, actor, order.id, 'released', 'room made: the order now fits the limit and nothing is badly overdue', reservedUntil(options.today, position.settings));
      return true;
    });
    if (isReleased) released.push(order.id);
  }
  return { released };
}

/** A person releases or cancels a held order, with a reason. */
export async function decideHeldOrder(options: { db: Db; actor: Actor; orderCheckId: string; decision: 'released' | 'cancelled'; reason: string; today: string }) {
  const [row] = await options.db.query<{ hold_status: string | null }>('SELECT hold_status FROM order_checks WHERE organisation_id = $1 AND id = $2', [
    options.actor.organisationId,
    options.orderCheckId,
  ]);
  if (!row) throw notFound('order check');
  if (row.hold_status !== 'held') throw new AppError('conflict', `the order is ${row.hold_status ?? 'not on hold'}, only a held order can be ${options.decision}`);
  const settings = ((await getOrganisation(options.db, options.actor.organisationId))?.settings as { credit?: CreditSettings } | undefined)?.credit ?? {};
  await decideHold(options.db, options.actor, options.orderCheckId, options.decision, options.reason, options.decision === 'released' ? reservedUntil(options.today, settings) : null);
  return { id: options.orderCheckId, holdStatus: options.decision };
}

/** A released order goes ahead: it reserves its amount like an accepted check. */
const reservedUntil = (today: string, settings: CreditSettings) => addDays(today, settings.reservationDays ?? DEFAULT_RESERVATION_DAYS);

async function decideHold(db: Db, actor: Actor, id: string, status: 'released' | 'cancelled', reason: string, reservedUntil: string | null) {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE order_checks SET hold_status = $3, hold_decided_at = now(), hold_decided_by_type = $4, hold_decided_by = $5, hold_decision_reason = $6, reserved_until = $7::date
       WHERE organisation_id = $1 AND id = $2 AND hold_status = 'held'`,
      [actor.organisationId, id, status, actor.type, actor.id, reason, reservedUntil],
    );
    await recordAudit(tx, actor, { action: status === 'released' ? 'release' : 'cancel', entity: 'order_check', entityId: id, after: { reason } });
  });
}
