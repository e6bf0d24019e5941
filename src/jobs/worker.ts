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

const LOCK_MS = 5 * 60_000;

/**
 * Runs the jobs due now (of some kinds, or of one organisation), one after the other; returns what
 * happened to each. While a job runs its lock is renewed, so only a dead worker's jobs are retaken.
 */
export async function runDueJobs(ctx: JobContext, options: { limit?: number; organisationId?: string; kinds?: string[] } = {}) {
  const jobs = await claimJobs(ctx.db, { now: ctx.clock.now(), limit: options.limit ?? 20, organisationId: options.organisationId, kinds: options.kinds, lockMs: LOCK_MS });
  const results: { id: string; kind: string; ok: boolean; error?: string; detail?: string }[] = [];
  for (const job of jobs) {
    const handler = HANDLERS[job.kind];
    const heartbeat = setInterval(() => {
      extendJobLock(ctx.db, job.id, new Date(ctx.clock.now().getTime() + LOCK_MS)).catch(() => {});
    }, LOCK_MS / 3);
    heartbeat.unref();
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
      clearInterval(heartbeat);
    }
  }
  return results;
}

/**
 * The background worker of `encours serve`: every tick it schedules monitoring and runs due jobs
 * until none is left. State lives in the database, so a restart picks up where it stopped.
 */
export function startWorker(ctx: JobContext & { log?: (message: string) => void }, options: { intervalMs?: number } = {}) {
  let stopped = false;
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      await scheduleMonitoring(ctx);
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
