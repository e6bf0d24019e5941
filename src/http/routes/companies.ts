import { z } from 'zod';
import { AppError, notFound } from '../../app/app-error';
import { customerExists } from '../../infra/db/repos/customers-repo';
import type { CompanyDataProviders, ProviderCall } from '../../app/companies/company-data-providers';
import { companyDataOf, refreshCompanyData } from '../../app/companies/refresh-company-data';
import { Problem, Uuid } from '../../contract/common';
import { legalStatusOf } from '../../domain/legal/legal-events';
import { sirenError } from '../../domain/identifiers';
import { cancelledNoticeIds } from '../../formats/company-data/bodacc';
import { recordProviderCalls } from '../../infra/db/repos/company-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const Call = z.object({ provider: z.string(), operation: z.string(), status: z.string(), httpStatus: z.number().nullable(), durationMs: z.number(), cost: z.number(), error: z.string().nullable(), calledAt: z.string() });
const LegalStatus = z.object({
  isKnown: z.boolean().describe('false until a legal register (BODACC) has answered: the other fields then say nothing'),
  procedure: z.enum(['sauvegarde', 'redressement', 'liquidation']).nullable(), openedOn: z.string().nullable(), underPlan: z.boolean(), isClosed: z.boolean(), closedOn: z.string().nullable(),
});
const callOut = (c: ProviderCall) => ({ ...c, calledAt: c.calledAt.toISOString() });

function requireProviders(providers: CompanyDataProviders | undefined): CompanyDataProviders {
  if (!providers || (!providers.identity && !providers.legal)) throw new AppError('conflict', 'no company data provider is configured on this server');
  return providers;
}

export function companyRoutes(api: Api) {
  const { db, clock } = api.ctx;

  api.get(
    '/api/v1/companies/:siren',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['risk'],
        summary: 'Ask the company data providers about a SIREN (identity, state, legal notices) without storing it; the calls are recorded',
        params: z.object({ siren: z.string() }),
        response: { 200: z.object({ siren: z.string(), profile: z.unknown().nullable(), legalEvents: z.array(z.unknown()), legalStatus: LegalStatus, calls: z.array(Call) }), 400: Problem, 409: Problem, 502: Problem },
      },
    },
    async (request) => {
      const siren = request.params.siren.replace(/\s/g, '');
      const error = sirenError(siren);
      if (error) throw new AppError('validation_failed', 'invalid SIREN', [{ field: 'siren', reason: error, value: request.params.siren }]);
      const providers = requireProviders(api.ctx.providers);
      const [identity, legal] = await Promise.all([providers.identity?.lookup(siren), providers.legal?.notices(siren)]);
      const calls = [identity?.call, legal?.call].filter((c): c is ProviderCall => c !== undefined);
      await recordProviderCalls(db, actorOf(request).organisationId, calls);
      const failed = calls.filter((c) => c.status === 'error');
      if (failed.length > 0) {
        // Half an answer would read as "no procedure": name the register that failed instead.
        throw new AppError(
          'provider_unavailable',
          `${failed.map((c) => c.provider).join(', ')} could not be reached`,
          failed.map((c) => ({ field: c.provider, reason: c.error ?? 'no answer', value: c.httpStatus ?? undefined })),
        );
      }
      const cancelled = cancelledNoticeIds(legal?.data ?? []);
      const notices = (legal?.data ?? []).map((n) => ({ ...n, cancelled: cancelled.has(n.id) }));
      return { siren, profile: identity?.data ?? null, legalEvents: notices, legalStatus: { ...legalStatusOf(notices, clock.today()), isKnown: legal !== undefined }, calls: calls.map(callOut) };
    },
  );

  api.post(
    '/api/v1/customers/:id/company/refresh',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['risk'],
        summary: 'Refresh a customer\'s company data from the providers, store it, raise alerts for new legal events and rescore',
        params: z.object({ id: Uuid }),
        response: { 200: z.object({ siren: z.string(), newEvents: z.number(), alerts: z.number(), rescored: z.number(), calls: z.array(Call) }), 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!(await customerExists(db, actor.organisationId, request.params.id))) throw notFound('customer');
      const result = await refreshCompanyData({ db, actor, providers: requireProviders(api.ctx.providers), customerId: request.params.id, now: clock.now(), today: clock.today() });
      return { ...result, calls: result.calls.map(callOut) };
    },
  );

  api.get(
    '/api/v1/customers/:id/company',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['risk'],
        summary: 'What is stored about a customer\'s company: provider profiles, legal events timeline and status, recent provider calls',
        params: z.object({ id: Uuid }),
        response: {
          200: z.object({
            siren: z.string().nullable(),
            checkedAt: z.string().nullable(),
            profiles: z.array(z.object({ provider: z.string(), profile: z.unknown(), fetchedAt: z.string() })),
            legalEvents: z.array(z.object({ id: Uuid, source: z.string(), sourceId: z.string(), kind: z.string(), publishedOn: z.string(), judgmentDate: z.string().nullable(), title: z.string(), details: z.unknown(), cancelled: z.boolean() })),
            legalStatus: LegalStatus.nullable(),
            calls: z.array(Call),
          }),
          404: Problem,
        },
      },
    },
    async (request) => {
      const data = await companyDataOf({ db, actor: actorOf(request), customerId: request.params.id, today: clock.today() });
      return {
        siren: data.siren,
        checkedAt: data.checkedAt?.toISOString() ?? null,
        profiles: data.profiles.map((p) => ({ provider: p.provider, profile: p.profile, fetchedAt: p.fetched_at.toISOString() })),
        legalEvents: data.legalEvents.map((e) => ({ id: e.id, source: e.source, sourceId: e.source_id, kind: e.kind, publishedOn: e.published_on, judgmentDate: e.judgment_date, title: e.title, details: e.details, cancelled: e.cancelled })),
        legalStatus: data.legalStatus,
        calls: data.calls.map((c) => ({ provider: c.provider, operation: c.operation, status: c.status, httpStatus: c.http_status, durationMs: c.duration_ms, cost: c.cost, error: c.error, calledAt: c.called_at.toISOString() })),
      };
    },
  );
}
