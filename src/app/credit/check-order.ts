import { addDays } from '../../domain/calendar';
import { checkOrder as decide, exposureOf, type OrderDecision } from '../../domain/credit/limits';
import { formatAmount, parseAmount } from '../../domain/money';
import { AppError } from '../app-error';
import type { Db } from '../../infra/db/db';
import type { Actor } from '../actor';
import { creditPosition, DEFAULT_RESERVATION_DAYS } from './credit-position';
import { thresholdAlert } from './sweep-exposure';
import { raiseAlerts } from '../../infra/db/repos/alerts-repo';
import { insertOrderChecks, lockCreditDecisions, type OrderCheckRow } from '../../infra/db/repos/credit-repo';
import { batcher, batcherPer } from '../../infra/db/batcher';

type CheckRequest = { actor: Actor; customer: { id: string } | { ref: string }; amount: string | number; orderRef: string | null; today: string };
type Position = Awaited<ReturnType<typeof creditPosition>>;
type Decided = { id: string; decision: OrderDecision; reasons: string[]; exposure: number; limit: number | null; currency: string; position: Position };
type Outcome = { ok: true; value: Decided } | { ok: false; error: unknown };

/**
 * Concurrent checks are decided together in one transaction (group commit: one lock statement, one
 * snapshot statement, one insert for the batch), and one after the other for one customer or
 * group: the batch locks the groups it names (other processes deciding on them wait, those
 * deciding on other customers do not), and checks of one group within the batch see the amounts
 * the earlier ones reserved. Two batches may run at once, so that one waiting for another
 * server's decision on its customers does not hold up the checks of all the others.
 */
const decideOn = batcherPer((db: Db) => batcher((requests: CheckRequest[]) => decideTogether(db, requests), { inFlight: 2 }));

/**
 * Answers an ERP or CRM: may this order go ahead? The answer and its reasons are logged, and an
 * accepted order reserves its amount in the customer's exposure until the order with its reference
 * is written or the reservation expires (settings credit.reservationDays). The customer is named by
 * id or reference; the amount is a decimal in the organisation currency.
 */
export async function checkOrder(options: { db: Db; actor: Actor; customer: { id: string } | { ref: string }; amount: string | number; orderRef?: string | null; today: string }) {
  const { db, actor } = options;
  const outcome = await decideOn(db)({ actor, customer: options.customer, amount: options.amount, orderRef: options.orderRef ?? null, today: options.today });
  if (!outcome.ok) throw outcome.error;
  const { position: _, ...result } = outcome.value;
  return result;
}

async function decideTogether(db: Db, requests: CheckRequest[]): Promise<Outcome[]> {
  return db.transaction(async (tx) => {
    // Locks in a fixed order (organisation, then key) so that two batches never wait on each other.
    const organisations = [...new Set(requests.map((r) => r.actor.organisationId))].sort();
    for (const organisationId of organisations) {
      const named = requests.filter((r) => r.actor.organisationId === organisationId).map((r) => ('id' in r.customer ? r.customer.id : { ref: r.customer.ref }));
      await lockCreditDecisions(tx, organisationId, named);
    }
    // Read after the locks: the snapshots include what decisions committed before them reserved.
    const positions = await Promise.all(
      requests.map((r) =>
        creditPosition('id' in r.customer ? { db: tx, actor: r.actor, today: r.today, customerId: r.customer.id } : { db: tx, actor: r.actor, today: r.today, customerRef: r.customer.ref }).then(
          (position) => ({ ok: true as const, position }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      ),
    );
    // What earlier checks of this batch reserved, by customer and by group root.
    const added = new Map<string, number>();
    const outcomes: (Outcome | { ok: true; row: OrderCheckRow; value: Omit<Decided, 'id'> })[] = requests.map((request, k) => {
      const read = positions[k];
      if (!read.ok) return { ok: false, error: read.error };
      const position = read.position;
      const parsed = parseAmount(request.amount, position.baseCurrency);
      if (!parsed.ok || parsed.minor < 0) {
        return { ok: false, error: new AppError('validation_failed', 'invalid amount', [{ field: 'amount', reason: parsed.ok ? 'must not be negative' : parsed.reason, value: request.amount }]) };
      }
      const amount = parsed.minor;
      const customerKey = `${request.actor.organisationId}:${position.customerId}`;
      const groupKey = position.group ? `${request.actor.organisationId}:group:${position.group.rootId}` : null;
      const exposure = position.exposure + (added.get(customerKey) ?? 0);
      const settings = position.settings;
      const result = decide({
        amount,
        exposure,
        limit: position.limit?.amount ?? null,
        oldestOverdueDays: position.oldestOverdueDays,
        maxOverdueDays: settings.maxOverdueDays,
        requireLimit: settings.requireLimit,
        noLimit: settings.noLimit,
        defaultLimit: position.defaultLimit,
        group: position.group && groupKey ? { exposure: position.group.exposure + (added.get(groupKey) ?? 0), limit: position.group.limit?.amount ?? null, name: position.group.name } : null,
        legal: position.legal,
        blocked: position.blocked,
        format: (minor) => `${formatAmount(minor, position.baseCurrency)} ${position.baseCurrency}`,
      });
      const accepted = result.decision === 'accepted';
      if (accepted) {
        added.set(customerKey, (added.get(customerKey) ?? 0) + amount);
        if (groupKey) added.set(groupKey, (added.get(groupKey) ?? 0) + amount);
      }
      const limit = position.limit?.amount ?? null;
      const row: OrderCheckRow = {
        organisationId: request.actor.organisationId,
        customerId: position.customerId,
        orderRef: request.orderRef,
        amount,
        decision: result.decision,
        reasons: result.reasons,
        exposure,
        limit,
        reservedUntil: accepted ? addDays(request.today, settings.reservationDays ?? DEFAULT_RESERVATION_DAYS) : null,
      };
      return { ok: true, row, value: { ...result, exposure, limit, currency: position.baseCurrency, position } };
    });
    const written = outcomes.flatMap((o) => ('row' in o ? [o.row] : []));
    const ids = written.length > 0 ? await insertOrderChecks(tx, written) : [];
    // Threshold alerts on the exposure after the batch (what it accepted is reserved), one per
    // customer, raised under its lock: concurrent checks of one customer do not race to insert it.
    const alerts = new Map<string, { organisationId: string; alert: NonNullable<ReturnType<typeof thresholdAlert>> }>();
    for (const [k, read] of positions.entries()) {
      if (!read.ok || !read.position.limit) continue;
      const p = read.position;
      const organisationId = requests[k].actor.organisationId;
      const key = `${organisationId}:${p.customerId}`;
      const limit = p.limit?.amount ?? 0;
      const now = exposureOf({ openReceivables: p.exposure + (added.get(key) ?? 0), openOrders: 0, limit, thresholds: p.thresholds });
      const alert = thresholdAlert(p.customerId, { ...now, limit });
      if (alert && !p.openThresholdAlerts.includes(alert.dedupKey)) alerts.set(key, { organisationId, alert });
    }
    for (const organisationId of organisations) {
      await raiseAlerts(tx, organisationId, [...alerts.values()].filter((a) => a.organisationId === organisationId).map((a) => a.alert));
    }
    let next = 0;
    return outcomes.map((o): Outcome => (o.ok ? { ok: true, value: { id: ids[next++], ...o.value } } : o));
  });
}
