import { z } from 'zod';
import { cancelPromise, customerPromises, recordPromise } from '../../app/collections/promises';
import { Amount, AmountOut, DateOut, IsoDate, Problem, Uuid } from '../../contract/common';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const PromiseInput = z.object({
  amount: Amount,
  currency: z.string().length(3).nullish().describe("Defaults to the organisation's currency"),
  promisedDate: IsoDate.describe('The day the customer said it would pay by'),
  madeOn: IsoDate.nullish().describe('The day the promise was made; defaults to today'),
  invoiceNumbers: z.array(z.string().min(1).max(100)).max(1000).optional().describe('The invoices it covers, if the customer named them'),
  note: z.string().max(2000).nullish(),
});
const PaymentPromise = z.object({
  id: Uuid,
  customerId: Uuid,
  amount: AmountOut,
  currency: z.string(),
  madeOn: DateOut,
  promisedDate: DateOut,
  deadline: DateOut.describe('Last day a payment counts towards the promise: the promised date + the organisation\'s days of grace (3 by default)'),
  status: z.enum(['open', 'kept', 'broken', 'cancelled']).describe('Follows the payments received: kept once they reach the amount, broken after the deadline without'),
  paid: AmountOut.describe('Paid towards this promise so far'),
  invoiceNumbers: z.array(z.string()),
  note: z.string().nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
const errors = { 400: Problem, 404: Problem };

/** Promises to pay: recorded by collectors, kept or broken by what the ledger receives. */
export function collectionRoutes(api: Api) {
  const { db, clock } = api.ctx;

  api.get(
    '/api/v1/customers/:id/promises',
    {
      config: { permission: 'ledger:read' },
      schema: { tags: ['collections'], summary: "A customer's promises to pay, newest date first, each with its status today", params: z.object({ id: Uuid }), response: { 200: z.object({ items: z.array(PaymentPromise) }), ...errors } },
    },
    async (request) => ({ items: await customerPromises({ db, actor: actorOf(request), customerId: request.params.id, today: clock.today() }) }),
  );

  api.post(
    '/api/v1/customers/:id/promises',
    {
      config: { permission: 'collections:write' },
      schema: { tags: ['collections'], summary: 'Record a promise to pay', params: z.object({ id: Uuid }), body: PromiseInput, response: { 201: PaymentPromise, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await recordPromise({ db, actor: actorOf(request), customerId: request.params.id, promise: request.body, today: clock.today() })),
  );

  api.post(
    '/api/v1/promises/:id/cancel',
    {
      config: { permission: 'collections:write' },
      schema: {
        tags: ['collections'],
        summary: 'Cancel a promise to pay (withdrawn, entered by mistake): it then counts neither as kept nor as broken',
        params: z.object({ id: Uuid }),
        body: z.object({ reason: z.string().min(1).max(500) }),
        response: { 200: PaymentPromise, 409: Problem, ...errors },
      },
    },
    async (request) => cancelPromise({ db, actor: actorOf(request), promiseId: request.params.id, reason: request.body.reason, today: clock.today() }),
  );
}
