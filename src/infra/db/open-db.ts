import { join } from 'node:path';
import type { Db } from './db';
import { acquireDataDirLock } from './data-dir-lock';
import { migrate } from './migrate';
import { openPglite } from './open-pglite';
import { openPostgres } from './open-postgres';

export type OpenDbOptions = {
  /** postgres://… for a server; otherwise the embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  lockInfo?: { url?: string };
};

export type OpenedDb = { db: Db; lock?: ReturnType<typeof acquireDataDirLock>; close(): Promise<void> };

/** Opens the configured database (locking the embedded data directory) and migrates it. */
export async function openDb(options: OpenDbOptions): Promise<OpenedDb> {
  if (options.databaseUrl) {
    const db = await openPostgres({ url: options.databaseUrl });
    await migrate(db);
    return { db, close: () => db.close() };
  }
  const lock = acquireDataDirLock(options.dataDir, options.lockInfo);
  try {
    const db = await openPglite({ dataDir: join(options.dataDir, 'pglite') });
    await migrate(db);
    return {
      db,
      lock,
      async close() {
        await db.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
