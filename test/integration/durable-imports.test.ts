import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/app/actor';
import { SPREADSHEET_IMPORT_JOB, startSpreadsheetImport } from '../../src/app/imports/import-spreadsheet';
import { dateInZone } from '../../src/domain/calendar';
import type { Clock } from '../../src/infra/clock';
import type { Db } from '../../src/infra/db/db';
import { migrate } from '../../src/infra/db/migrate';
import { openPglite } from '../../src/infra/db/open-pglite';
import { claimJobs, enqueueJobs, releaseOrphanedJobs } from '../../src/infra/jobs/job-queue';
import { runDueJobs } from '../../src/jobs/worker';
import { createTestOrg, type TestOrg } from '../support/test-app';
import { openTestDb } from '../support/test-db';

/** A clock the test moves forward. */
function movableClock(start: string): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), today: () => dateInZone(new Date(now)), advance: (ms) => { now += ms; } };
}

let db: Db;
let org: TestOrg;
const clock = movableClock('2026-03-31T08:00:00Z');
const csv = (prefix: string) => new TextEncoder().encode(['N° facture;Code client;Date facture;Date d\'échéance;Montant TTC', ...Array.from({ length: 30 }, (_, i) => `${prefix}-${i};D1;01/03/2026;31/03/2026;${i + 1},00`)].join('\n'));

beforeAll(async () => {
  db = await openTestDb();
  org = await createTestOrg(db);
  await db.query(`INSERT INTO customers (organisation_id, external_ref, legal_name) VALUES ($1, 'D1', 'Durable SARL')`, [org.id]);
});
afterAll(async () => db?.close());

const ownJobs = () => ({ organisationId: org.id, kinds: [SPREADSHEET_IMPORT_JOB] });
const importOf = async (id: string) => (await db.query<{ status: string; report: { rows?: number; result?: { inserted: number } } }>('SELECT status, report FROM imports WHERE id = $1', [id]))[0];
const uploads = async (id: string) => (await db.query('SELECT 1 FROM import_uploads WHERE import_id = $1', [id])).length;

describe('background imports survive a restart', () => {
  it('a queued import whose worker died is taken again once its lock expires, and runs once', async () => {
    const actor = systemActor(org.id);
    const importId = await startSpreadsheetImport({ db, actor, bytes: csv('DUR'), fileName: 'factures.csv', today: clock.today() });
    expect(await importOf(importId)).toMatchObject({ status: 'running', report: { estimatedRows: 30 } });
    expect(await uploads(importId)).toBe(1);

    // A worker takes it and dies before finishing: nobody else may take it while its lock holds.
    const [taken] = await claimJobs(db, { now: clock.now(), limit: 1, lockMs: 60_000, ...ownJobs() });
    expect(taken.payload).toEqual({ importId });
    expect(await runDueJobs({ db, clock }, ownJobs())).toEqual([]);
    clock.advance(61_000);
    expect(await runDueJobs({ db, clock }, ownJobs())).toEqual([{ id: taken.id, kind: SPREADSHEET_IMPORT_JOB, ok: true }]);
    expect(await importOf(importId)).toMatchObject({ status: 'succeeded', report: { rows: 30, result: { inserted: 30 } } });
    expect(await uploads(importId)).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM invoices WHERE organisation_id = $1 AND number LIKE 'DUR-%'`, [org.id]))[0]).toEqual({ n: 30 });

    // The same job queued again (say, twice by mistake) finds the import finished and does nothing.
    await enqueueJobs(db, [{ organisationId: org.id, kind: SPREADSHEET_IMPORT_JOB, payload: { importId } }]);
    expect(await runDueJobs({ db, clock }, ownJobs())).toEqual([expect.objectContaining({ ok: true })]);
    expect(await importOf(importId)).toMatchObject({ status: 'succeeded' });
  });

  it('an import that keeps failing is retried with backoff, then closed as failed with the reason', async () => {
    const importId = await startSpreadsheetImport({ db, actor: systemActor(org.id), bytes: csv('BAD'), fileName: 'factures.csv', today: clock.today() });
    // Break what was stored (as a corrupted row would): every attempt now fails for good.
    await db.query(`UPDATE import_uploads SET options = jsonb_set(options, '{actor}', 'null') WHERE import_id = $1`, [importId]);
    const attempts: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      const [result] = await runDueJobs({ db, clock }, ownJobs());
      attempts.push(result.ok);
      clock.advance(10 * 60_000);
    }
    expect(attempts).toEqual([false, false, false]);
    expect(await importOf(importId)).toMatchObject({ status: 'failed', report: { error: { reason: expect.any(String) } } });
    expect(await uploads(importId)).toBe(0);
  });

  it('the embedded database frees the jobs a stopped process left running', async () => {
    const embedded = await openPglite({});
    try {
      await migrate(embedded);
      await embedded.query(`INSERT INTO organisations (id, name, base_currency) VALUES ('00000000-0000-4000-8000-000000000001', 'Solo', 'EUR')`);
      await enqueueJobs(embedded, [{ organisationId: '00000000-0000-4000-8000-000000000001', kind: 'rescore', payload: {} }]);
      await claimJobs(embedded, { now: clock.now(), limit: 1, lockMs: 3_600_000 });
      expect(await claimJobs(embedded, { now: clock.now(), limit: 1 })).toEqual([]);
      expect(await releaseOrphanedJobs(embedded)).toBe(1);
      expect(await claimJobs(embedded, { now: clock.now(), limit: 1 })).toHaveLength(1);
    } finally {
      await embedded.close();
    }
  });
});

describe('a stalled background import', () => {
  it('is shown as stalled with the time it resumes, not as running at 0 %, and then resumes', async () => {
    const { createTestApp, json } = await import('../support/test-app');
    const { LOCK_MS } = await import('../../src/jobs/worker');
    const app = await createTestApp(db, clock, { workerIntervalMs: 30_000 });
    try {
      const view = async (id: string) => json(await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: org.as.viewer }));
      const importId = await startSpreadsheetImport({ db, actor: systemActor(org.id), bytes: csv('STALL'), fileName: 'stalled.csv', today: clock.today() });
      expect(await view(importId)).toMatchObject({ status: 'running', state: 'queued', resumesAt: null, attempts: 0 });

      // A worker takes it and its process is killed: no renewal after that.
      const [taken] = await claimJobs(db, { now: clock.now(), limit: 1, lockMs: LOCK_MS, ...ownJobs() });
      expect(await view(importId)).toMatchObject({ state: 'running', attempts: 1 });
      clock.advance(LOCK_MS + 5_000);
      const stalled = await view(importId);
      expect(stalled).toMatchObject({ status: 'running', state: 'stalled', attempts: 1, resumesAt: new Date(clock.now().getTime() + 30_000).toISOString() });
      const listed = json(await app.inject({ method: 'GET', url: '/api/v1/imports', headers: org.as.viewer })).items.find((i: { id: string }) => i.id === importId);
      expect(listed).toMatchObject({ state: 'stalled' });

      expect(await runDueJobs({ db, clock }, ownJobs())).toEqual([{ id: taken.id, kind: SPREADSHEET_IMPORT_JOB, ok: true }]);
      expect(await view(importId)).toMatchObject({ status: 'succeeded', state: 'succeeded', resumesAt: null });
    } finally {
      await app.close();
    }
  });

});
