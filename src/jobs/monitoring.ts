import { systemActor } from '../app/actor';
import { refreshCompanyData } from '../app/companies/refresh-company-data';
import { sweepExposure } from '../app/credit/sweep-exposure';
import { recomputeScores } from '../app/scoring/recompute-scores';
import { enqueueJobs } from '../infra/jobs/job-queue';
import type { JobContext } from './job-context';

/** Days between two provider checks by risk band: riskier customers are watched more often. */
export const DEFAULT_REFRESH_DAYS: Record<string, number> = { A: 30, B: 30, C: 7, D: 1, E: 1 };
const UNSCORED_REFRESH_DAYS = 30;

/**
 * Queues a provider refresh for every monitored customer (with a SIREN) whose last check is older
 * than its band's period, in organisations that have not switched monitoring off; and one daily
 * rescoring per organisation (ages move every day even without new data).
 */
export async function scheduleMonitoring(ctx: JobContext, options: { batch?: number; organisationId?: string } = {}) {
  const now = ctx.clock.now();
  // Without providers (ENCOURS_PROVIDERS=off) a refresh could only fail: queue none.
  const due = !ctx.providers ? [] : await ctx.db.query<{ organisation_id: string; id: string }>(
    `SELECT c.organisation_id, c.id FROM customers c JOIN organisations o ON o.id = c.organisation_id
     WHERE c.siren IS NOT NULL AND coalesce((o.settings->'monitoring'->>'enabled')::boolean, true)
       AND (c.company_checked_at IS NULL OR c.company_checked_at < $1::timestamptz - make_interval(days =>
             coalesce((o.settings->'monitoring'->'refreshDays'->>c.risk_band)::int, ($3::jsonb->>coalesce(c.risk_band, ''))::int, $4)))
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.dedup_key = 'refresh:' || c.id AND j.status IN ('queued', 'running'))
       AND ($5::uuid IS NULL OR c.organisation_id = $5)
     ORDER BY c.company_checked_at NULLS FIRST, c.id LIMIT $2`,
    [now.toISOString(), options.batch ?? 500, JSON.stringify(DEFAULT_REFRESH_DAYS), UNSCORED_REFRESH_DAYS, options.organisationId ?? null],
  );
  const refreshes = await enqueueJobs(ctx.db, due.map((c) => ({ organisationId: c.organisation_id, kind: 'refresh_company', payload: { customerId: c.id }, dedupKey: `refresh:${c.id}`, maxAttempts: 4 })));
  const today = ctx.clock.today();
  const orgs = await ctx.db.query<{ id: string }>(
    `SELECT o.id FROM organisations o WHERE ($2::uuid IS NULL OR o.id = $2)
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.organisation_id = o.id AND j.kind = 'rescore' AND j.payload->>'asOf' = $1)`,
    [today, options.organisationId ?? null],
  );
  const rescores = await enqueueJobs(ctx.db, orgs.map((o) => ({ organisationId: o.id, kind: 'rescore', payload: { asOf: today }, dedupKey: `rescore:${o.id}:${today}` })));
  return { refreshes, rescores };
}

export async function refreshCompanyJob(ctx: JobContext, job: { organisation_id: string | null; payload: Record<string, unknown> }) {
  if (!ctx.providers) throw new Error('no company data provider is configured');
  const organisationId = job.organisation_id as string;
  const [customer] = await ctx.db.query<{ siren: string | null }>('SELECT siren FROM customers WHERE organisation_id = $1 AND id = $2', [organisationId, job.payload.customerId]);
  if (!customer?.siren) return { skipped: true }; // deleted or SIREN removed since it was queued
  return refreshCompanyData({ db: ctx.db, actor: systemActor(organisationId), providers: ctx.providers, customerId: job.payload.customerId as string, now: ctx.clock.now(), today: ctx.clock.today() });
}

/** The daily risk recompute of an organisation: every score, then every exposure against its limit thresholds. */
export async function rescoreJob(ctx: JobContext, job: { organisation_id: string | null; payload: Record<string, unknown> }) {
  const actor = systemActor(job.organisation_id as string);
  const asOf = (job.payload.asOf as string) ?? ctx.clock.today();
  // Independent reads and writes: on PostgreSQL they run side by side on two connections.
  const [scores, exposure] = await Promise.all([recomputeScores({ db: ctx.db, actor, asOf }), sweepExposure({ db: ctx.db, actor, today: asOf })]);
  return { ...scores, alerts: scores.alerts + exposure.alerts, limitedCustomers: exposure.customers };
}
