import type { Db } from '../../infra/db/db';
import { decideMatch, deletePayment, getMatch, setLineStatus } from '../../infra/db/repos/banking-repo';
import { refreshInvoiceBalances } from '../../infra/db/repos/invoices-repo';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import type { Actor } from '../actor';
import { AppError, notFound } from '../app-error';
import { applyMatch } from './apply-match';

/**
 * A person's decision on a match: apply a proposal (it becomes a payment), reject it (the line
 * goes back to unmatched), or undo an applied match (its payment is removed and the invoices reopen).
 */
export async function decidePaymentMatch(options: { db: Db; actor: Actor; matchId: string; decision: 'apply' | 'reject' | 'undo' }) {
  const { db, actor, decision } = options;
  return db.transaction(async (tx) => {
    const match = await getMatch(tx, actor.organisationId, options.matchId);
    if (!match) throw notFound('payment match');
    const by = { type: actor.type, id: actor.id };
    if (decision === 'apply') {
      if (match.status !== 'proposed') throw new AppError('conflict', `the match is ${match.status}, only a proposed match can be applied`);
      const paymentId = await applyMatch({
        db: tx,
        actor,
        line: { fingerprint: match.line_fingerprint, bookingDate: match.booking_date, amount: Number(match.amount), currency: match.currency, counterpartyIban: match.counterparty_iban },
        customer: match.customer_id && match.customer_ref ? { id: match.customer_id, externalRef: match.customer_ref } : null,
        allocations: match.allocations.map((a) => ({ invoiceNumber: a.invoiceNumber, amount: Number(a.amount) })),
      });
      await decideMatch(tx, actor.organisationId, match.id, { status: 'applied', paymentId, by });
      await setLineStatus(tx, actor.organisationId, match.line_id, 'matched');
    } else if (decision === 'reject') {
      if (match.status !== 'proposed') throw new AppError('conflict', `the match is ${match.status}, only a proposed match can be rejected`);
      await decideMatch(tx, actor.organisationId, match.id, { status: 'rejected', by });
      await setLineStatus(tx, actor.organisationId, match.line_id, 'unmatched');
    } else {
      if (match.status !== 'applied' || !match.payment_id) throw new AppError('conflict', `the match is ${match.status}, only an applied match can be undone`);
      const released = await deletePayment(tx, actor.organisationId, match.payment_id);
      await refreshInvoiceBalances(tx, actor.organisationId, released);
      await decideMatch(tx, actor.organisationId, match.id, { status: 'undone', by });
      await setLineStatus(tx, actor.organisationId, match.line_id, 'unmatched');
    }
    await recordAudit(tx, actor, { action: decision, entity: 'payment_match', entityId: match.id, before: { status: match.status }, after: { allocations: match.allocations } });
    return { id: match.id, status: decision === 'apply' ? 'applied' : decision === 'reject' ? 'rejected' : 'undone' };
  });
}
