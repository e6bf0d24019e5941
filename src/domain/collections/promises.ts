/**
 * Promises to pay (domain-rules §5: a promise pauses dunning until its date, and a broken one
 * tells about the customer). Payments count towards a customer's promises in their currency,
 * oldest promise first, when received from the day a promise was made up to its date plus a few
 * days of grace for the transfer to arrive (3 unless the organisation sets
 * `collections.promiseGraceDays`). A promise is kept once they reach its amount, broken
 * when its grace has passed without, open before. Nothing but a cancellation is stored: the
 * status always follows the ledger.
 */
import { addDays, type IsoDate } from '../calendar';

/** Days after the promised date in which a transfer ordered on time can still arrive. */
export const DEFAULT_PROMISE_GRACE_DAYS = 3;

export type PromiseStatus = 'open' | 'kept' | 'broken' | 'cancelled';
export type PromiseTerms = { id: string; amount: number; currency: string; madeOn: IsoDate; promisedDate: IsoDate; cancelled: boolean };
export type ReceivedPayment = { receivedDate: IsoDate; amount: number; currency: string };
export type PromiseOutcome = { status: PromiseStatus; paid: number; deadline: IsoDate };

/** The last day a payment counts towards a promise. */
export const promiseDeadline = (promisedDate: IsoDate, graceDays = DEFAULT_PROMISE_GRACE_DAYS): IsoDate => addDays(promisedDate, graceDays);

/** Each promise of one customer as of `asOf`, with what was paid towards it (minor units of its currency). */
export function settlePromises(promises: PromiseTerms[], payments: ReceivedPayment[], asOf: IsoDate, graceDays = DEFAULT_PROMISE_GRACE_DAYS): Map<string, PromiseOutcome> {
  const live = promises
    .filter((p) => !p.cancelled)
    .sort((a, b) => a.promisedDate.localeCompare(b.promisedDate) || a.madeOn.localeCompare(b.madeOn))
    .map((p) => ({ ...p, deadline: promiseDeadline(p.promisedDate, graceDays), paid: 0 }));
  const received = payments.filter((p) => p.receivedDate <= asOf).sort((a, b) => a.receivedDate.localeCompare(b.receivedDate));
  for (const payment of received) {
    let left = payment.amount;
    for (const promise of live) {
      if (left === 0) break;
      if (promise.currency !== payment.currency || payment.receivedDate < promise.madeOn || payment.receivedDate > promise.deadline) continue;
      const taken = Math.min(left, promise.amount - promise.paid);
      promise.paid += taken;
      left -= taken;
    }
  }
  const outcomes = new Map<string, PromiseOutcome>();
  for (const p of promises) if (p.cancelled) outcomes.set(p.id, { status: 'cancelled', paid: 0, deadline: promiseDeadline(p.promisedDate, graceDays) });
  for (const p of live) outcomes.set(p.id, { status: p.paid >= p.amount ? 'kept' : asOf > p.deadline ? 'broken' : 'open', paid: p.paid, deadline: p.deadline });
  return outcomes;
}

/** Promises broken in the 12 months up to `asOf` (their deadline passed in that window). */
export function brokenInYear(outcomes: Iterable<PromiseOutcome>, asOf: IsoDate): number {
  const yearAgo = addDays(asOf, -365);
  return [...outcomes].filter((o) => o.status === 'broken' && o.deadline > yearAgo).length;
}
