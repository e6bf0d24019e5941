import { z } from 'zod';
import { notFound } from '../../app/app-error';
import { customerExists } from '../../infra/db/repos/customers-repo';
import { analyseStatement, importFinancialStatements, OPTIONAL_FIGURES, REQUIRED_FIGURES, saveFinancialStatement } from '../../app/scoring/financial-statements';
import { importRatings, RATING_PROVIDERS } from '../../app/scoring/import-ratings';
import { Amount, AmountOut, DateOut, DateText, IsoDate, Problem, Uuid } from '../../contract/common';
import { formatAmount } from '../../domain/money';
import type { FinancialStatement } from '../../domain/scoring/financial-ratios';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const Figures = z.object(Object.fromEntries([...REQUIRED_FIGURES, ...OPTIONAL_FIGURES].map((f) => [f, Amount.nullish()]))).catchall(z.unknown());
const Analysis = z.object({ ratios: z.record(z.string(), z.number().nullable()), altmanZ2: z.unknown().nullable(), altmanZPrime: z.unknown().nullable(), conanHolder: z.unknown().nullable() });

/** Bulk items name their company by our customer code or, as bureau files do, by its SIREN. */
const CompanyKey = {
  customerRef: z.string().min(1).max(100).nullish().describe('Our customer code; or give the SIREN'),
  siren: z.string().max(20).nullish().describe('The company\'s SIREN: every customer account with it gets the record'),
};

/** Bureau and insurer ratings, and annual accounts: the external inputs of the score and of policy limits. */
export function riskDataRoutes(api: Api) {
  const { db, clock } = api.ctx;
  const requireCustomer = async (organisationId: string, id: string) => {
    if (!(await customerExists(db, organisationId, id))) throw notFound('customer');
  };

  api.post(
    '/api/v1/bulk/ratings',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['risk'],
        summary: 'Push bureau and insurer ratings (Creditsafe 0–100, Altares 0–20, Allianz Trade 1–10, Coface DRA 0–10, Paydex 1–100), recommended limits and insurer covers; all or nothing',
        body: z.object({
          items: z.array(z.object({
            ...CompanyKey,
            provider: z.enum(RATING_PROVIDERS),
            value: z.union([z.string(), z.number()]),
            ratedOn: DateText,
            recommendedLimit: Amount.nullish(),
            cover: z.object({ amount: Amount, percent: z.string(), validUntil: DateText.nullish() }).nullish(),
          })).min(1).max(10_000),
        }),
        response: { 200: z.object({ stored: z.number(), inserted: z.number(), updated: z.number(), limits: z.number(), rescored: z.number(), alerts: z.number() }), 400: Problem },
      },
    },
    async (request) => importRatings({ db, actor: actorOf(request), items: request.body.items, today: clock.today() }),
  );

  api.get(
    '/api/v1/customers/:id/ratings',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['risk'],
        summary: 'Bureau and insurer ratings of a customer, newest first, as given and on our scale',
        params: z.object({ id: Uuid }),
        response: { 200: z.object({ items: z.array(z.object({ provider: z.string(), value: z.string(), score: z.number(), band: z.string(), recommendedLimit: AmountOut.nullable(), ratedOn: DateOut })) }), 404: Problem },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await requireCustomer(actor.organisationId, request.params.id);
      const currency = (await getOrganisation(db, actor.organisationId))?.base_currency ?? 'EUR';
      const rows = await db.query<{ provider: string; raw_value: string; score: number; band: string; recommended_limit: number | null; rated_on: string }>(
        'SELECT provider, raw_value, score, band, recommended_limit, rated_on FROM external_ratings WHERE organisation_id = $1 AND customer_id = $2 ORDER BY rated_on DESC, provider',
        [actor.organisationId, request.params.id],
      );
      return { items: rows.map((r) => ({ provider: r.provider, value: r.raw_value, score: r.score, band: r.band, recommendedLimit: r.recommended_limit === null ? null : formatAmount(r.recommended_limit, currency), ratedOn: r.rated_on })) };
    },
  );

  api.post(
    '/api/v1/customers/:id/financial-statements',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['risk'],
        summary: 'Store (or replace) a customer\'s annual accounts for a fiscal year; answers the ratios, Altman Z″/Z′ and Conan & Holder; rescores',
        params: z.object({ id: Uuid }),
        body: z.object({ fiscalYearEnd: DateText, currency: z.string().length(3), source: z.string().max(100).nullish(), figures: Figures }),
        response: { 200: Analysis.extend({ id: Uuid }), 400: Problem, 404: Problem },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await requireCustomer(actor.organisationId, request.params.id);
      return saveFinancialStatement({ db, actor, customerId: request.params.id, today: clock.today(), statement: request.body as never });
    },
  );

  api.post(
    '/api/v1/bulk/financial-statements',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['risk'],
        summary: 'Store the annual accounts of many companies, each named by customer code or SIREN (one per customer and fiscal year, replaced when sent again); all or nothing; rescores',
        body: z.object({
          items: z.array(z.object({
            ...CompanyKey,
            fiscalYearEnd: DateText,
            currency: z.string().length(3),
            source: z.string().max(100).nullish(),
            figures: Figures,
          })).min(1).max(10_000),
        }),
        response: { 200: z.object({ stored: z.number(), inserted: z.number(), updated: z.number() }), 400: Problem },
      },
    },
    async (request) => importFinancialStatements({ db, actor: actorOf(request), items: request.body.items as never, today: clock.today() }),
  );

  api.get(
    '/api/v1/customers/:id/financial-statements',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['risk'],
        summary: 'A customer\'s annual accounts, newest first, each with its ratios and failure scores',
        params: z.object({ id: Uuid }),
        response: { 200: z.object({ items: z.array(Analysis.extend({ fiscalYearEnd: DateOut, currency: z.string(), source: z.string(), figures: z.record(z.string(), AmountOut) })) }), 404: Problem },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await requireCustomer(actor.organisationId, request.params.id);
      const rows = await db.query<{ fiscal_year_end: string; currency: string; source: string; figures: Record<string, number> }>(
        'SELECT fiscal_year_end, currency, source, figures FROM financial_statements WHERE organisation_id = $1 AND customer_id = $2 ORDER BY fiscal_year_end DESC',
        [actor.organisationId, request.params.id],
      );
      return {
        items: rows.map((r) => ({
          fiscalYearEnd: r.fiscal_year_end,
          currency: r.currency,
          source: r.source,
          figures: Object.fromEntries(Object.entries(r.figures).map(([k, v]) => [k, formatAmount(v, r.currency)])),
          ...analyseStatement(r.figures as unknown as FinancialStatement),
        })),
      };
    },
  );
}
