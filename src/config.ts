import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_IMPORTS_PER_ORGANISATION, setImportsPerOrganisation } from './app/imports/import-slots';
import { configureParsePool, DEFAULT_PARSE_POOL, type ParsePoolSettings } from './infra/parsing/parse-pool';
import { parseAllowHosts } from './infra/webhooks/address-policy';

/** Settings, all from environment variables (documented in the README). */
export type Config = {
  port: number;
  host: string;
  /** postgres://… for a PostgreSQL server; unset = embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  webDir: string;
  logLevel: string;
  secureCookies: boolean;
  /**
   * Addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For/-Proto/-Host are believed;
   * empty = none (the client address is the socket's, so a forged header cannot dodge rate limits).
   */
  trustProxy: string[];
  timeZone: string;
  organisationName: string;
  baseCurrency: string;
  adminEmail: string;
  adminPassword?: string;
  demoCustomers: number;
  demoMonths: number;
  demoSeed: number;
  /** Company data providers (French open data); off = no lookups, no monitoring calls. */
  providersEnabled: boolean;
  rechercheEntreprisesUrl?: string;
  bodaccUrl?: string;
  /** smtp://user:pass@host:port for alert e-mails; unset = no e-mail. */
  smtpUrl?: string;
  mailFrom: string;
  /** Public address of the web app, for links in e-mails. */
  publicUrl?: string;
  /** ENCOURS_WEBHOOK_ALLOW_HOSTS: hosts webhooks may reach over plain http or at a non-public address. */
  webhookAllowHosts: string[];
  /** Run the background worker (monitoring, rescoring, alert deliveries) in this process. */
  worker: boolean;
  workerIntervalSeconds: number;
  /** Worker threads that parse imported files: how many, their heap limit, their stall timeout. */
  parsing: ParsePoolSettings;
  /** Imports one organisation may run at a time (beyond: 429). */
  importsPerOrganisation: number;
};

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

function int(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

/** ENCOURS_TRUST_PROXY: a comma-separated list of IP addresses and CIDR ranges. */
export function parseTrustProxy(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const version = isIP(address);
    const max = version === 4 ? 32 : 128;
    const isValid = version !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max));
    if (!isValid) throw new Error(`ENCOURS_TRUST_PROXY must list IP addresses or CIDR ranges separated by commas, got "${entry}"`);
  }
  return entries;
}

export function loadConfig(env = process.env): Config {
  return {
    port: int('PORT', 3000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.ENCOURS_DATA_DIR || 'data'),
    webDir: resolve(PROJECT_ROOT, 'dist/web'),
    logLevel: env.LOG_LEVEL || 'info',
    secureCookies: env.ENCOURS_SECURE_COOKIES === 'true',
    trustProxy: parseTrustProxy(env.ENCOURS_TRUST_PROXY),
    timeZone: env.ENCOURS_TIME_ZONE || 'Europe/Paris',
    organisationName: env.ENCOURS_ORGANISATION_NAME || 'Démo Encours',
    baseCurrency: env.ENCOURS_BASE_CURRENCY || 'EUR',
    adminEmail: env.ENCOURS_ADMIN_EMAIL || 'admin@encours.local',
    adminPassword: env.ENCOURS_ADMIN_PASSWORD || undefined,
    demoCustomers: int('ENCOURS_DEMO_CUSTOMERS', 300),
    demoMonths: int('ENCOURS_DEMO_MONTHS', 24),
    demoSeed: int('ENCOURS_DEMO_SEED', 42),
    providersEnabled: env.ENCOURS_PROVIDERS !== 'off',
    rechercheEntreprisesUrl: env.ENCOURS_RECHERCHE_ENTREPRISES_URL || undefined,
    bodaccUrl: env.ENCOURS_BODACC_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.ENCOURS_MAIL_FROM || 'Encours <encours@localhost>',
    publicUrl: env.ENCOURS_PUBLIC_URL || undefined,
    webhookAllowHosts: parseAllowHosts(env.ENCOURS_WEBHOOK_ALLOW_HOSTS),
    worker: env.ENCOURS_WORKER !== 'off',
    workerIntervalSeconds: int('ENCOURS_WORKER_INTERVAL', 30),
    parsing: {
      workers: int('ENCOURS_PARSE_WORKERS', DEFAULT_PARSE_POOL.workers, 1),
      memoryMb: int('ENCOURS_PARSE_MEMORY_MB', DEFAULT_PARSE_POOL.memoryMb, 64),
      stallSeconds: int('ENCOURS_PARSE_TIMEOUT', DEFAULT_PARSE_POOL.stallSeconds, 1),
    },
    importsPerOrganisation: int('ENCOURS_IMPORTS_PER_ORGANISATION', DEFAULT_IMPORTS_PER_ORGANISATION, 1),
  };
}

/** Applies the parsing limits of the configuration (server and command line alike). */
export function applyImportLimits(config: Pick<Config, 'parsing' | 'importsPerOrganisation'>) {
  configureParsePool(config.parsing);
  setImportsPerOrganisation(config.importsPerOrganisation);
}
