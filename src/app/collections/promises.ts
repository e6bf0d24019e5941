import { isIsoDate, DATE_RANGE_REASON } from '../../domain/calendar';
import { promiseDeadline, settlePromises } from '../../domain/collections/promises';
import { formatAmount, isKnownCurrency, parseAmount } from '../../domain/money';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { customerExists } from '../../infra/db/repos/customers-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import { cancelPromise as cancelPromiseRow, findPromise, insertPromise, listPromises, type PromiseRow, promisesWithPayments } from '../../infra/db/repos/promises-repo';
import type { Actor } from '../actor';
import { AppError, type FieldIssue, notFound } from '../app-error';
import { refreshRisk } from '../scoring/refresh-risk';

export type PromiseInput = { amount: string | number; currency?: string | null; promisedDate: string; madeOn?: string | null; invoiceNumbers?: string[]; note?: string | null };

/** A promise as the API shows it: amounts as decimals, and its status as of today. */
async function present(db: Db, organisationId: string, rows: PromiseRow[], today: string) {
  if (rows.length === 0) return [];
  const customerIds = [...new Set(rows.map((r) => r.customer_id))];
  const { graceDays, byCustomer } = await promisesWithPayments(db, organisationId, today, customerIds);
  const outcomes = new Map([...byCustomer.values()].flatMap((c) => [...settlePromises(c.promises, c.payments, today, graceDays)]));
  return rows.map((r) => {
    // Every promise of these customers made by today has its outcome; one made later is still open.
    const outcome = outcomes.get(r.id) ?? { status: r.cancelled_at ? ('cancelled' as const) : ('open' as const), paid: 0, deadline: promiseDeadline(r.promised_date, graceDays) };
    return {
      id: r.id,
      customerId: r.customer_id,
      amount: formatAmount(r.amount, r.currency),
      currency: r.currency,
      madeOn: r.made_on,
      promisedDate: r.promised_date,
      deadline: outcome.deadline,
      status: outcome.status,
      paid: formatAmount(outcome.paid, r.currency),
      invoiceNumbers: r.invoice_numbers,
      note: r.note,
      createdAt: new Date(r.created_at).toISOString(),
      cancelledAt: r.cancelled_at ? new Date(r.cancelled_at).toISOString() : null,
      cancelReason: r.cancel_reason,
    };
  });
}

/** Records a customer's promise to pay (a collector's call, an e-mail), for some of its invoices or its balance. */
export async function recordPromise(options: { db: Db; actor: Actor; customerId: string; promise: PromiseInput; today: string }) {
  const { db, actor, customerId, promise, today } = options;
  const organisation = await getOrganisation(db, actor.organisationId);
  const currency = (promise.currency ?? organisation?.base_currency ?? 'EUR').toUpperCase();
  const madeOn = promise.madeOn ?? today;
  const errors: FieldIssue[] = [];
  if (!isKnownCurrency(currency)) errors.push({ field: 'currency', reason: 'unknown ISO 4217 currency', value: promise.currency });
  const parsed = isKnownCurrency(currency) ? parseAmount(promise.amount, currency) : null;
  if (parsed && (!parsed.ok || parsed.minor <= 0)) errors.push({ field: 'amount', reason: parsed.ok ? 'must be more than zero' : parsed.reason, value: promise.amount });
  if (!isIsoDate(promise.promisedDate)) errors.push({ field: 'promisedDate', reason: DATE_RANGE_REASON, value: promise.promisedDate });
  if (!isIsoDate(madeOn)) errors.push({ field: 'madeOn', reason: DATE_RANGE_REASON, value: madeOn });
  else if (madeOn > today) errors.push({ field: 'madeOn', reason: 'a promise cannot be made in the future', value: madeOn });
  if (isIsoDate(promise.promisedDate) && isIsoDate(madeOn) && promise.promisedDate < madeOn) errors.push({ field: 'promisedDate', reason: 'before the day the promise was made', value: promise.promisedDate });
  if (errors.length > 0) throw new AppError('validation_failed', 'invalid promise to pay', errors);

  return db.transaction(async (tx) => {
    if (!(await customerExists(tx, actor.organisationId, customerId))) throw notFound('customer');
    const numbers = promise.invoiceNumbers ?? [];
    const invoices = await tx.query<{ id: string; number: string }>(
      'SELECT id, number FROM invoices WHERE organisation_id = $1 AND customer_id = $2 AND number = ANY($3::text[])',
      [actor.organisationId, customerId, numbers],
    );
    const unknown = numbers.map((n, i) => [n, i] as const).filter(([n]) => !invoices.some((inv) => inv.number === n));
    if (unknown.length > 0) {
      throw new AppError('validation_failed', 'invalid promise to pay', unknown.map(([n, i]) => ({ field: `invoiceNumbers[${i}]`, reason: 'no invoice of this customer has this number', value: n })));
    }
    const row = await insertPromise(tx, {
      organisationId: actor.organisationId, customerId, amount: (parsed as { minor: number }).minor, currency, madeOn, promisedDate: promise.promisedDate,
      invoiceIds: invoices.map((i) => i.id), note: promise.note ?? null, createdByType: actor.type, createdBy: actor.id,
    });
    await recordAudit(tx, actor, { action: 'create', entity: 'payment_promise', entityId: row.id, after: row });
    const [shown] = await present(tx, actor.organisationId, [row], today);
    return shown;
  });
}

export async function customerPromises(options: { db: Db; actor: Actor; customerId: string; today: string }) {
  const { db, actor, customerId, today } = options;
  if (!(await customerExists(db, actor.organisationId, customerId))) throw notFound('customer');
  return present(db, actor.organisationId, await listPromises(db, actor.organisationId, customerId), today);
}

/** Cancels a promise (the customer withdrew it, it was entered by mistake): it then counts neither as kept nor as broken. */
export async function cancelPromise(options: { db: Db; actor: Actor; promiseId: string; reason: string; today: string }) {
  const { db, actor, promiseId, reason, today } = options;
  const shown = await db.transaction(async (tx) => {
    const before = await findPromise(tx, actor.organisationId, promiseId);
    if (!before) throw notFound('promise to pay');
    if (before.cancelled_at) throw new AppError('conflict', 'this promise to pay is already cancelled');
    await cancelPromiseRow(tx, actor.organisationId, promiseId, reason);
    const after = (await findPromise(tx, actor.organisationId, promiseId)) as PromiseRow;
    await recordAudit(tx, actor, { action: 'update', entity: 'payment_promise', entityId: promiseId, before, after });
    return (await present(tx, actor.organisationId, [after], today))[0];
  });
  // A cancelled broken promise no longer weighs on the score.
  await refreshRisk({ db, actor, today, customerIds: [shown.customerId] });
  return shown;
}
