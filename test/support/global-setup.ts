import { migrate } from '../../src/infra/db/migrate';
import { openPostgres } from '../../src/infra/db/open-postgres';

/** On PostgreSQL, migrate once before the workers start; on PGlite each test file has its own database. */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const db = await openPostgres({ url });
  await migrate(db);
  await db.close();
}
