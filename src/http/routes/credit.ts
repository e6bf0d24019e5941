import { z } from 'zod';
import { AppError, notFound } from '../../app/app-error';
import { checkOrder } from '../../app/credit/check-order';
import { creditPosition } from '../../app/credit/credit-position';
import { decideHeldOrder, releaseHeldOrders } from '../../app/credit/release-held-orders';
import { Amount, AmountOut, IsoDate, Problem, Uuid } from '../../contract/common';
import { isIsoDate } from '../../domain/calendar';
import { formatAmount, parseAmount } from '../../domain/money';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const Position = z.object({
  currency: z.string(),
  limit: z.object({ source: z.string(), amount: AmountOut, validFrom: IsoDate, validUntil: IsoDate.nullable(), reason: z.string().nullable() }).nullable(),
  limitReason: z.string(),
  openReceivables: AmountOut,
  openOrders: AmountOut,
  exposure: AmountOut,
  available: AmountOut.nullable(),
  usedPercent: z.number().nullable(),
  thresholdsCrossed: z.array(z.number()),
  oldestOverdueDays: z.number(),
  history: z.array(z.object({ id: Uuid, source: z.string(), amount: AmountOut, validFrom: IsoDate, validUntil: IsoDate.nullable(), reason: z.string().nullable(), createdAt: z.string() })),
});

export function creditRoutes(api: Api) {
  const { db, clock } = api.ctx;
  const minorOf = async (organisationId: string, amount: string | number, field: string) => {
    const currency = (await getOrganisation(db, organisationId))?.base_currency ?? 'EUR';
    const parsed = parseAmount(amount, currency);
    if (!parsed.ok || parsed.minor < 0) throw new AppError('validation_failed', 'invalid amount', [{ field, reason: parsed.ok ? 'must not be negative' : parsed.reason, value: amount }]);
    return parsed.minor;
  };

  api.get(
    '/api/v1/customers/:id/credit',
    {
      config: { permission: 'ledger:read' },
      schema: { tags: ['risk'], summary: 'Credit position: limit in force and why, exposure, % used, thresholds crossed, limit history', params: z.object({ id: Uuid }), response: { 200: Position, 404: Problem } },
    },
    async (request) => {
      const p = await creditPosition({ db, actor: actorOf(request), customerId: request.params.id, today: clock.today() });
      const money = (minor: number) => formatAmount(minor, p.baseCurrency);
      return {
        currency: p.baseCurrency,
        limit: p.limit ? { ...p.limit, amount: money(p.limit.amount) } : null,
        limitReason: p.limitReason,
        openReceivables: money(p.openReceivables),
        openOrders: money(p.openOrders),
        exposure: money(p.exposure),
        available: p.available === null ? null : money(p.available),
        usedPercent: p.usedPercent,
        thresholdsCrossed: p.thresholdsCrossed,
        oldestOverdueDays: p.oldestOverdueDays,
        history: p.limits.map((l) => ({ id: l.id, source: l.source, amount: money(l.amount), validFrom: l.valid_from, validUntil: l.valid_until, reason: l.reason, createdAt: l.created_at.toISOString() })),
      };
    },
  );

  api.post(
    '/api/v1/customers/:id/limits',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['risk'],
        summary: 'Set a credit limit from a source (insurer cover, provider recommendation, internal decision); with validUntil it is temporary',
        params: z.object({ id: Uuid }),
        body: z.object({ source: z.enum(['insurer', 'provider', 'internal']), amount: Amount, validFrom: IsoDate.optional(), validUntil: IsoDate.nullish(), reason: z.string().max(500).nullish() }),
        response: { 201: z.object({ id: Uuid }), 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const b = request.body;
      for (const [field, value] of [['validFrom', b.validFrom], ['validUntil', b.validUntil]] as const) {
        if (value && !isIsoDate(value)) throw new AppError('validation_failed', 'invalid date', [{ field, reason: 'must be a calendar date YYYY-MM-DD', value }]);
      }
      const validFrom = b.validFrom ?? clock.today();
      if (b.validUntil && b.validUntil < validFrom) throw new AppError('validation_failed', 'invalid period', [{ field: 'validUntil', reason: 'ends before it starts', value: b.validUntil }]);
      const amount = await minorOf(actor.organisationId, b.amount, 'amount');
      const rows = await db.query<{ id: string }>(
        `INSERT INTO credit_limits (organisation_id, customer_id, source, amount, valid_from, valid_until, reason, created_by_type, created_by)
         SELECT $1, c.id, $3, $4, $5, $6, $7, $8, $9 FROM customers c WHERE c.organisation_id = $1 AND c.id = $2 RETURNING id`,
        [actor.organisationId, request.params.id, b.source, amount, validFrom, b.validUntil ?? null, b.reason ?? null, actor.type, actor.id],
      );
      if (rows.length === 0) throw notFound('customer');
      await recordAudit(db, actor, { action: 'create', entity: 'credit_limit', entityId: rows[0].id, after: { ...b, amount } });
      // A higher limit may make room for orders on hold.
      await releaseHeldOrders({ db, actor, today: clock.today(), customerIds: [request.params.id] });
      return reply.status(201).send({ id: rows[0].id });
    },
  );

  api.post(
    '/api/v1/order-checks',
    {
      config: { permission: 'orders:write' },
      schema: {
        tags: ['risk'],
        summary: 'May this order go ahead? accepted / on_hold / refused, with reasons (limit, overdue, no limit)',
        body: z.object({ customerRef: z.string().max(100).optional(), customerId: Uuid.optional(), amount: Amount, orderRef: z.string().max(100).nullish() }),
        response: { 200: z.object({ id: Uuid, decision: z.enum(['accepted', 'on_hold', 'refused']), reasons: z.array(z.string()), exposure: AmountOut, limit: AmountOut.nullable(), currency: z.string() }), 400: Problem, 404: Problem },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { customerRef, customerId, amount, orderRef } = request.body;
      if (!customerRef && !customerId) throw new AppError('validation_failed', 'which customer?', [{ field: 'customerRef', reason: 'customerRef or customerId is required' }]);
      const [customer] = await db.query<{ id: string }>(
        'SELECT id FROM customers WHERE organisation_id = $1 AND (($2::uuid IS NOT NULL AND id = $2) OR ($3::text IS NOT NULL AND external_ref = $3))',
        [actor.organisationId, customerId ?? null, customerRef ?? null],
      );
      if (!customer) throw notFound('customer');
      const result = await checkOrder({ db, actor, customerId: customer.id, amount: await minorOf(actor.organisationId, amount, 'amount'), orderRef, today: clock.today() });
      return { ...result, exposure: formatAmount(result.exposure, result.currency), limit: result.limit === null ? null : formatAmount(result.limit, result.currency) };
    },
  );
}

export function heldOrderRoutes(api: Api) {
  const { db, clock } = api.ctx;

  api.get(
    '/api/v1/order-checks',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['risk'],
        summary: 'Order checks; holdStatus=held is the queue of orders on hold',
        querystring: z.object({ holdStatus: z.enum(['held', 'released', 'cancelled']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z.object({
            items: z.array(z.object({ id: Uuid, customerId: Uuid, customerName: z.string(), orderRef: z.string().nullable(), amount: AmountOut, decision: z.string(), reasons: z.array(z.string()), holdStatus: z.string().nullable(), holdDecisionReason: z.string().nullable(), createdAt: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const currency = (await getOrganisation(db, actor.organisationId))?.base_currency ?? 'EUR';
      const rows = await db.query<{ id: string; customer_id: string; legal_name: string; order_ref: string | null; amount: number; decision: string; reasons: string[]; hold_status: string | null; hold_decision_reason: string | null; created_at: Date }>(
        `SELECT o.id, o.customer_id, c.legal_name, o.order_ref, o.amount, o.decision, o.reasons, o.hold_status, o.hold_decision_reason, o.created_at
         FROM order_checks o JOIN customers c ON c.id = o.customer_id
         WHERE o.organisation_id = $1 AND ($2::text IS NULL OR o.hold_status = $2) ORDER BY o.created_at DESC, o.id LIMIT $3`,
        [actor.organisationId, request.query.holdStatus ?? null, request.query.limit],
      );
      return {
        items: rows.map((r) => ({
          id: r.id, customerId: r.customer_id, customerName: r.legal_name, orderRef: r.order_ref, amount: formatAmount(r.amount, currency), decision: r.decision,
          reasons: r.reasons, holdStatus: r.hold_status, holdDecisionReason: r.hold_decision_reason, createdAt: r.created_at.toISOString(),
        })),
      };
    },
  );

  for (const decision of ['released', 'cancelled'] as const) {
    api.post(
      `/api/v1/order-checks/:id/${decision === 'released' ? 'release' : 'cancel'}`,
      {
        config: { permission: 'ledger:write' },
        schema: {
          tags: ['risk'],
          summary: decision === 'released' ? 'Release an order on hold, with a reason' : 'Cancel an order on hold, with a reason',
          params: z.object({ id: Uuid }),
          body: z.object({ reason: z.string().min(3).max(500) }),
          response: { 200: z.object({ id: Uuid, holdStatus: z.string() }), 404: Problem, 409: Problem },
        },
      },
      async (request) => decideHeldOrder({ db, actor: actorOf(request), orderCheckId: request.params.id, decision, reason: request.body.reason }),
    );
  }

  api.post(
    '/api/v1/order-checks/release-ready',
    {
      config: { permission: 'payments:write' },
      schema: { tags: ['risk'], summary: 'Re-examine orders on hold and release those that now fit (run after payments)', response: { 200: z.object({ released: z.array(Uuid) }) } },
    },
    async (request) => releaseHeldOrders({ db, actor: actorOf(request), today: clock.today() }),
  );
}
