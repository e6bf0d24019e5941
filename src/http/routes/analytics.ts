import { z } from 'zod';
import { agedBalance, receivablesKpis, receivablesTrends } from '../../app/analytics/receivables-report';
import { AppError } from '../../app/app-error';
import { AmountOut, DateOut, IsoDate, Problem, Uuid } from '../../contract/common';
import { isIsoDate, DATE_RANGE_REASON } from '../../domain/calendar';
import { formatAmount } from '../../domain/money';
import { topOverdueCustomers } from '../../infra/db/repos/ledger-queries';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';
import { baseCurrencyOf } from './ledger';

const errors = { 400: Problem, 401: Problem, 403: Problem };

const ScopeQuery = z.object({
  asOf: z.string().optional().describe('Reporting date YYYY-MM-DD (default: today, Europe/Paris)'),
  customerId: Uuid.optional(),
  segment: z.string().max(100).optional(),
  collectorId: Uuid.optional(),
});

const Dso = z.object({
  countback: z.number().nullable(),
  countbackIsBeyondHorizon: z.boolean(),
  simple: z.number().nullable(),
  bestPossible: z.number().nullable(),
  averageDaysDelinquent: z.number().nullable(),
});

export const AgingOut = z.object({
  asOf: DateOut,
  currency: z.string(),
  buckets: z.array(z.object({ key: z.string(), fromDays: z.number().nullable(), toDays: z.number().nullable(), amount: AmountOut })),
  total: AmountOut,
  overdue: AmountOut,
  credits: AmountOut,
  unconvertedCurrencies: z.array(z.string()),
});

export const KpisOut = z.object({
  asOf: DateOut,
  currency: z.string(),
  outstanding: AmountOut,
  overdue: AmountOut,
  overdueShare: z.number().nullable(),
  dso: Dso,
  cei: z.number().nullable(),
  daysToPay: z.object({ average: z.number().nullable(), weighted: z.number().nullable(), weightedLate: z.number().nullable(), paidInvoiceCount: z.number() }),
  periodStart: DateOut,
  unconvertedCurrencies: z.array(z.string()),
});

function parseBounds(text: string | undefined): number[] | undefined {
  if (!text) return undefined;
  const bounds = text.split(',').map((s) => Number(s.trim()));
  const ascending = bounds.every((b, i) => Number.isInteger(b) && b > 0 && (i === 0 || b > bounds[i - 1]));
  if (!ascending || bounds.length > 12) {
    throw new AppError('validation_failed', 'invalid aging buckets', [{ field: 'buckets', reason: 'ascending positive whole days separated by commas, e.g. 30,60,90', value: text }]);
  }
  return bounds;
}

export function analyticsRoutes(api: Api) {
  const { db, clock } = api.ctx;

  async function scopeOf(request: { query: Partial<z.infer<typeof ScopeQuery>> } & Parameters<typeof actorOf>[0]) {
    const actor = actorOf(request);
    const asOf = request.query.asOf ?? clock.today();
    if (!isIsoDate(asOf)) throw new AppError('validation_failed', 'invalid date', [{ field: 'asOf', reason: DATE_RANGE_REASON, value: asOf }]);
    const baseCurrency = await baseCurrencyOf(api, actor.organisationId);
    const { customerId, segment, collectorId } = request.query;
    return { db, scope: { organisationId: actor.organisationId, customerId, segment, collectorId }, baseCurrency, asOf, today: clock.today() };
  }

  api.get(
    '/api/v1/analytics/aging',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['analytics'],
        summary: 'Aged balance by due date (domain-rules §2.5) for the portfolio, a customer, a segment or a collector',
        querystring: ScopeQuery.extend({ buckets: z.string().max(100).optional().describe('Bucket upper bounds in days, default 30,60,90') }),
        response: { 200: AgingOut, ...errors },
      },
    },
    async (request) => {
      const options = await scopeOf(request);
      const aging = await agedBalance({ ...options, bounds: parseBounds(request.query.buckets) });
      const c = aging.currency;
      return {
        ...aging,
        buckets: aging.buckets.map((b) => ({ ...b, amount: formatAmount(b.amount, c) })),
        total: formatAmount(aging.total, c),
        overdue: formatAmount(aging.overdue, c),
        credits: formatAmount(aging.credits, c),
      };
    },
  );

  api.get(
    '/api/v1/analytics/kpis',
    {
      config: { permission: 'ledger:read' },
      schema: { tags: ['analytics'], summary: 'Outstanding, overdue, DSO (countback, simple, best possible), ADD, CEI, days to pay', querystring: ScopeQuery, response: { 200: KpisOut, ...errors } },
    },
    async (request) => {
      const kpis = await receivablesKpis(await scopeOf(request));
      return { ...kpis, outstanding: formatAmount(kpis.outstanding, kpis.currency), overdue: formatAmount(kpis.overdue, kpis.currency) };
    },
  );

  api.get(
    '/api/v1/analytics/trends',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['analytics'],
        summary: 'Month-end trend of outstanding, overdue and DSO',
        querystring: ScopeQuery.extend({ months: z.coerce.number().int().min(2).max(36).default(12) }),
        response: {
          200: z.object({
            currency: z.string(),
            points: z.array(z.object({ date: DateOut, outstanding: AmountOut, overdue: AmountOut, dsoCountback: z.number().nullable(), dsoSimple: z.number().nullable() })),
            unconvertedCurrencies: z.array(z.string()),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const trends = await receivablesTrends({ ...(await scopeOf(request)), months: request.query.months });
      const c = trends.currency;
      return { ...trends, points: trends.points.map((p) => ({ ...p, outstanding: formatAmount(p.outstanding, c), overdue: formatAmount(p.overdue, c) })) };
    },
  );

  api.get(
    '/api/v1/analytics/top-overdue',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['analytics'],
        summary: 'Customers with the most overdue at the reporting date (credits imputed to their oldest items)',
        querystring: z.object({
          asOf: ScopeQuery.shape.asOf,
          limit: z.coerce.number().int().min(1).max(100).default(10),
        }),
        response: {
          200: z.object({
            asOf: IsoDate,
            currency: z.string(),
            items: z.array(z.object({ customerId: Uuid, legalName: z.string(), outstanding: AmountOut, overdue: AmountOut, oldestDaysPastDue: z.number() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { scope, baseCurrency, asOf, today } = await scopeOf(request);
      const rows = await topOverdueCustomers(db, { organisationId: scope.organisationId, baseCurrency, asOf, today, limit: request.query.limit });
      return {
        asOf,
        currency: baseCurrency,
        items: rows.map((r) => ({
          customerId: r.id,
          legalName: r.legal_name,
          outstanding: formatAmount(r.outstanding, baseCurrency),
          overdue: formatAmount(r.overdue, baseCurrency),
          oldestDaysPastDue: r.oldest_days_past_due,
        })),
      };
    },
  );
}
