import { CRITICAL_KINDS, describeLegalEvent, legalStatusOf, WARNING_KINDS } from '../../domain/legal/legal-events';
import { cancelledNoticeIds } from '../../formats/company-data/bodacc';
import type { Db } from '../../infra/db/db';
import { type NewAlert, raiseAlerts } from '../../infra/db/repos/alerts-repo';
import { legalEventsOf, recordProviderCalls, saveCompanyProfile, saveLegalEvents } from '../../infra/db/repos/company-repo';
import type { Actor } from '../actor';
import { AppError, notFound } from '../app-error';
import { recomputeScores } from '../scoring/recompute-scores';
import type { CompanyDataProviders, ProviderCall } from './company-data-providers';

/** Notices older than this raise an alert on first sight only if they still define the company's state. */
const FRESH_DAYS = 365;

/**
 * Asks the providers about a customer's company (by SIREN), records every call, stores the profile
 * and the legal events, raises an alert for each new legal event that matters to a creditor (and
 * for a company found ceased), then rescores every customer account of that SIREN.
 */
export async function refreshCompanyData(options: { db: Db; actor: Actor; providers: CompanyDataProviders; customerId: string; now: Date; today: string }) {
  const { db, actor, providers, now, today } = options;
  const [customer] = await db.query<{ id: string; siren: string | null }>('SELECT id, siren FROM customers WHERE organisation_id = $1 AND id = $2', [actor.organisationId, options.customerId]);
  if (!customer) throw notFound('customer');
  if (!customer.siren) throw new AppError('validation_failed', 'this customer has no SIREN to look up', [{ field: 'siren', reason: 'company data providers need a SIREN' }]);
  const siren = customer.siren;

  const [identity, legal] = await Promise.all([providers.identity?.lookup(siren), providers.legal?.notices(siren)]);
  const calls = [identity?.call, legal?.call].filter((c): c is ProviderCall => c !== undefined);
  if (calls.length > 0 && calls.every((c) => c.status === 'error')) {
    // Nothing learnt: keep the trace, leave the last check date alone so monitoring tries again.
    await recordProviderCalls(db, actor.organisationId, calls);
    throw new AppError(
      'provider_unavailable',
      `${calls.map((c) => c.provider).join(', ')} could not be reached`,
      calls.map((c) => ({ field: c.provider, reason: c.error ?? 'no answer', value: c.httpStatus ?? undefined })),
    );
  }

  return db.transaction(async (tx) => {
    await recordProviderCalls(tx, actor.organisationId, calls);
    const accounts = await tx.query<{ id: string }>('SELECT id FROM customers WHERE organisation_id = $1 AND siren = $2', [actor.organisationId, siren]);
    const alerts: NewAlert[] = [];
    const alertAll = (alert: Omit<NewAlert, 'customerId' | 'dedupKey'> & { key: string }) => {
      const { key, ...rest } = alert;
      for (const a of accounts) alerts.push({ ...rest, customerId: a.id, dedupKey: `${key}:${a.id}` });
    };

    if (identity?.data && providers.identity) {
      const [before] = await tx.query<{ state: string }>(`SELECT profile->>'state' AS state FROM company_profiles WHERE organisation_id = $1 AND siren = $2 AND provider = $3`, [actor.organisationId, siren, providers.identity.id]);
      await saveCompanyProfile(tx, actor.organisationId, providers.identity.id, identity.data, now);
      if (identity.data.state === 'ceased' && before?.state !== 'ceased') {
        alertAll({ kind: 'legal_event', severity: 'critical', key: `ceased:${siren}`, title: `Company ceased (Sirene)${identity.data.ceasedOn ? ` on ${identity.data.ceasedOn}` : ''}`, details: { siren, source: providers.identity.id, ceasedOn: identity.data.ceasedOn } });
      }
    }

    let newEvents = 0;
    if (legal?.data && providers.legal) {
      const cancelled = cancelledNoticeIds(legal.data);
      const notices = legal.data.map((n) => ({ ...n, cancelled: cancelled.has(n.id), title: describeLegalEvent(n) }));
      const fresh = await saveLegalEvents(tx, actor.organisationId, siren, providers.legal.id, notices);
      newEvents = fresh.size;
      const status = legalStatusOf(notices.map((n) => ({ kind: n.kind, publishedOn: n.publishedOn, judgmentDate: n.judgmentDate, cancelled: n.cancelled })), today);
      const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - FRESH_DAYS * 86400_000).toISOString().slice(0, 10);
      for (const n of notices) {
        if (!fresh.has(n.id) || n.cancelled || !(CRITICAL_KINDS.has(n.kind) || WARNING_KINDS.has(n.kind))) continue;
        const definesState = (status.isClosed && status.closedOn === (n.judgmentDate ?? n.publishedOn)) || (status.procedure !== null && status.openedOn === (n.judgmentDate ?? n.publishedOn));
        if (n.publishedOn < cutoff && !definesState) continue;
        alertAll({
          kind: 'legal_event',
          severity: CRITICAL_KINDS.has(n.kind) ? 'critical' : 'warning',
          key: `legal:${n.id}`,
          title: n.title,
          details: { siren, noticeId: n.id, kind: n.kind, publishedOn: n.publishedOn, judgmentDate: n.judgmentDate, nature: n.judgmentNature, court: n.court, declareTo: n.judgmentDetails, url: n.url },
        });
      }
    }
    const raised = await raiseAlerts(tx, actor.organisationId, alerts);
    await tx.query('UPDATE customers SET company_checked_at = $3 WHERE organisation_id = $1 AND siren = $2', [actor.organisationId, siren, now.toISOString()]);
    // The legal status is known only once the legal register has answered (found or not).
    if (legal && legal.call.status !== 'error') {
      await tx.query('UPDATE customers SET legal_checked_at = $3 WHERE organisation_id = $1 AND siren = $2', [actor.organisationId, siren, now.toISOString()]);
    }
    const scores = await recomputeScores({ db: tx, actor, asOf: today, customerIds: accounts.map((a) => a.id) });
    return { siren, calls, newEvents, alerts: raised + scores.alerts, rescored: scores.changed };
  });
}

/** What is stored about a customer's company: profiles, legal events and status, and the last calls. */
export async function companyDataOf(options: { db: Db; actor: Actor; customerId: string; today: string }) {
  const { db, actor } = options;
  const [customer] = await db.query<{ siren: string | null; company_checked_at: Date | null; legal_checked_at: Date | null }>(
    'SELECT siren, company_checked_at, legal_checked_at FROM customers WHERE organisation_id = $1 AND id = $2',
    [actor.organisationId, options.customerId],
  );
  if (!customer) throw notFound('customer');
  if (!customer.siren) return { siren: null, checkedAt: null, profiles: [], legalEvents: [], legalStatus: null, calls: [] };
  const [profiles, events, calls] = await Promise.all([
    db.query<{ provider: string; profile: unknown; fetched_at: Date }>('SELECT provider, profile, fetched_at FROM company_profiles WHERE organisation_id = $1 AND siren = $2 ORDER BY provider', [actor.organisationId, customer.siren]),
    legalEventsOf(db, actor.organisationId, customer.siren),
    db.query<{ provider: string; operation: string; status: string; http_status: number | null; duration_ms: number; cost: number; error: string | null; called_at: Date }>(
      'SELECT provider, operation, status, http_status, duration_ms, cost, error, called_at FROM provider_calls WHERE organisation_id = $1 AND subject = $2 ORDER BY called_at DESC LIMIT 20',
      [actor.organisationId, customer.siren],
    ),
  ]);
  const legalStatus = {
    ...legalStatusOf(events.map((e) => ({ kind: e.kind as never, publishedOn: e.published_on, judgmentDate: e.judgment_date, cancelled: e.cancelled })), options.today),
    // Without an answer of the legal register, "no procedure" would be a guess: say unknown.
    isKnown: customer.legal_checked_at !== null || events.length > 0,
  };
  return { siren: customer.siren, checkedAt: customer.company_checked_at, profiles, legalEvents: events, legalStatus, calls };
}
