import { z } from 'zod';
import { notFound } from '../../app/app-error';
import { customerExists } from '../../infra/db/repos/customers-repo';
import { recomputeScores } from '../../app/scoring/recompute-scores';
import { DateOut, IsoDate, Problem, Uuid } from '../../contract/common';
import { isIsoDate, DATE_RANGE_REASON } from '../../domain/calendar';
import { behaviourFeatures, scoreHistory } from '../../infra/db/repos/scoring-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const Behaviour = z
  .object({
    weightedDaysLate3m: z.number().nullable(),
    weightedDaysLate6m: z.number().nullish(),
    weightedDaysLate12m: z.number().nullable(),
    shareLate: z.number().nullable(),
    maxDaysOverdue: z.number(),
    weightedDaysOverdueOpen: z.number().nullish(),
    dso: z.number().nullish(),
    disputedShare: z.number().nullish(),
    partialPayments: z.number().optional(),
    brokenPromises: z.number().optional().describe('Promises to pay broken in the last 12 months'),
  })
  .nullable();

const Score = z.object({
  score: z.number(),
  band: z.enum(['A', 'B', 'C', 'D', 'E']),
  reasons: z.array(z.string()),
  contributions: z.unknown(),
  behaviour: Behaviour.describe('The payment behaviour this score was computed from'),
  policyVersion: z.string(),
  asOf: DateOut,
  computedAt: z.string(),
});

export function scoringRoutes(api: Api) {
  const { db, clock } = api.ctx;

  api.post(
    '/api/v1/scores/recompute',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['risk'],
        summary: 'Recompute customers\' risk scores (all, or those given) as of a date; history keeps every change',
        body: z.object({ asOf: z.string().refine(isIsoDate, DATE_RANGE_REASON).optional(), customerIds: z.array(Uuid).max(10_000).optional() }),
        response: { 200: z.object({ customers: z.number(), changed: z.number(), alerts: z.number() }), 400: Problem },
      },
    },
    async (request) => recomputeScores({ db, actor: actorOf(request), asOf: request.body.asOf ?? clock.today(), customerIds: request.body.customerIds }),
  );

  api.get(
    '/api/v1/customers/:id/scores',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['risk'],
        summary: 'A customer\'s score history, newest first, with contributions and reasons',
        params: z.object({ id: Uuid }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: {
          200: z.object({
            items: z.array(Score),
            behaviour: Behaviour.describe('Payment behaviour today: days late over 3/6/12 months, share paid late, oldest overdue, DSO, share in dispute, partly paid invoices'),
          }),
          404: Problem,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!(await customerExists(db, actor.organisationId, request.params.id))) throw notFound('customer');
      const rows = await scoreHistory(db, actor.organisationId, request.params.id, request.query.limit);
      // A history entry is written when the score or its reasons change; the behaviour moves every day.
      const current = (await behaviourFeatures(db, actor.organisationId, clock.today(), [request.params.id])).get(request.params.id) ?? null;
      return {
        behaviour: current,
        items: rows.map((r) => ({
          score: r.score, band: r.band as 'A', reasons: r.reasons, contributions: r.contributions, behaviour: (r.behaviour as never) ?? null, policyVersion: r.policy_version, asOf: r.as_of, computedAt: r.computed_at.toISOString(),
        })),
      };
    },
  );
}
