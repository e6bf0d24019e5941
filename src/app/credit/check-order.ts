import { checkOrder as decide } from '../../domain/credit/limits';
import { formatAmount, parseAmount } from '../../domain/money';
import { AppError } from '../app-error';
import type { Db } from '../../infra/db/db';
import type { Actor } from '../actor';
import { creditPosition } from './credit-position';
import { raiseAlerts } from '../../infra/db/repos/alerts-repo';

/**
 * Answers an ERP or CRM: may this order go ahead? The answer and its reasons are logged. The
 * customer is named by id or reference; the amount is a decimal in the organisation currency.
 * Two round trips in all (position, then the log): it sits in the ERP's order entry.
 */
export async function checkOrder(options: { db: Db; actor: Actor; customer: { id: string } | { ref: string }; amount: string | number; orderRef?: string | null; today: string }) {
  const { db, actor, today } = options;
  const position = await creditPosition('id' in options.customer ? { db, actor, today, customerId: options.customer.id } : { db, actor, today, customerRef: options.customer.ref });
  const parsed = parseAmount(options.amount, position.baseCurrency);
  if (!parsed.ok || parsed.minor < 0) throw new AppError('validation_failed', 'invalid amount', [{ field: 'amount', reason: parsed.ok ? 'must not be negative' : parsed.reason, value: options.amount }]);
  const amount = parsed.minor;
  const customerId = position.customerId;
  const result = decide({
    amount,
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
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO order_checks (organisation_id, customer_id, order_ref, amount, decision, reasons, exposure, credit_limit, hold_status)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) RETURNING id`,
    [actor.organisationId, customerId, options.orderRef ?? null, amount, result.decision, JSON.stringify(result.reasons), position.exposure, position.limit?.amount ?? null, result.decision === 'on_hold' ? 'held' : null],
    { name: 'insert_order_check_v1' },
  );
  const highest = position.thresholdsCrossed[position.thresholdsCrossed.length - 1];
  const dedupKey = `threshold:${customerId}:${highest}`;
  if (highest !== undefined && position.limit && !position.openThresholdAlerts.includes(dedupKey)) {
    await raiseAlerts(db, actor.organisationId, [
      {
        customerId,
        kind: 'threshold',
        severity: highest >= 100 ? 'critical' : highest >= 90 ? 'warning' : 'info',
        dedupKey,
        title: `Exposure at ${position.usedPercent} % of the credit limit (threshold ${highest} %)`,
        details: { usedPercent: position.usedPercent, threshold: highest, exposure: position.exposure, limit: position.limit.amount },
      },
    ]);
  }
  return { id: row.id, ...result, exposure: position.exposure, limit: position.limit?.amount ?? null, currency: position.baseCurrency };
}
