import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemActor } from './app/actor';
import { createApiKey } from './app/auth/create-api-key';
import { ensureFirstOrganisation } from './app/bootstrap/ensure-organisation';
import { loadDemoPortfolio } from './app/bootstrap/load-demo-portfolio';
import { applyImportLimits, type Config, PROJECT_ROOT } from './config';
import { systemClock } from './infra/clock';
import type { Db } from './infra/db/db';
import { openDb } from './infra/db/open-db';
import { buildApp } from './http/app';
import { smtpMailer } from './infra/mail/mailer';
import { openDataProviders } from './infra/providers/open-data-providers';
import { startWorker } from './jobs/worker';
import { warmParsePool } from './infra/parsing/parse-pool';
import { releaseOrphanedJobs } from './infra/jobs/job-queue';
import { installCrashGuard } from './infra/crash-guard';

export const CLI_TOKEN_FILE = 'cli-token';

/** Builds the web app once if it is missing (first `npm start`). */
export async function ensureWebBuilt(webDir: string, log: (m: string) => void) {
  if (existsSync(join(webDir, 'index.html'))) return;
  log('Building the web app (first start)…');
  const { build } = await import('vite');
  await build({ configFile: join(PROJECT_ROOT, 'src/web/vite.config.ts'), logLevel: 'warn' });
}

export async function firstOrganisationId(db: Db): Promise<string | undefined> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM organisations ORDER BY created_at, id LIMIT 1');
  return row?.id;
}

/**
 * Issues a fresh admin API key for command-line use on this machine and writes it, readable by
 * this user only, into the data directory; older local keys are revoked.
 */
export async function issueLocalCliKey(db: Db, dataDir: string): Promise<string | undefined> {
  const organisationId = await firstOrganisationId(db);
  if (!organisationId) return undefined;
  await db.query("UPDATE api_keys SET revoked_at = now() WHERE organisation_id = $1 AND name = 'local-cli' AND revoked_at IS NULL", [organisationId]);
  const { secret } = await createApiKey({ db, actor: systemActor(organisationId), name: 'local-cli', role: 'admin' });
  writeFileSync(join(dataDir, CLI_TOKEN_FILE), secret, { mode: 0o600 });
  return secret;
}

/** Opens the database, bootstraps the first organisation and demo data, and serves API + web. */
export async function startServer(config: Config, log: (m: string) => void = console.log) {
  await ensureWebBuilt(config.webDir, log);
  const opened = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { db } = opened;
  const clock = systemClock(config.timeZone);
  // The embedded database is this process's alone: jobs left running by a previous run are orphans.
  if (!config.databaseUrl) {
    const orphans = await releaseOrphanedJobs(db);
    if (orphans > 0) log(`${orphans} job(s) interrupted by the last stop will run again`);
  }

  const created = await ensureFirstOrganisation({
    db,
    name: config.organisationName,
    baseCurrency: config.baseCurrency,
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
  });
  if (created && config.demoCustomers > 0) {
    log(`Generating a demo portfolio of ${config.demoCustomers} customers over ${config.demoMonths} months…`);
    const totals = await loadDemoPortfolio({
      db,
      actor: systemActor(created.organisationId),
      demo: { customers: config.demoCustomers, months: config.demoMonths, seed: config.demoSeed, asOf: clock.today() },
    });
    log(`Demo portfolio: ${totals.customers} customers, ${totals.invoices} invoices, ${totals.payments} payments, ${totals.orders} orders.`);
    // Demo SIRENs are made up (valid checksums, random numbers): never send them to the real registers.
    await db.query(`UPDATE organisations SET settings = jsonb_set(settings, '{monitoring}', '{"enabled": false}') WHERE id = $1`, [created.organisationId]);
  }
  if (!config.databaseUrl) await issueLocalCliKey(db, config.dataDir);

  const providers = config.providersEnabled ? openDataProviders({ rechercheEntreprisesUrl: config.rechercheEntreprisesUrl, bodaccUrl: config.bodaccUrl }) : undefined;
  const mailer = config.smtpUrl ? smtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : undefined;
  const app = await buildApp(
    { db, clock, webDir: config.webDir, secureCookies: config.secureCookies, trustProxy: config.trustProxy, publicUrl: config.publicUrl, providers, workerIntervalMs: config.workerIntervalSeconds * 1000, webhookAllowHosts: config.webhookAllowHosts },
    { logger: { level: config.logLevel } },
  );
  const removeCrashGuard = installCrashGuard((message, error) => app.log.error({ err: error }, message));
  await app.listen({ port: config.port, host: config.host });
  // Imported files are parsed in worker threads: start them now, not with the first upload.
  applyImportLimits(config);
  warmParsePool();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  // The CLI finds the running server through the lock file.
  opened.lock?.update({ url });
  log(`Encours is running on ${url} (database: ${config.databaseUrl ? 'PostgreSQL' : `embedded, ${config.dataDir}`})`);
  log(`API documentation: ${url}/api/docs`);
  if (created) {
    log(`First start: log in as ${created.adminEmail} with password ${created.isPasswordGenerated ? created.password : '(ENCOURS_ADMIN_PASSWORD)'}`);
    if (created.isPasswordGenerated) log('This password is shown only once; add users with `npm run encours -- user add`.');
  }

  const worker = config.worker
    ? startWorker({ db, clock, providers, mailer, appUrl: config.publicUrl ?? url, webhookAllowHosts: config.webhookAllowHosts, log: (m) => app.log.warn(m) }, { intervalMs: config.workerIntervalSeconds * 1000 })
    : null;
  if (worker) log(`Background worker: monitoring, rescoring and alert deliveries every ${config.workerIntervalSeconds} s${mailer ? '' : ' (no SMTP_URL: e-mail alerts cannot be sent)'}.`);

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await worker?.stop();
    mailer?.close();
    await app.close();
    await opened.close();
    removeCrashGuard();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      close().then(() => process.exit(0), () => process.exit(1));
    });
  }
  return { app, db, url, close };
}
