import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import type { Actor } from '../actor';
import { AppError, notFound } from '../app-error';
import { setCreditLimit } from './set-credit-limit';

/** Sales or a collector asks for a (higher) limit; a credit manager decides. */
export async function requestLimit(options: { db: Db; actor: Actor; customerId: string; amount: number; validUntil?: string | null; reason: string }) {
  const { db, actor } = options;
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO limit_requests (organisation_id, customer_id, amount, valid_until, reason, requested_by_type, requested_by)
       SELECT $1, c.id, $3, $4, $5, $6, $7 FROM customers c WHERE c.organisation_id = $1 AND c.id = $2 RETURNING id`,
      [actor.organisationId, options.customerId, options.amount, options.validUntil ?? null, options.reason, actor.type, actor.id],
    );
    if (!row) throw notFound('customer');
    await recordAudit(tx, actor, { action: 'create', entity: 'limit_request', entityId: row.id, after: { customerId: options.customerId, amount: options.amount, reason: options.reason } });
    return { id: row.id };
  });
}

/** Approving sets an internal limit (temporary when the request had an end date); both keep who and why. */
export async function decideLimitRequest(options: { db: Db; actor: Actor; requestId: string; decision: 'approved' | 'rejected'; reason: string; amount?: number | null; today: string }) {
  const { db, actor } = options;
  return db.transaction(async (tx) => {
    const [request] = await tx.query<{ id: string; customer_id: string; amount: number; valid_until: string | null; status: string; reason: string }>(
      'SELECT id, customer_id, amount, valid_until, status, reason FROM limit_requests WHERE organisation_id = $1 AND id = $2 FOR UPDATE',
      [actor.organisationId, options.requestId],
    );
    if (!request) throw notFound('limit request');
    if (request.status !== 'pending') throw new AppError('conflict', `this request is already ${request.status}`);
    let creditLimitId: string | null = null;
    if (options.decision === 'approved') {
      const granted = options.amount ?? request.amount;
      const limit = await setCreditLimit({
        db: tx, actor, today: options.today,
        limit: { customerId: request.customer_id, source: 'internal', amount: granted, validFrom: options.today, validUntil: request.valid_until, reason: `limit request approved: ${options.reason}` },
      });
      creditLimitId = limit.id;
    }
    await tx.query(
      'UPDATE limit_requests SET status = $3, decided_by = $4, decided_at = now(), decision_reason = $5, credit_limit_id = $6 WHERE organisation_id = $1 AND id = $2',
      [actor.organisationId, request.id, options.decision, actor.type === 'user' ? actor.id : null, options.reason, creditLimitId],
    );
    await recordAudit(tx, actor, { action: options.decision === 'approved' ? 'approve' : 'reject', entity: 'limit_request', entityId: request.id, before: { status: 'pending' }, after: { status: options.decision, reason: options.reason, amount: options.amount ?? request.amount } });
    return { id: request.id, status: options.decision, creditLimitId };
  });
}
