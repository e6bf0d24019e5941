import type { Db } from '../../infra/db/db';
import { purgeSessions as deleteStale } from '../../infra/db/repos/identity-repo';
import { SESSION_IDLE_MS } from './sessions';

/** Deletes expired and idle sessions and stale failed-login counters (run by the worker on each tick). */
export async function purgeSessions(options: { db: Db; now: Date }) {
  return deleteStale(options.db, options.now, SESSION_IDLE_MS);
}
