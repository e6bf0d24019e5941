import { z } from 'zod';
import { AppError, notFound } from '../../app/app-error';
import { Problem, Uuid } from '../../contract/common';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const Alert = z.object({
  id: Uuid,
  customerId: Uuid,
  customerName: z.string(),
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  details: z.unknown(),
  status: z.enum(['open', 'acknowledged']),
  assignedTo: z.object({ id: Uuid, name: z.string() }).nullable(),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
});

type AlertRow = {
  id: string; customer_id: string; legal_name: string; kind: string; severity: 'info'; title: string; details: unknown; status: 'open';
  assigned_to: string | null; assignee_name: string | null; created_at: Date; acknowledged_at: Date | null;
};
const alertOut = (r: AlertRow) => ({
  id: r.id, customerId: r.customer_id, customerName: r.legal_name, kind: r.kind, severity: r.severity, title: r.title, details: r.details, status: r.status,
  assignedTo: r.assigned_to ? { id: r.assigned_to, name: r.assignee_name as string } : null, createdAt: r.created_at.toISOString(), acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
});

export function alertRoutes(api: Api) {
  const { db } = api.ctx;
  const select = `SELECT a.id, a.customer_id, c.legal_name, a.kind, a.severity, a.title, a.details, a.status, a.assigned_to, u.name AS assignee_name, a.created_at, a.acknowledged_at
                  FROM alerts a JOIN customers c ON c.id = a.customer_id LEFT JOIN users u ON u.id = a.assigned_to`;

  api.get(
    '/api/v1/alerts',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['risk'],
        summary: 'Alerts inbox (band drops, thresholds crossed, payment deterioration), newest first',
        querystring: z.object({ status: z.enum(['open', 'acknowledged']).optional(), customerId: Uuid.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(Alert) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await db.query<AlertRow>(
        `${select} WHERE a.organisation_id = $1 AND ($2::text IS NULL OR a.status = $2) AND ($3::uuid IS NULL OR a.customer_id = $3)
         ORDER BY a.created_at DESC, a.id LIMIT $4`,
        [actorOf(request).organisationId, q.status ?? null, q.customerId ?? null, q.limit],
      );
      return { items: rows.map(alertOut) };
    },
  );

  api.post(
    '/api/v1/alerts/:id/acknowledge',
    {
      config: { permission: 'payments:write' },
      schema: { tags: ['risk'], summary: 'Acknowledge an alert', params: z.object({ id: Uuid }), response: { 200: Alert, 404: Problem } },
    },
    async (request) => {
      const actor = actorOf(request);
      await db.transaction(async (tx) => {
        const updated = await tx.query<{ id: string }>(
          `UPDATE alerts SET status = 'acknowledged', acknowledged_by = $3, acknowledged_at = now() WHERE organisation_id = $1 AND id = $2 RETURNING id`,
          [actor.organisationId, request.params.id, actor.id],
        );
        if (updated.length === 0) throw notFound('alert');
        await recordAudit(tx, actor, { action: 'acknowledge', entity: 'alert', entityId: request.params.id });
      });
      const [row] = await db.query<AlertRow>(`${select} WHERE a.organisation_id = $1 AND a.id = $2`, [actor.organisationId, request.params.id]);
      return alertOut(row);
    },
  );

  api.post(
    '/api/v1/alerts/:id/assign',
    {
      config: { permission: 'ledger:write' },
      schema: { tags: ['risk'], summary: 'Assign an alert to a user of the organisation', params: z.object({ id: Uuid }), body: z.object({ userId: Uuid }), response: { 200: Alert, 400: Problem, 404: Problem } },
    },
    async (request) => {
      const actor = actorOf(request);
      const [alert] = await db.query('SELECT 1 FROM alerts WHERE organisation_id = $1 AND id = $2', [actor.organisationId, request.params.id]);
      if (!alert) throw notFound('alert');
      const [user] = await db.query('SELECT 1 FROM users WHERE organisation_id = $1 AND id = $2', [actor.organisationId, request.body.userId]);
      if (!user) throw new AppError('validation_failed', 'unknown user', [{ field: 'userId', reason: 'no such user in the organisation', value: request.body.userId }]);
      await db.transaction(async (tx) => {
        const [before] = await tx.query<{ assigned_to: string | null }>('SELECT assigned_to FROM alerts WHERE organisation_id = $1 AND id = $2 FOR UPDATE', [actor.organisationId, request.params.id]);
        if (!before) throw notFound('alert');
        await tx.query('UPDATE alerts SET assigned_to = $3 WHERE organisation_id = $1 AND id = $2', [actor.organisationId, request.params.id, request.body.userId]);
        await recordAudit(tx, actor, { action: 'assign', entity: 'alert', entityId: request.params.id, before: { assignedTo: before.assigned_to }, after: { assignedTo: request.body.userId } });
      });
      const [row] = await db.query<AlertRow>(`${select} WHERE a.organisation_id = $1 AND a.id = $2`, [actor.organisationId, request.params.id]);
      return alertOut(row);
    },
  );
}
