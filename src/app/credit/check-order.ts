import { checkOrder as decide } from '../../domain/credit/limits';
import { formatAmount, parseAmount } from '../../domain/money';
import { AppError } from '../app-error';
import type { Db } from '../../infra/db/db';
import type { Actor } from '../actor';
import { creditPosition } from './credit-position';
import { thresholdAlert } from './sweep-exposure';
import { raiseAlerts } from '../../infra/db/repos/alerts-repo';
import { insertOrderChecks, type OrderCheckRow } from '../../infra/db/repos/credit-repo';
import { batcher, batcherPer } from '../../infra/db/batcher';

/** Decisions of concurrent checks are logged together; each answer waits for its own row's commit. */
const logDecisionOn = batcherPer((db: Db) => batcher((rows: OrderCheckRow[]) => insertOrderChecks(db, rows)));

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
  const id = await logDecisionOn(db)({
    organisationId: actor.organisationId,
    customerId,
    orderRef: options.orderRef ?? null,
    amount,
    decision: result.decision,
    reasons: result.reasons,
    exposure: position.exposure,
    limit: position.limit?.amount ?? null,
  });
  const alert = position.limit ? thresholdAlert(customerId, { ...position, limit: position.limit.amount }) : null;
  if (alert && !position.openThresholdAlerts.includes(alert.dedupKey)) await raiseAlerts(db, actor.organisationId, [alert]);
  return { id, ...result, exposure: position.exposure, limit: position.limit?.amount ?? null, currency: position.baseCurrency };
}
