import type { Db } from '../../infra/db/db';

/**
 * Runs an import's writes in one transaction. On a dry run the very same writes happen — so the
 * preview is exactly what a real import would do — and are then rolled back to a savepoint taken
 * before them: nothing stays, even when `db` is already a transaction.
 */
export async function writeOrPreview<T>(db: Db, isDryRun: boolean, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    if (!isDryRun) return fn(tx);
    await tx.query('SAVEPOINT dry_run');
    try {
      return await fn(tx);
    } finally {
      await tx.query('ROLLBACK TO SAVEPOINT dry_run');
    }
  });
}
