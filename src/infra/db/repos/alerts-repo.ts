import type { Db } from '../db';

export type NewAlert = {
  customerId: string;
  kind: 'band_drop' | 'threshold' | 'payment_deterioration' | 'legal_event' | 'cover_reduced';
  severity: 'info' | 'warning' | 'critical';
  dedupKey: string;
  title: string;
  details: Record<string, unknown>;
};

/** Raises alerts, skipping any whose dedup key already has an open alert. Returns how many were new. */
export async function raiseAlerts(db: Db, organisationId: string, alerts: NewAlert[]): Promise<number> {
  if (alerts.length === 0) return 0;
  const rows = await db.query(
    `INSERT INTO alerts (organisation_id, customer_id, kind, severity, dedup_key, title, details)
     SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
     ON CONFLICT (organisation_id, dedup_key) WHERE status = 'open' DO NOTHING
     RETURNING id`,
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
  return rows.length;
}
