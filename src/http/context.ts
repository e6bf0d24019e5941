import type { Db } from '../infra/db/db';
import type { Clock } from '../infra/clock';

/** What route handlers may use: the database, the clock and settings. */
export type AppContext = {
  db: Db;
  clock: Clock;
  /** Directory of the built web app, served at /. */
  webDir?: string;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies?: boolean;
  /** Login attempts allowed per IP and minute. */
  loginRateLimit?: number;
};
