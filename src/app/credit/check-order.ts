import { checkOrder as decide } from '../../domain/credit/limits';
import { formatAmount } from '../../domain/money';
import type { Db } from '../../infra/db/db';
import type { Actor } from '../actor';
import { creditPosition } from './credit-position';
import { raiseAlerts } from '../../infra/db/repos/alerts-repo';

/** Answers an ERP or CRM: may this order go ahead? The answer and its reasons are logged. */
export async function checkOrder(options: { db: Db; actor: Actor; customerId: string; amount: number; orderRef?: string | null; today: string }) {
  const position = await creditPosition(options);
  const result = decide({
    amount: options.amount,
    exposure: position.exposure,
    limit: position.limit?.amount ?? null,
    oldestOverdueDays: position.oldestOverdueDays,
    maxOverdueDays: position.settings.maxOverdueDays,
    requireLimit: position.settings.requireLimit,
    group: position.group ? { exposure: position.group.exposure, limit: position.group.limit?.amount ?? null, name: position.group.name } : null,
    legal: position.legal,
    blocked: position.blocked,
    format: (minor) => `${formatAmount(minor, position.baseCurrency)} ${position.baseCurrency}`,
  });
  const [row] = await options.db.query<{ id: string }>(
    `INSERT INTO order_checks (organisation_id, customer_id, order_ref, amount, decision, reasons, exposure, credit_limit, hold_status)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) RETURNING id`,
    [options.actor.organisationId, options.customerId, options.orderRef ?? null, options.amount, result.decision, JSON.stringify(result.reasons), position.exposure, position.limit?.amount ?? null, result.decision === 'on_hold' ? 'held' : null],
  );
  const highest = position.thresholdsCrossed[position.thresholdsCrossed.length - 1];
  if (highest !== undefined && position.limit) {
    await raiseAlerts(options.db, options.actor.organisationId, [
      {
        customerId: options.customerId,
        kind: 'threshold',
        severity: highest >= 100 ? 'critical' : highest >= 90 ? 'warning' : 'info',
        dedupKey: `threshold:${options.customerId}:${highest}`,
        title: `Exposure at ${position.usedPercent} % of the credit limit (threshold ${highest} %)`,
        details: { usedPercent: position.usedPercent, threshold: highest, exposure: position.exposure, limit: position.limit.amount },
      },
    ]);
  }
  return { id: row.id, ...result, exposure: position.exposure, limit: position.limit?.amount ?? null, currency: position.baseCurrency };
}
