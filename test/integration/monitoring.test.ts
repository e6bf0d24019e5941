import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInZone } from '../../src/domain/calendar';
import type { Clock } from '../../src/infra/clock';
import type { Db } from '../../src/infra/db/db';
import { smtpMailer } from '../../src/infra/mail/mailer';
import { openDataProviders } from '../../src/infra/providers/open-data-providers';
import type { JobContext } from '../../src/jobs/job-context';
import { scheduleMonitoring } from '../../src/jobs/monitoring';
import { runDueJobs } from '../../src/jobs/worker';
import { type ProviderServer, startProviderServer } from '../support/provider-server';
import { createTestApp, createTestOrg, json, type TestOrg } from '../support/test-app';
import { openTestDb } from '../support/test-db';

/** A clock the test moves forward. */
function movableClock(start: string): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), today: () => dateInZone(new Date(now)), advance: (ms) => { now += ms; } };
}

let db: Db;
let org: TestOrg;
let providers: ProviderServer;
let app: Awaited<ReturnType<typeof createTestApp>>;
const clock = movableClock('2026-03-31T08:00:00Z');
const mails: { to: string; subject: string; text: string }[] = [];
const hooks: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let hookStatus = 500;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    simpleParser(stream).then((mail) => {
      mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: mail.subject ?? '', text: mail.text ?? '' });
      callback();
    }, callback);
  },
});
const webhookReceiver = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    hooks.push({ headers: req.headers, body });
    res.writeHead(hookStatus).end();
  });
});
let ctx: JobContext;

beforeAll(async () => {
  providers = await startProviderServer();
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => webhookReceiver.listen(0, '127.0.0.1', resolve));
  db = await openTestDb();
  org = await createTestOrg(db);
  const openData = openDataProviders({ rechercheEntreprisesUrl: providers.url, bodaccUrl: providers.url, http: { minIntervalMs: 0, baseDelayMs: 5 } });
  // The operator lets webhooks reach the loopback receiver of this test (ENCOURS_WEBHOOK_ALLOW_HOSTS).
  app = await createTestApp(db, clock, { providers: openData, webhookAllowHosts: ['127.0.0.1'] });
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  ctx = { db, clock, providers: openData, mailer: smtpMailer({ url: `smtp://127.0.0.1:${smtpPort}`, from: 'Encours <alerts@encours.test>' }), appUrl: 'https://encours.example', webhookAllowHosts: ['127.0.0.1'] };
});
afterAll(async () => {
  ctx?.mailer?.close();
  await app?.close();
  await db?.close();
  await providers?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise((resolve) => webhookReceiver.close(resolve));
});

const admin = () => org.as.admin;
/** Other test files share the PostgreSQL database: work on this file's organisation only. */
const ownJobs = () => ({ organisationId: org.id });

describe('monitoring jobs and alert delivery', () => {
  it('refreshes monitored companies on schedule, alerts, and delivers by e-mail and signed webhook with retries', async () => {
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: admin() });
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'MON-1', legalName: 'Ganymède SAS', siren: '880878145', country: 'FR' }, { externalRef: 'MON-2', legalName: 'Sans Siren', country: 'FR' }] });
    await post('/api/v1/alert-channels', { kind: 'email', target: 'credit@client.test', minSeverity: 'critical' });
    const webhookUrl = `http://127.0.0.1:${(webhookReceiver.address() as AddressInfo).port}/hooks/encours`;
    const { secret } = json(await post('/api/v1/alert-channels', { kind: 'webhook', target: webhookUrl, minSeverity: 'warning' }));
    expect(secret).toMatch(/^whsec_/);

    // Never checked: queued once, whatever how many times the scheduler runs.
    const first = await scheduleMonitoring(ctx, ownJobs());
    expect(first).toEqual({ refreshes: 1, rescores: 1 });
    const queued = json(await app.inject({ method: 'GET', url: '/api/v1/jobs?kind=refresh_company&status=queued', headers: admin() })).items;
    expect(queued).toHaveLength(1); // the customer without SIREN is not monitored
    expect((await scheduleMonitoring(ctx, ownJobs())).refreshes).toBe(0);

    // Run everything due: the refresh raises the alerts, whose deliveries run in the next rounds.
    for (let i = 0; i < 3; i++) await runDueJobs(ctx, { limit: 50, ...ownJobs() });
    const alerts = json(await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: admin() })).items;
    const critical = alerts.filter((a: { severity: string }) => a.severity === 'critical');
    expect(critical.length).toBeGreaterThanOrEqual(2);
    expect(mails.map((m) => m.to)).toEqual(critical.map(() => 'credit@client.test'));
    expect(mails.map((m) => m.subject)).toContain('[Encours] Critique : BODACC : radiation du registre du commerce et des sociétés le 23/11/2022 — Ganymède SAS');
    expect(mails[0].text).toContain('Client : Ganymède SAS (MON-1)');
    expect(mails[0].text).toContain('https://encours.example/customers/');

    // The webhook answered 500: every delivery is queued again with backoff, none lost.
    const attempts = hooks.length;
    expect(attempts).toBe(alerts.length);
    expect(json(await app.inject({ method: 'GET', url: '/api/v1/jobs?kind=deliver_alert&status=queued', headers: admin() })).items).toHaveLength(alerts.length);
    hookStatus = 204;
    await runDueJobs(ctx, { limit: 50, ...ownJobs() });
    expect(hooks.length).toBe(attempts); // not yet: backoff
    clock.advance(60_000);
    await runDueJobs(ctx, { limit: 50, ...ownJobs() });
    expect(hooks.length).toBe(attempts + alerts.length);

    const delivered = hooks.at(-1) as (typeof hooks)[number];
    const [t, v1] = String(delivered.headers['encours-signature']).split(',').map((p) => p.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${delivered.body}`).digest('hex'));
    expect(delivered.headers['encours-event']).toBe('alert.raised');
    expect(JSON.parse(delivered.body).alert).toMatchObject({ customer: { externalRef: 'MON-1', name: 'Ganymède SAS' } });
    const channels = json(await app.inject({ method: 'GET', url: '/api/v1/alert-channels', headers: admin() })).items;
    expect(channels.map((c: { kind: string; delivered: number; pending: number }) => [c.kind, c.delivered, c.pending])).toEqual([['email', critical.length, 0], ['webhook', alerts.length, 0]]);

    // Checked today: the next check of a band E customer is due tomorrow, not before.
    expect((await scheduleMonitoring(ctx, ownJobs())).refreshes).toBe(0);
    clock.advance(25 * 3600_000);
    expect((await scheduleMonitoring(ctx, ownJobs())).refreshes).toBe(1);
  });

  it('jobs survive a restart: a job whose worker died is taken again once its lock expires', async () => {
    const { enqueueJobs, claimJobs } = await import('../../src/infra/jobs/job-queue');
    await runDueJobs(ctx, { limit: 50, ...ownJobs() });
    await enqueueJobs(db, [{ organisationId: org.id, kind: 'rescore', payload: { asOf: clock.today() }, dedupKey: `restart-test:${org.id}` }]);
    const [taken] = await claimJobs(db, { now: clock.now(), limit: 1, kinds: ['rescore'], lockMs: 60_000, ...ownJobs() });
    expect(taken.kind).toBe('rescore');
    // The worker "crashes" here. A new one sees nothing until the lock expires, then finishes it.
    expect(await claimJobs(db, { now: clock.now(), limit: 10, kinds: ['rescore'], ...ownJobs() })).toHaveLength(0);
    clock.advance(61_000);
    const results = await runDueJobs(ctx, { limit: 10, ...ownJobs() });
    expect(results.filter((r) => r.id === taken.id)).toEqual([{ id: taken.id, kind: 'rescore', ok: true }]);
  });

  it('the daily recompute sweeps exposures: a temporary limit that ended leaves a customer over its threshold', async () => {
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: admin() });
    await runDueJobs(ctx, { limit: 50, ...ownJobs() });
    await post('/api/v1/bulk/customers', { items: [{ externalRef: 'DAY-1', legalName: 'Pic Saisonnier SARL', country: 'FR' }] });
    const id = json(await app.inject({ method: 'GET', url: '/api/v1/customers?search=Pic%20Saisonnier', headers: admin() })).items[0].id;
    await post(`/api/v1/customers/${id}/limits`, { source: 'internal', amount: '1000.00', validFrom: '2026-01-01' });
    await post(`/api/v1/customers/${id}/limits`, { source: 'internal', amount: '5000.00', validFrom: '2026-01-01', validUntil: clock.today(), reason: 'seasonal peak' });
    await post('/api/v1/bulk/invoices', { items: [{ number: 'DAY-1-1', customerRef: 'DAY-1', issueDate: '2026-03-01', dueDate: '2026-06-30', currency: 'EUR', totalExclTax: '800.00', totalInclTax: '950.00' }] });
    const thresholdAlerts = async () => json(await app.inject({ method: 'GET', url: `/api/v1/alerts?customerId=${id}`, headers: admin() })).items.filter((a: { kind: string }) => a.kind === 'threshold');
    expect(await thresholdAlerts()).toEqual([]);

    clock.advance(86400_000);
    await scheduleMonitoring(ctx, ownJobs());
    const results = await runDueJobs(ctx, { limit: 50, ...ownJobs() });
    expect(results.filter((r) => r.kind === 'rescore')).toEqual([expect.objectContaining({ ok: true })]);
    expect((await thresholdAlerts()).map((a: { title: string }) => a.title)).toEqual(['Exposure at 95 % of the credit limit (threshold 90 %)']);
  });

  it('an organisation can switch monitoring off', async () => {
    await app.inject({ method: 'PUT', url: '/api/v1/settings', headers: admin(), payload: { monitoring: { enabled: false } } });
    clock.advance(40 * 86400_000);
    expect((await scheduleMonitoring(ctx, ownJobs())).refreshes).toBe(0);
  });
});
