/**
 * Imports one organisation may run at the same time. Parsing happens in a small shared pool of
 * worker threads: without a cap, one organisation sending many files at once would keep every
 * other organisation's imports waiting. Beyond the cap the caller is told to retry (429).
 */
import type { Db } from '../../infra/db/db';
import { AppError } from '../app-error';
import { countRunningImports } from './record-import';

/** The default; the server and the CLI apply ENCOURS_IMPORTS_PER_ORGANISATION (src/config.ts). */
export const DEFAULT_IMPORTS_PER_ORGANISATION = 2;
let limit = DEFAULT_IMPORTS_PER_ORGANISATION;
/** Imports answered while the caller waits, per organisation, in this process. */
const held = new Map<string, number>();

export function setImportsPerOrganisation(value: number) {
  limit = value;
}

/**
 * Takes a place for one import of the organisation, counting the ones answered in this process
 * and the background imports not finished yet (in any process); refuses with 429 beyond the cap.
 * Returns the function that gives the place back.
 */
export async function acquireImportSlot(db: Db, organisationId: string): Promise<() => void> {
  const running = (held.get(organisationId) ?? 0) + (await countRunningImports(db, organisationId));
  if (running >= limit) {
    throw new AppError('rate_limited', `${running} imports of this organisation are already running (at most ${limit} at a time): retry once one has finished`, [
      { field: 'file', reason: `at most ${limit} imports at a time per organisation` },
    ]);
  }
  held.set(organisationId, (held.get(organisationId) ?? 0) + 1);
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    const n = (held.get(organisationId) ?? 1) - 1;
    if (n <= 0) held.delete(organisationId);
    else held.set(organisationId, n);
  };
}
