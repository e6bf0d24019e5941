import type { Db } from '../infra/db/db';
import type { Clock } from '../infra/clock';
import type { CompanyDataProviders } from '../app/companies/company-data-providers';

/** What route handlers may use: the database, the clock and settings. */
export type AppContext = {
  db: Db;
  clock: Clock;
  /** Directory of the built web app, served at /. */
  webDir?: string;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies?: boolean;
  /** Company data providers (open data by default); absent = lookups answer 409. */
  providers?: CompanyDataProviders;
  /** Reverse proxies (addresses/CIDRs) whose X-Forwarded-* headers are believed; absent or empty = none. */
  trustProxy?: string[];
  /** Public address of the web app: requests whose Origin is this are same-origin (besides the Host). */
  publicUrl?: string;
  /** Login attempts allowed per IP and minute. */
  loginRateLimit?: number;
  /** How often the background worker looks for due jobs (a stalled job resumes within it). */
  workerIntervalMs?: number;
  /** Hosts the operator lets webhooks reach over plain http or at a non-public address (ENCOURS_WEBHOOK_ALLOW_HOSTS). */
  webhookAllowHosts?: string[];
};
