import type { ProviderCall } from '../../../app/companies/company-data-providers';
import type { BodaccNotice } from '../../../formats/company-data/bodacc';
import type { CompanyProfile } from '../../../formats/company-data/recherche-entreprises';
import type { Db } from '../db';

export async function recordProviderCalls(db: Db, organisationId: string, calls: ProviderCall[]) {
  if (calls.length === 0) return;
  await db.query(
    `INSERT INTO provider_calls (organisation_id, provider, operation, subject, status, http_status, duration_ms, cost, error, called_at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::bigint[], $9::text[], $10::timestamptz[])`,
    [
      organisationId,
      calls.map((c) => c.provider),
      calls.map((c) => c.operation),
      calls.map((c) => c.subject),
      calls.map((c) => c.status),
      calls.map((c) => c.httpStatus),
      calls.map((c) => c.durationMs),
      calls.map((c) => c.cost),
      calls.map((c) => c.error),
      calls.map((c) => c.calledAt.toISOString()),
    ],
  );
}

export async function saveCompanyProfile(db: Db, organisationId: string, provider: string, profile: CompanyProfile, fetchedAt: Date) {
  await db.query(
    `INSERT INTO company_profiles (organisation_id, siren, provider, profile, fetched_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (organisation_id, siren, provider) DO UPDATE SET profile = excluded.profile, fetched_at = excluded.fetched_at`,
    [organisationId, profile.siren, provider, JSON.stringify(profile), fetchedAt.toISOString()],
  );
}

/** Stores notices once (by source id); returns the ids of those seen for the first time. */
export async function saveLegalEvents(db: Db, organisationId: string, siren: string, source: string, notices: (BodaccNotice & { title: string; cancelled: boolean })[]): Promise<Set<string>> {
  if (notices.length === 0) return new Set();
  const existing = new Set(
    (await db.query<{ source_id: string }>('SELECT source_id FROM legal_events WHERE organisation_id = $1 AND source = $2 AND source_id = ANY($3::text[])', [organisationId, source, notices.map((n) => n.id)])).map((r) => r.source_id),
  );
  await db.query(
    `INSERT INTO legal_events (organisation_id, siren, source, source_id, kind, published_on, judgment_date, title, details, cancelled)
     SELECT $1, $2, $3, * FROM unnest($4::text[], $5::text[], $6::date[], $7::date[], $8::text[], $9::jsonb[], $10::boolean[])
     ON CONFLICT (organisation_id, source, source_id) DO UPDATE SET kind = excluded.kind, title = excluded.title, details = excluded.details, cancelled = excluded.cancelled`,
    [
      organisationId,
      siren,
      source,
      notices.map((n) => n.id),
      notices.map((n) => n.kind),
      notices.map((n) => n.publishedOn),
      notices.map((n) => n.judgmentDate),
      notices.map((n) => n.title),
      notices.map(({ title: _t, cancelled: _c, ...details }) => JSON.stringify(details)),
      notices.map((n) => n.cancelled),
    ],
  );
  return new Set(notices.map((n) => n.id).filter((id) => !existing.has(id)));
}

export async function legalEventsOf(db: Db, organisationId: string, siren: string) {
  return db.query<{ id: string; source: string; source_id: string; kind: string; published_on: string; judgment_date: string | null; title: string; details: Record<string, unknown>; cancelled: boolean }>(
    `SELECT id, source, source_id, kind, published_on, judgment_date, title, details, cancelled FROM legal_events
     WHERE organisation_id = $1 AND siren = $2 ORDER BY coalesce(judgment_date, published_on) DESC, published_on DESC`,
    [organisationId, siren],
  );
}
