import type { CompanyDataProviders } from '../app/companies/company-data-providers';
import type { Clock } from '../infra/clock';
import type { Db } from '../infra/db/db';
import type { Mailer } from '../infra/mail/mailer';

/** What job handlers may use. */
export type JobContext = {
  db: Db;
  clock: Clock;
  providers?: CompanyDataProviders;
  mailer?: Mailer;
  /** Public address of the web app, for links in e-mails. */
  appUrl?: string;
  /** Hosts the operator lets webhooks reach over plain http or at a non-public address (ENCOURS_WEBHOOK_ALLOW_HOSTS). */
  webhookAllowHosts?: string[];
};
