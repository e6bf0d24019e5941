/**
 * A small durable job queue in the database (table `jobs`): jobs are claimed with
 * FOR UPDATE SKIP LOCKED so several workers can share it, retried with exponential backoff, and
 * a job whose worker died is taken again once its lock expires. Times come from the caller's
 * clock so tests control them.
 */
import type { Db } from '../db/db';

export type Job = { id: string; organisation_id: string | null; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number; dedup_key: string | null };
/** Without `runAt` a job is due at once (stored as -infinity, so any clock sees it due). */
export type NewJob = { organisationId: string | null; kind: string; payload?: Record<string, unknown>; runAt?: Date; dedupKey?: string | null; maxAttempts?: number };

/** Queues jobs; one whose dedup key is already queued or running is skipped. Returns how many were queued. */
export async function enqueueJobs(db: Db, jobs: NewJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const rows = await db.query(
    `INSERT INTO jobs (organisation_id, kind, payload, run_at, dedup_key, max_attempts)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[], $5::text[], $6::int[])
     ON CONFLICT (dedup_key) WHERE status IN ('queued', 'running') AND dedup_key IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      jobs.map((j) => j.organisationId),
      jobs.map((j) => j.kind),
      jobs.map((j) => JSON.stringify(j.payload ?? {})),
      jobs.map((j) => j.runAt?.toISOString() ?? '-infinity'),
      jobs.map((j) => j.dedupKey ?? null),
      jobs.map((j) => j.maxAttempts ?? 5),
    ],
  );
  return rows.length;
}

/** Takes up to `limit` due jobs (or jobs whose worker's lock expired) and locks them for `lockMs`. */
/** `organisationId` limits the claim to one organisation's jobs (an operator running one tenant's backlog now). */
export async function claimJobs(db: Db, options: { now: Date; limit: number; lockMs?: number; kinds?: string[]; organisationId?: string }): Promise<Job[]> {
  const lockedUntil = new Date(options.now.getTime() + (options.lockMs ?? 5 * 60_000));
  return db.query<Job>(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $3
     WHERE id IN (
       SELECT id FROM jobs
       WHERE ((status = 'queued' AND run_at <= $1) OR (status = 'running' AND locked_until < $1))
         AND ($4::text[] IS NULL OR kind = ANY($4::text[])) AND ($5::uuid IS NULL OR organisation_id = $5)
       ORDER BY run_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, organisation_id, kind, payload, attempts, max_attempts, dedup_key`,
    [options.now.toISOString(), options.limit, lockedUntil.toISOString(), options.kinds ?? null, options.organisationId ?? null],
  );
}

/** Keeps a running job's lock while its worker is alive (a long import outlives the first lock). */
export async function extendJobLock(db: Db, id: string, lockedUntil: Date) {
  await db.query(`UPDATE jobs SET locked_until = $2 WHERE id = $1 AND status = 'running'`, [id, lockedUntil.toISOString()]);
}

/**
 * Makes every running job claimable at once. Only for the embedded database: its directory lock
 * guarantees that no other process is still working on them after a restart.
 */
export async function releaseOrphanedJobs(db: Db): Promise<number> {
  const rows = await db.query(`UPDATE jobs SET locked_until = '-infinity' WHERE status = 'running' RETURNING id`);
  return rows.length;
}

export async function completeJob(db: Db, id: string, now: Date) {
  await db.query(`UPDATE jobs SET status = 'done', finished_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1`, [id, now.toISOString()]);
}

/** Backoff: 30 s, 1 min, 2 min, 4 min… capped at 6 h; after the last attempt the job fails for good. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** (attempts - 1), 6 * 3600_000);
}

export async function failJob(db: Db, job: Job, error: string, now: Date) {
  const final = job.attempts >= job.max_attempts;
  await db.query(
    `UPDATE jobs SET status = $2, last_error = $3, locked_until = NULL, run_at = $4, finished_at = $5 WHERE id = $1`,
    [job.id, final ? 'failed' : 'queued', error.slice(0, 2000), new Date(now.getTime() + retryDelayMs(job.attempts)).toISOString(), final ? now.toISOString() : null],
  );
}
