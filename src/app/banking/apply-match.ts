import { formatAmount } from '../../domain/money';
import type { Db } from '../../infra/db/db';
import { rememberIban } from '../../infra/db/repos/banking-repo';
import type { Actor } from '../actor';
import { upsertPayments } from '../ledger/upsert-payments';

/** The payment a matched bank line becomes: its reference derives from the line, so applying twice is one payment. */
export function paymentReferenceOf(lineFingerprint: string): string {
  return `BANK-${lineFingerprint.slice(0, 24)}`;
}

/**
 * Turns a matched bank credit into a payment allocated to its invoices (the remainder stays
 * unapplied cash) and remembers the payer's IBAN for the customer.
 */
export async function applyMatch(options: {
  db: Db;
  actor: Actor;
  line: { fingerprint: string; bookingDate: string; amount: number; currency: string; counterpartyIban: string | null };
  customer: { id: string; externalRef: string } | null;
  allocations: { invoiceNumber: string; amount: number }[];
}): Promise<string> {
  const { db, actor, line } = options;
  const reference = paymentReferenceOf(line.fingerprint);
  await upsertPayments({
    db,
    actor,
    items: [
      {
        reference,
        customerRef: options.customer?.externalRef ?? null,
        receivedDate: line.bookingDate,
        currency: line.currency,
        amount: formatAmount(line.amount, line.currency),
        method: 'transfer',
        allocations: options.allocations.map((a) => ({ invoiceNumber: a.invoiceNumber, amount: formatAmount(a.amount, line.currency) })),
      },
    ],
  });
  if (options.customer && line.counterpartyIban) await rememberIban(db, actor.organisationId, options.customer.id, line.counterpartyIban);
  const [payment] = await db.query<{ id: string }>('SELECT id FROM payments WHERE organisation_id = $1 AND reference = $2', [actor.organisationId, reference]);
  return payment.id;
}
