/**
 * Progress of imports running in this process. A large import runs in one transaction, so its
 * progress cannot be read from the database before it ends (and the embedded database has a
 * single connection): it is kept here and merged into GET /api/v1/imports/{id}.
 */
export type RunningImport = { organisationId: string; fileName: string | null; startedAt: Date; rows: number; estimatedRows: number | null };

const running = new Map<string, RunningImport>();

export function startProgress(importId: string, entry: Omit<RunningImport, 'rows' | 'startedAt'>) {
  running.set(importId, { ...entry, rows: 0, startedAt: new Date() });
}

export function reportProgress(importId: string, rows: number) {
  const entry = running.get(importId);
  if (entry) entry.rows = rows;
}

export function endProgress(importId: string) {
  running.delete(importId);
}

export function progressOf(importId: string): RunningImport | undefined {
  return running.get(importId);
}

/** Percent done, when the total is known. */
export function percentOf(entry: RunningImport): number | null {
  return entry.estimatedRows ? Math.min(99, Math.floor((entry.rows / entry.estimatedRows) * 100)) : null;
}
