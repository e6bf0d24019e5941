import { z } from 'zod';
import { decidePaymentMatch } from '../../app/banking/decide-payment-match';
import { AmountOut, DateOut, IsoDate, Problem, Uuid } from '../../contract/common';
import { formatAmount } from '../../domain/money';
import { listMatches, listUnmatchedLines } from '../../infra/db/repos/banking-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const Match = z.object({
  id: Uuid,
  status: z.enum(['applied', 'proposed', 'rejected', 'undone']),
  method: z.string(),
  confidence: z.number(),
  reasons: z.array(z.string()),
  customer: z.object({ id: Uuid, name: z.string() }).nullable(),
  allocations: z.array(z.object({ invoiceId: Uuid, invoiceNumber: z.string(), amount: AmountOut })),
  unapplied: AmountOut,
  line: z.object({ id: Uuid, bookingDate: DateOut, amount: AmountOut, currency: z.string(), counterpartyName: z.string().nullable(), counterpartyIban: z.string().nullable(), remittance: z.string().nullable() }),
  paymentId: Uuid.nullable(),
});

export function bankingRoutes(api: Api) {
  const { db } = api.ctx;

  api.get(
    '/api/v1/payment-matches',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['banking'],
        summary: 'Matches of bank credits to invoices; status=proposed is the review queue',
        querystring: z.object({ status: z.enum(['applied', 'proposed', 'rejected', 'undone']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(Match) }) },
      },
    },
    async (request) => {
      const rows = await listMatches(db, actorOf(request).organisationId, request.query);
      return {
        items: rows.map((m) => ({
          id: m.id,
          status: m.status as z.infer<typeof Match>['status'],
          method: m.method,
          confidence: Number(m.confidence),
          reasons: m.reasons,
          customer: m.customer_id ? { id: m.customer_id, name: m.customer_name as string } : null,
          allocations: m.allocations.map((a) => ({ invoiceId: a.invoiceId, invoiceNumber: a.invoiceNumber, amount: formatAmount(Number(a.amount), m.currency) })),
          unapplied: formatAmount(Number(m.unapplied), m.currency),
          line: {
            id: m.line_id, bookingDate: m.booking_date, amount: formatAmount(Number(m.amount), m.currency), currency: m.currency,
            counterpartyName: m.counterparty_name, counterpartyIban: m.counterparty_iban, remittance: m.remittance,
          },
          paymentId: m.payment_id,
        })),
      };
    },
  );

  for (const decision of ['apply', 'reject', 'undo'] as const) {
    api.post(
      `/api/v1/payment-matches/:id/${decision}`,
      {
        config: { permission: 'payments:write' },
        schema: {
          tags: ['banking'],
          summary: { apply: 'Apply a proposed match: it becomes a payment', reject: 'Reject a proposed match', undo: 'Undo an applied match: its payment is removed' }[decision],
          params: z.object({ id: Uuid }),
          response: { 200: z.object({ id: Uuid, status: z.string() }), 404: Problem, 409: Problem },
        },
      },
      async (request) => decidePaymentMatch({ db, actor: actorOf(request), matchId: request.params.id, decision }),
    );
  }

  api.get(
    '/api/v1/bank-lines',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['banking'],
        summary: 'Incoming bank credits no rule could match',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(z.object({ id: Uuid, bookingDate: DateOut, amount: AmountOut, currency: z.string(), counterpartyName: z.string().nullable(), remittance: z.string().nullable() })) }) },
      },
    },
    async (request) => ({
      items: (await listUnmatchedLines(db, actorOf(request).organisationId, request.query.limit)).map((l) => ({
        id: l.id, bookingDate: l.booking_date, amount: formatAmount(Number(l.amount), l.currency), currency: l.currency, counterpartyName: l.counterparty_name, remittance: l.remittance,
      })),
    }),
  );
}
