import { z } from 'zod';
import { AppError, notFound } from '../../app/app-error';
import { webhookUrlProblem } from '../../infra/webhooks/address-policy';
import { OrganisationSettings } from '../../contract/settings';
import { DEFAULT_PROMISE_GRACE_DAYS } from '../../domain/collections/promises';
import { Problem, Uuid } from '../../contract/common';
import { DEFAULT_LIMIT_POLICY, DEFAULT_THRESHOLDS } from '../../domain/credit/limits';
import { DEFAULT_RESERVATION_DAYS } from '../../app/credit/credit-position';
import { DEFAULT_WEIGHTS } from '../../domain/scoring/customer-score';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import { updateSettings } from '../../app/organisations/update-settings';
import { randomToken } from '../../infra/secrets';
import { DEFAULT_REFRESH_DAYS } from '../../jobs/monitoring';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const Channel = z.object({ id: Uuid, kind: z.enum(['email', 'webhook']), target: z.string(), minSeverity: z.enum(['info', 'warning', 'critical']), active: z.boolean(), delivered: z.number(), failed: z.number(), pending: z.number(), createdAt: z.string() });

export function settingsRoutes(api: Api) {
  const { db, clock } = api.ctx;

  api.get(
    '/api/v1/settings',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['admin'],
        summary: 'The organisation\'s risk settings (score weights, thresholds, limit policy, monitoring) and the defaults they override',
        response: { 200: z.object({ settings: OrganisationSettings, defaults: z.unknown() }) },
      },
    },
    async (request) => {
      const org = await getOrganisation(db, actorOf(request).organisationId);
      const parsed = OrganisationSettings.safeParse(org?.settings ?? {});
      return {
        settings: parsed.success ? parsed.data : {},
        defaults: {
          scoring: { weights: DEFAULT_WEIGHTS },
          credit: { thresholds: DEFAULT_THRESHOLDS, maxOverdueDays: 60, requireLimit: false, deductInsured: false, noLimit: 'accept', defaultLimits: {}, reservationDays: DEFAULT_RESERVATION_DAYS, limitPolicy: { ...DEFAULT_LIMIT_POLICY, D: null, E: null } },
          collections: { promiseGraceDays: DEFAULT_PROMISE_GRACE_DAYS },
          monitoring: { enabled: true, refreshDays: DEFAULT_REFRESH_DAYS },
        },
      };
    },
  );

  // Settings change by patch: what a request does not name is kept. PUT, kept for older clients, merges the same way: replacing the
  // whole document silently dropped what a client did not know about (monitoring switched off…).
  for (const method of ['patch', 'put'] as const) {
    api[method](
      '/api/v1/settings',
      {
        config: { permission: 'organisation:admin' },
        schema: {
          tags: ['admin'],
          summary: method === 'patch'
            ? 'Change the organisation\'s risk settings: objects merge field by field, other values replace, what is not named is kept; the result is validated whole; scores are recomputed in the background'
            : 'Same as PATCH (merge, not replace); kept for older clients',
          body: z.record(z.string(), z.unknown()).describe('The sections and fields to change, e.g. {"credit": {"maxOverdueDays": 45}}'),
          response: { 200: z.object({ settings: OrganisationSettings }), 400: Problem },
        },
      },
      async (request) => ({ settings: await updateSettings({ db, actor: actorOf(request), patch: request.body as never, today: clock.today() }) }),
    );
  }

  api.get(
    '/api/v1/alert-channels',
    {
      config: { permission: 'organisation:admin' },
      schema: { tags: ['admin'], summary: 'Where alerts are sent besides the inbox (e-mail addresses, webhooks), with delivery counts', response: { 200: z.object({ items: z.array(Channel) }) } },
    },
    async (request) => {
      const rows = await db.query<{ id: string; kind: 'email'; target: string; min_severity: 'info'; active: boolean; delivered: number; failed: number; pending: number; created_at: Date }>(
        `SELECT ch.id, ch.kind, ch.target, ch.min_severity, ch.active, ch.created_at,
                count(j.id) FILTER (WHERE j.status = 'done')::int AS delivered, count(j.id) FILTER (WHERE j.status = 'failed')::int AS failed,
                count(j.id) FILTER (WHERE j.status IN ('queued', 'running'))::int AS pending
         FROM alert_channels ch LEFT JOIN jobs j ON j.organisation_id = ch.organisation_id AND j.kind = 'deliver_alert' AND j.payload->>'channelId' = ch.id::text
         WHERE ch.organisation_id = $1 GROUP BY ch.id ORDER BY ch.created_at`,
        [actorOf(request).organisationId],
      );
      return { items: rows.map((r) => ({ id: r.id, kind: r.kind, target: r.target, minSeverity: r.min_severity, active: r.active, delivered: r.delivered, failed: r.failed, pending: r.pending, createdAt: r.created_at.toISOString() })) };
    },
  );

  api.post(
    '/api/v1/alert-channels',
    {
      config: { permission: 'organisation:admin' },
      schema: {
        tags: ['admin'],
        summary: 'Send alerts to an e-mail address or a webhook (HTTPS to a public address; plain HTTP or internal hosts only when the operator lists them in ENCOURS_WEBHOOK_ALLOW_HOSTS; signed with a secret shown only in this answer)',
        body: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('email'), target: z.email(), minSeverity: z.enum(['info', 'warning', 'critical']).default('warning') }),
          z.object({ kind: z.literal('webhook'), target: z.url({ protocol: /^https?$/ }), minSeverity: z.enum(['info', 'warning', 'critical']).default('warning') }),
        ]),
        response: { 201: z.object({ id: Uuid, secret: z.string().nullable().describe('HMAC-SHA256 key of the Encours-Signature header; shown once') }), 400: Problem },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (request.body.kind === 'webhook') {
        // Checked again at every delivery, against the address the name then resolves to.
        const problem = webhookUrlProblem(request.body.target, api.ctx.webhookAllowHosts ?? []);
        if (problem) throw new AppError('validation_failed', 'webhook target not allowed', [{ field: 'target', reason: problem, value: request.body.target }]);
      }
      const secret = request.body.kind === 'webhook' ? `whsec_${randomToken(24)}` : null;
      const row = await db.transaction(async (tx) => {
        const [created] = await tx.query<{ id: string }>(
          'INSERT INTO alert_channels (organisation_id, kind, target, secret, min_severity) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [actor.organisationId, request.body.kind, request.body.target, secret, request.body.minSeverity],
        );
        await recordAudit(tx, actor, { action: 'create', entity: 'alert_channel', entityId: created.id, after: { kind: request.body.kind, target: request.body.target, minSeverity: request.body.minSeverity } });
        return created;
      });
      return reply.status(201).send({ id: row.id, secret });
    },
  );

  api.delete(
    '/api/v1/alert-channels/:id',
    {
      config: { permission: 'organisation:admin' },
      schema: { tags: ['admin'], summary: 'Stop sending alerts to this channel (pending deliveries are dropped)', params: z.object({ id: Uuid }), response: { 204: z.null(), 404: Problem } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await db.transaction(async (tx) => {
        const rows = await tx.query('UPDATE alert_channels SET active = false WHERE organisation_id = $1 AND id = $2 AND active RETURNING id', [actor.organisationId, request.params.id]);
        if (rows.length === 0) throw notFound('alert channel');
        await recordAudit(tx, actor, { action: 'deactivate', entity: 'alert_channel', entityId: request.params.id });
      });
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/v1/jobs',
    {
      config: { permission: 'organisation:admin' },
      schema: {
        tags: ['admin'],
        summary: 'Background jobs of the organisation (provider refreshes, rescoring, alert deliveries), newest first',
        querystring: z.object({ kind: z.string().max(50).optional(), status: z.enum(['queued', 'running', 'done', 'failed']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(z.object({ id: Uuid, kind: z.string(), status: z.string(), attempts: z.number(), lastError: z.string().nullable(), payload: z.unknown(), createdAt: z.string(), finishedAt: z.string().nullable() })) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await db.query<{ id: string; kind: string; status: string; attempts: number; last_error: string | null; payload: unknown; created_at: Date; finished_at: Date | null }>(
        `SELECT id, kind, status, attempts, last_error, payload, created_at, finished_at FROM jobs
         WHERE organisation_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR status = $3) ORDER BY created_at DESC, id LIMIT $4`,
        [actorOf(request).organisationId, q.kind ?? null, q.status ?? null, q.limit],
      );
      return { items: rows.map((r) => ({ id: r.id, kind: r.kind, status: r.status, attempts: r.attempts, lastError: r.last_error, payload: r.payload, createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null })) };
    },
  );
}
