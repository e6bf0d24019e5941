import type { Db } from '../db';

export type NewAlert = {
  customerId: string;
  kind: 'band_drop' | 'threshold' | 'payment_deterioration' | 'legal_event' | 'cover_reduced';
  severity: 'info' | 'warning' | 'critical';
  dedupKey: string;
  title: string;
  details: Record<string, unknown>;
};

/**
 * Raises alerts, skipping any whose dedup key already has an open alert, and in the same
 * statement queues one delivery job per active e-mail or webhook channel whose minimum severity
 * the alert reaches (an outbox: delivered after commit, retried, surviving a restart).
 * Returns how many alerts were new.
 */
export async function raiseAlerts(db: Db, organisationId: string, alerts: NewAlert[]): Promise<number> {
  if (alerts.length === 0) return 0;
  const rows = await db.query<{ count: number }>(
    `WITH raised AS (
       INSERT INTO alerts (organisation_id, customer_id, kind, severity, dedup_key, title, details)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
       ON CONFLICT (organisation_id, dedup_key) WHERE status = 'open' DO NOTHING
       RETURNING id, severity),
     queued AS (
       INSERT INTO jobs (organisation_id, kind, payload, run_at, dedup_key, max_attempts)
       SELECT $1, 'deliver_alert', jsonb_build_object('alertId', r.id, 'channelId', ch.id), '-infinity', 'deliver:' || r.id || ':' || ch.id, 8
       FROM raised r JOIN alert_channels ch ON ch.organisation_id = $1 AND ch.active
       WHERE array_position(ARRAY['info', 'warning', 'critical'], r.severity) >= array_position(ARRAY['info', 'warning', 'critical'], ch.min_severity)
       RETURNING 1)
     SELECT (SELECT count(*) FROM raised)::int AS count`,
    [
      organisationId,
      alerts.map((a) => a.customerId),
      alerts.map((a) => a.kind),
      alerts.map((a) => a.severity),
      alerts.map((a) => a.dedupKey),
      alerts.map((a) => a.title),
      alerts.map((a) => JSON.stringify(a.details)),
    ],
  );
  return rows[0]?.count ?? 0;
}
