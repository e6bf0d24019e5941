import { postWebhook } from '../infra/webhooks/post-webhook';
import { localizeReason } from '../i18n/reasons';
import type { JobContext } from './job-context';

type AlertDelivery = {
  id: string; kind: string; severity: string; title: string; details: Record<string, unknown>; created_at: Date; status: string;
  customer_id: string; external_ref: string; legal_name: string; channel_kind: 'email' | 'webhook'; target: string; secret: string | null; active: boolean;
};

const SEVERITY_FR: Record<string, string> = { info: 'Information', warning: 'Attention', critical: 'Critique' };

/** Sends one alert to one channel (e-mail or signed webhook); a failure throws so the job is retried with backoff. */
export async function deliverAlert(ctx: JobContext, job: { id: string; organisation_id: string | null; payload: Record<string, unknown> }) {
  const [row] = await ctx.db.query<AlertDelivery>(
    `SELECT a.id, a.kind, a.severity, a.title, a.details, a.created_at, a.status, c.id AS customer_id, c.external_ref, c.legal_name,
            ch.kind AS channel_kind, ch.target, ch.secret, ch.active
     FROM alerts a JOIN customers c ON c.id = a.customer_id
     JOIN alert_channels ch ON ch.organisation_id = a.organisation_id AND ch.id = $3
     WHERE a.organisation_id = $1 AND a.id = $2`,
    [job.organisation_id, job.payload.alertId, job.payload.channelId],
  );
  // The channel was removed or switched off since: nothing to deliver.
  if (!row || !row.active) return { skipped: true };
  const link = ctx.appUrl ? `${ctx.appUrl.replace(/\/$/, '')}/customers/${row.customer_id}` : null;
  const alert = {
    id: row.id, kind: row.kind, severity: row.severity, title: row.title, details: row.details, createdAt: row.created_at.toISOString(),
    customer: { id: row.customer_id, externalRef: row.external_ref, name: row.legal_name }, ...(link ? { url: link } : {}),
  };
  if (row.channel_kind === 'webhook') {
    if (!row.secret) throw new Error('webhook channel has no signing secret');
    await postWebhook({ url: row.target, secret: row.secret, event: 'alert.raised', deliveryId: job.id, payload: { event: 'alert.raised', alert }, now: ctx.clock.now(), allowHosts: ctx.webhookAllowHosts });
    return { skipped: false };
  }
  if (!ctx.mailer) throw new Error('e-mail is not configured on this server (set SMTP_URL)');
  // The e-mail is in French: so are the server's explanations in it.
  const title = localizeReason(row.title, 'fr');
  const reasons = Array.isArray(row.details.reasons) ? (row.details.reasons as string[]).map((r) => localizeReason(r, 'fr')) : [];
  const lines = [
    `${SEVERITY_FR[row.severity] ?? row.severity} — ${title}`,
    '',
    `Client : ${row.legal_name} (${row.external_ref})`,
    ...(reasons.length > 0 ? ['', 'Raisons :', ...reasons.map((r) => `- ${r}`)] : []),
    ...(typeof row.details.declareTo === 'string' ? ['', `Déclaration de créance : ${row.details.declareTo}`] : []),
    ...(link ? ['', link] : []),
    '',
    '— Encours',
  ];
  await ctx.mailer.send({
    to: row.target,
    subject: `[Encours] ${SEVERITY_FR[row.severity] ?? row.severity} : ${title} — ${row.legal_name}`,
    text: lines.join('\n'),
    headers: { 'X-Encours-Alert': row.id },
  });
  return { skipped: false };
}
