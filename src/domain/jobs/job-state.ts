/**
 * What a background job looks like from outside, from its row in the queue: a job whose worker
 * stopped renewing its lock is *stalled* (its process died or froze) and will be taken again by
 * the next worker; a job waiting for its next attempt after an error is *retrying*.
 */
export type JobRow = { status: string; lockedUntil: Date | null; runAt: Date | null; attempts: number; maxAttempts: number };
export type JobState =
  | { state: 'queued'; resumesAt: null }
  | { state: 'running'; resumesAt: null }
  | { state: 'stalled'; since: Date; resumesAt: Date }
  | { state: 'retrying'; resumesAt: Date };

/**
 * @param workerIntervalMs how often a worker looks for due jobs: a stalled job resumes within it.
 */
export function jobStateOf(job: JobRow, now: Date, workerIntervalMs: number): JobState {
  if (job.status === 'running') {
    if (job.lockedUntil && job.lockedUntil.getTime() < now.getTime()) {
      return { state: 'stalled', since: job.lockedUntil, resumesAt: new Date(Math.max(now.getTime(), job.lockedUntil.getTime()) + workerIntervalMs) };
    }
    return { state: 'running', resumesAt: null };
  }
  if (job.status === 'queued' && job.attempts > 0 && job.runAt && job.runAt.getTime() > now.getTime()) return { state: 'retrying', resumesAt: job.runAt };
  return { state: 'queued', resumesAt: null };
}
