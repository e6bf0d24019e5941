import { z } from 'zod';
import { AppError, notFound } from '../../app/app-error';
import { checkOrder } from '../../app/credit/check-order';
import { creditPosition } from '../../app/credit/credit-position';
import { setCreditLimit } from '../../app/credit/set-credit-limit';
import { decideLimitRequest, requestLimit } from '../../app/credit/limit-requests';
import { applyLimitPolicy } from '../../app/credit/apply-limit-policy';
import { decideHeldOrder, releaseHeldOrders } from '../../app/credit/release-held-orders';
import { Amount, AmountOut, DateOut, IsoDate, Problem, Uuid } from '../../contract/common';
import { isIsoDate, DATE_RANGE_REASON } from '../../domain/calendar';
import { formatAmount, parseAmount } from '../../domain/money';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const Position = z.object({
  currency: z.string(),
  limit: z.object({ source: z.string(), amount: AmountOut, coverPercent: z.string().nullish(), validFrom: DateOut, validUntil: DateOut.nullable(), reason: z.string().nullable() }).nullable(),
  limitReason: z.string(),
  openReceivables: AmountOut,
  openOrders: AmountOut,
  reserved: AmountOut.describe('Amounts of accepted order checks whose order has not arrived yet (reserved in exposure)'),
  exposure: AmountOut,
  available: AmountOut.nullable(),
  usedPercent: z.number().nullable(),
  thresholdsCrossed: z.array(z.number()),
  oldestOverdueDays: z.number(),
  grossExposure: AmountOut.describe('Open receivables + open orders, before any insured part'),
  insured: AmountOut.describe('min(gross exposure, insurer cover) × quotité; deducted from exposure when the organisation sets credit.deductInsured'),
  group: z.object({ rootId: Uuid, name: z.string(), members: z.number(), exposure: AmountOut, limit: AmountOut.nullable(), limitReason: z.string(), usedPercent: z.number().nullable() }).nullable(),
  legal: z.object({ procedure: z.string().nullable(), openedOn: z.string().nullable(), underPlan: z.boolean(), isClosed: z.boolean(), closedOn: z.string().nullable() }),
  blocked: z.boolean(),
  history: z.array(z.object({ id: Uuid, source: z.string(), scope: z.string(), amount: AmountOut, coverPercent: z.string().nullable(), validFrom: DateOut, validUntil: DateOut.nullable(), reason: z.string().nullable(), createdAt: z.string() })),
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
        reserved: money(p.reserved),
        exposure: money(p.exposure),
        available: p.available === null ? null : money(p.available),
        usedPercent: p.usedPercent,
        thresholdsCrossed: p.thresholdsCrossed,
        oldestOverdueDays: p.oldestOverdueDays,
        grossExposure: money(p.grossExposure),
        insured: money(p.insured),
        group: p.group ? { ...p.group, exposure: money(p.group.exposure), limit: p.group.limit ? money(p.group.limit.amount) : null } : null,
        legal: p.legal,
        blocked: p.blocked,
        history: p.limits.map((l) => ({ id: l.id, source: l.source, scope: l.scope, amount: money(l.amount), coverPercent: l.cover_percent, validFrom: l.valid_from, validUntil: l.valid_until, reason: l.reason, createdAt: new Date(l.created_at).toISOString() })),
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
        body: z.object({
          source: z.enum(['insurer', 'provider', 'internal', 'policy']),
          scope: z.enum(['customer', 'group']).default('customer').describe('group: a limit shared by a parent and its subsidiaries, set on the parent'),
          amount: Amount,
          coverPercent: z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'a percentage such as "90" or "92.5"').refine((v) => Number(v) > 0 && Number(v) <= 100, 'a quotité is above 0 and at most 100 %').nullish().describe('Insurer quotité garantie in %'),
          validFrom: IsoDate.optional(),
          validUntil: IsoDate.nullish(),
          reason: z.string().max(500).nullish(),
        }),
        response: { 201: z.object({ id: Uuid }), 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const b = request.body;
      for (const [field, value] of [['validFrom', b.validFrom], ['validUntil', b.validUntil]] as const) {
        if (value && !isIsoDate(value)) throw new AppError('validation_failed', 'invalid date', [{ field, reason: DATE_RANGE_REASON, value }]);
      }
      const amount = await minorOf(actor.organisationId, b.amount, 'amount');
      const { id } = await setCreditLimit({
        db, actor, today: clock.today(),
        limit: { customerId: request.params.id, source: b.source, scope: b.scope, amount, coverPercent: b.coverPercent ?? null, validFrom: b.validFrom ?? clock.today(), validUntil: b.validUntil ?? null, reason: b.reason ?? null },
      });
      return reply.status(201).send({ id });
    },
  );

  api.post(
    '/api/v1/customers/:id/block',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['risk'],
        summary: 'Block (or unblock) a customer: order checks refuse a blocked customer',
        params: z.object({ id: Uuid }),
        body: z.object({ blocked: z.boolean(), reason: z.string().min(3).max(500) }),
        response: { 200: z.object({ blocked: z.boolean() }), 404: Problem },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await db.transaction(async (tx) => {
        const [before] = await tx.query<{ blocked: boolean }>('SELECT blocked FROM customers WHERE organisation_id = $1 AND id = $2 FOR UPDATE', [actor.organisationId, request.params.id]);
        if (!before) throw notFound('customer');
        await tx.query('UPDATE customers SET blocked = $3, updated_at = now() WHERE organisation_id = $1 AND id = $2', [actor.organisationId, request.params.id, request.body.blocked]);
        await recordAudit(tx, actor, { action: request.body.blocked ? 'block' : 'unblock', entity: 'customer', entityId: request.params.id, before, after: request.body });
      });
      if (!request.body.blocked) await releaseHeldOrders({ db, actor, today: clock.today(), customerIds: [request.params.id] });
      return { blocked: request.body.blocked };
    },
  );

  api.post(
    '/api/v1/limits/apply-policy',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['risk'],
        summary: 'Set policy limits from each customer\'s latest accounts and risk band (share of equity and of turnover by band; settings credit.limitPolicy)',
        body: z.object({ customerIds: z.array(Uuid).max(10_000).optional() }),
        response: { 200: z.object({ examined: z.number(), changed: z.number(), skipped: z.number() }) },
      },
    },
    async (request) => applyLimitPolicy({ db, actor: actorOf(request), today: clock.today(), customerIds: request.body.customerIds }),
  );

  api.post(
    '/api/v1/customers/:id/limit-requests',
    {
      config: { permission: 'orders:check' },
      schema: {
        tags: ['risk'],
        summary: 'Ask for a new or higher credit limit (a credit manager approves or rejects it)',
        params: z.object({ id: Uuid }),
        body: z.object({ amount: Amount, validUntil: IsoDate.nullish(), reason: z.string().min(3).max(1000) }),
        response: { 201: z.object({ id: Uuid }), 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (request.body.validUntil && (!isIsoDate(request.body.validUntil) || request.body.validUntil < clock.today())) {
        throw new AppError('validation_failed', 'invalid date', [{ field: 'validUntil', reason: 'must be a calendar date YYYY-MM-DD, not in the past', value: request.body.validUntil }]);
      }
      const created = await requestLimit({ db, actor, customerId: request.params.id, amount: await minorOf(actor.organisationId, request.body.amount, 'amount'), validUntil: request.body.validUntil, reason: request.body.reason });
      return reply.status(201).send(created);
    },
  );

  api.get(
    '/api/v1/limit-requests',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['risk'],
        summary: 'Limit requests, newest first (status=pending is the approval queue)',
        querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z.object({
            items: z.array(z.object({
              id: Uuid, customerId: Uuid, customerName: z.string(), amount: AmountOut, currentLimit: AmountOut.nullable(), validUntil: DateOut.nullable(), reason: z.string(), status: z.string(),
              requestedBy: z.string().nullable(), decisionReason: z.string().nullable(), decidedAt: z.string().nullable(), createdAt: z.string(),
            })),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const currency = (await getOrganisation(db, actor.organisationId))?.base_currency ?? 'EUR';
      const rows = await db.query<{ id: string; customer_id: string; legal_name: string; amount: number; valid_until: string | null; reason: string; status: string; requester: string | null; decision_reason: string | null; decided_at: Date | null; created_at: Date }>(
        `SELECT r.id, r.customer_id, c.legal_name, r.amount, r.valid_until, r.reason, r.status, coalesce(u.name, k.name) AS requester, r.decision_reason, r.decided_at, r.created_at
         FROM limit_requests r JOIN customers c ON c.id = r.customer_id
         LEFT JOIN users u ON r.requested_by_type = 'user' AND u.id = r.requested_by
         LEFT JOIN api_keys k ON r.requested_by_type = 'api_key' AND k.id = r.requested_by
         WHERE r.organisation_id = $1 AND ($2::text IS NULL OR r.status = $2) ORDER BY r.created_at DESC, r.id LIMIT $3`,
        [actor.organisationId, request.query.status ?? null, request.query.limit],
      );
      const positions = await Promise.all(rows.map((r) => (r.status === 'pending' ? creditPosition({ db, actor, customerId: r.customer_id, today: clock.today() }) : null)));
      return {
        items: rows.map((r, i) => ({
          id: r.id, customerId: r.customer_id, customerName: r.legal_name, amount: formatAmount(r.amount, currency),
          currentLimit: positions[i]?.limit ? formatAmount(positions[i].limit.amount, currency) : null,
          validUntil: r.valid_until, reason: r.reason, status: r.status, requestedBy: r.requester, decisionReason: r.decision_reason, decidedAt: r.decided_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(),
        })),
      };
    },
  );

  for (const decision of ['approved', 'rejected'] as const) {
    api.post(
      `/api/v1/limit-requests/:id/${decision === 'approved' ? 'approve' : 'reject'}`,
      {
        config: { permission: 'ledger:write' },
        schema: {
          tags: ['risk'],
          summary: decision === 'approved' ? 'Approve a limit request (optionally for another amount): sets an internal limit' : 'Reject a limit request, with a reason',
          params: z.object({ id: Uuid }),
          body: z.object({ reason: z.string().min(3).max(1000), ...(decision === 'approved' ? { amount: Amount.optional() } : {}) }),
          response: { 200: z.object({ id: Uuid, status: z.string(), creditLimitId: Uuid.nullable() }), 400: Problem, 404: Problem, 409: Problem },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const body = request.body as { reason: string; amount?: string | number };
        const amount = body.amount === undefined ? null : await minorOf(actor.organisationId, body.amount, 'amount');
        return decideLimitRequest({ db, actor, requestId: request.params.id, decision, reason: body.reason, amount, today: clock.today() });
      },
    );
  }

  api.post(
    '/api/v1/order-checks',
    {
      config: { permission: 'orders:check' },
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
      const result = await checkOrder({ db, actor, customer: customerId ? { id: customerId } : { ref: customerRef as string }, amount, orderRef, today: clock.today() });
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
      async (request) => decideHeldOrder({ db, actor: actorOf(request), orderCheckId: request.params.id, decision, reason: request.body.reason, today: clock.today() }),
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
