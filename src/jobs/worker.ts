import { purgeSessions } from '../app/auth/purge-sessions';
import { runQueuedSpreadsheetImport, SPREADSHEET_IMPORT_JOB } from '../app/imports/import-spreadsheet';
import { claimJobs, completeJob, extendJobLock, failJob, type Job } from '../infra/jobs/job-queue';
import { deliverAlert } from './deliver-alert';
import type { JobContext } from './job-context';
import { refreshCompanyJob, rescoreJob, scheduleMonitoring } from './monitoring';

/** Every kind of job and what runs it. */
export const HANDLERS: Record<string, (ctx: JobContext, job: Job) => Promise<unknown>> = {
  deliver_alert: deliverAlert,
  refresh_company: refreshCompanyJob,
  rescore: rescoreJob,
  [SPREADSHEET_IMPORT_JOB]: (ctx, job) =>
    runQueuedSpreadsheetImport({ db: ctx.db, organisationId: job.organisation_id as string, importId: job.payload.importId as string, isLastAttempt: job.attempts >= job.max_attempts }),
};

/**
 * A worker holds a job for a minute at a time and renews every 15 s while it is alive: a job
 * whose process died is seen as stalled and taken again within a minute, not five.
 */
export const LOCK_MS = 60_000;
const RENEW_MS = LOCK_MS / 4;

/**
 * Runs the jobs due now (of some kinds, or of one organisation), one after the other; returns what
 * happened to each. While they wait or run, the locks of the claimed jobs are renewed, so only a
 * dead worker's jobs are retaken.
 */
export async function runDueJobs(ctx: JobContext, options: { limit?: number; organisationId?: string; kinds?: string[] } = {}) {
  const jobs = await claimJobs(ctx.db, { now: ctx.clock.now(), limit: options.limit ?? 20, organisationId: options.organisationId, kinds: options.kinds, lockMs: LOCK_MS });
  const results: { id: string; kind: string; ok: boolean; error?: string; detail?: string }[] = [];
  const pending = new Set(jobs.map((job) => job.id));
  const heartbeat = setInterval(() => {
    const until = new Date(ctx.clock.now().getTime() + LOCK_MS);
    for (const id of pending) extendJobLock(ctx.db, id, until).catch(() => {});
  }, RENEW_MS);
  heartbeat.unref();
  try {
    for (const job of jobs) {
      const handler = HANDLERS[job.kind];
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(ctx, job);
        await completeJob(ctx.db, job.id, ctx.clock.now());
        results.push({ id: job.id, kind: job.kind, ok: true });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await failJob(ctx.db, job, message, ctx.clock.now());
        // The job row (shown to the organisation) keeps the message; the cause is for the server's log only.
        const detail = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
        results.push({ id: job.id, kind: job.kind, ok: false, error: message, detail });
      } finally {
        pending.delete(job.id);
      }
    }
  } finally {
    clearInterval(heartbeat);
  }
  return results;
}

/**
 * The background worker of `encours serve`: every tick it schedules monitoring, purges expired sessions and runs due jobs
 * until none is left. State lives in the database, so a restart picks up where it stopped.
 */
export function startWorker(ctx: JobContext & { log?: (message: string) => void }, options: { intervalMs?: number } = {}) {
  let stopped = false;
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      await scheduleMonitoring(ctx);
      await purgeSessions({ db: ctx.db, now: ctx.clock.now() });
      for (let round = 0; round < 50 && !stopped; round++) {
        const results = await runDueJobs(ctx);
        for (const r of results) if (!r.ok) ctx.log?.(`job ${r.kind} ${r.id} failed: ${r.error}${r.detail ? ` (${r.detail})` : ''}`);
        if (results.length === 0) break;
      }
    } catch (error) {
      ctx.log?.(`worker tick failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const timer = setInterval(() => {
    if (!running) running = tick().finally(() => { running = null; });
  }, options.intervalMs ?? 30_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
