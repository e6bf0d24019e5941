import type { Db } from '../../src/infra/db/db';
import { migrate } from '../../src/infra/db/migrate';
import { openPglite } from '../../src/infra/db/open-pglite';
import { openPostgres } from '../../src/infra/db/open-postgres';

/**
 * The database a test file runs on: the PostgreSQL of DATABASE_URL when set (shared, so tests
 * isolate themselves by creating their own organisations), else a fresh in-memory PGlite.
 */
export async function openTestDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  const db = url ? await openPostgres({ url, max: 5 }) : await openPglite({});
  await migrate(db);
  return db;
}
