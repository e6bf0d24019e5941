import { createHash } from 'node:crypto';
import { ENTITIES, type Entity, guessEntity, mapColumns } from '../../formats/spreadsheet/columns';
import { providerFromName } from '../../domain/scoring/bureau-scales';
import { sweepExposure } from '../credit/sweep-exposure';
import { refreshRisk } from '../scoring/refresh-risk';
import { importFinancialStatements } from '../scoring/financial-statements';
import { importRatings } from '../scoring/import-ratings';
import { SpreadsheetError, isXlsx, decodeCsv, detectDelimiter, type Row } from '../../formats/spreadsheet/read-rows';
import { ParseLimitError, rowsInWorker } from '../../infra/parsing/parse-pool';
import { type FinancialsRowInput, type PaymentRowInput, type RatingRowInput, type RowInput, rowInput } from '../../formats/spreadsheet/row-inputs';
import { addDecimals } from '../../formats/decimal';
import type { Db } from '../../infra/db/db';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import { type Actor, systemActor } from '../actor';
import { AppError } from '../app-error';
import { upsertCustomers, type UpsertResult } from '../ledger/upsert-customers';
import { upsertInvoices } from '../ledger/upsert-invoices';
import { upsertOrders } from '../ledger/upsert-orders';
import { upsertPayments } from '../ledger/upsert-payments';
import { closeImport, openImport, recordImport } from './record-import';
import { endProgress, reportProgress, startProgress } from './import-progress';
import { enqueueJobs } from '../../infra/jobs/job-queue';

export const BATCH_ROWS = 5000;
const MAX_REPORTED_ERRORS = 1000;

export type RowError = { line: number; column: string; value: string; reason: string };
export type SpreadsheetReport = {
  entity: Entity;
  /** The file's headers, for a mapping editor. */
  headers: string[];
  isDryRun: boolean;
  columns: { mapping: Record<string, string>; unmapped: string[] };
  rows: number;
  result: UpsertResult;
  errors: RowError[];
  errorCount: number;
};

class DryRunRollback extends Error {}

/**
 * Imports a CSV or XLSX of customers, invoices, payments or orders. Headers are recognised in
 * French and English (or given by a mapping profile); rows stream in batches through the same
 * idempotent upserts as the API. The file is all or nothing: any wrong row (line, column, value,
 * reason) and nothing is written. A dry run reports what would happen and writes nothing.
 */
export async function importSpreadsheet(options: {
  db: Db;
  actor: Actor;
  bytes: Uint8Array;
  fileName?: string;
  entity?: Entity;
  profile?: Record<string, string>;
  isDryRun?: boolean;
  /** The organisation's calendar date: ratings may not be dated after it. */
  today: string;
  /** An import already opened (running) to close; a new one is recorded otherwise. */
  importId?: string;
}) {
  const { db, actor } = options;
  const sha = createHash('sha256').update(options.bytes).digest('hex');
  const record = async (status: 'succeeded' | 'failed', report: unknown) => {
    // A dry run leaves no trace, not even the import record (unless one was opened to follow it).
    if (!options.importId && options.isDryRun) return null;
    if (!options.importId) return recordImport(db, actor, { kind: 'spreadsheet', fileName: options.fileName, sha, status, report });
    await closeImport(db, actor, options.importId, { status, report });
    return options.importId;
  };
  const org = await getOrganisation(db, actor.organisationId);
  const defaultCurrency = org?.base_currency ?? 'EUR';
  // French CSVs (";" separated) write decimals with a comma; XLSX cells are numbers already.
  const decimalComma = !isXlsx(options.bytes) && detectDelimiter(decodeCsv(options.bytes.subarray(0, 4096)).text.split(/\r?\n/)[0] ?? '') !== ',';

  // Read in a worker thread: a hostile or huge file never blocks this one (see parse-pool.ts).
  const rows = rowsInWorker(options.bytes);
  const fail = async (report: Record<string, unknown>, message: string, issues: { field: string; reason: string; value?: unknown }[]) => {
    await rows.return(undefined); // stops the worker's reading
    // Kept with the import in the same shape as row errors, so a background import shows them too.
    const errors: RowError[] = issues.map((i) => ({ line: Number(/^line (\d+)/.exec(i.field)?.[1] ?? 1), column: i.field, value: i.value === undefined ? '' : String(i.value), reason: i.reason }));
    const importId = await record('failed', { ...report, errors, errorCount: errors.length });
    throw new AppError('validation_failed', message, issues.map((i) => ({ ...i, ...(importId ? { ref: importId } : {}) })));
  };

  let header: Row | undefined;
  try {
    header = (await rows.next()).value as Row | undefined;
  } catch (error) {
    if (error instanceof SpreadsheetError) return fail({ error: { location: error.location, reason: error.reason } }, `${options.fileName ?? 'file'} cannot be read`, [{ field: error.location, reason: error.reason }]);
    if (error instanceof ParseLimitError) return fail({ error: { location: 'file', reason: error.reason } }, `${options.fileName ?? 'file'} cannot be read`, [{ field: 'file', reason: error.reason }]);
    throw error;
  }
  if (!header) return fail({ error: 'empty file' }, `${options.fileName ?? 'file'} is empty`, [{ field: 'line 1', reason: 'no header row' }]);
  const headers = header.cells.map((c) => String(c ?? ''));
  const entity = options.entity ?? guessEntity(headers);
  if (!entity) return fail({ headers }, 'cannot tell what the file holds', [{ field: 'line 1', reason: `headers ${JSON.stringify(headers)} match no layout of ${ENTITIES.join(', ')}` }]);
  const { mapping, missing, unmapped } = mapColumns({ entity, headers, profile: options.profile });
  // A bureau export per provider often has no provider column but a "Score Creditsafe" header.
  const defaultProvider = entity === 'ratings' && mapping.value !== undefined ? providerFromName(headers[mapping.value]) : null;
  if (missing.length > 0) return fail({ entity, headers }, `required columns are missing for ${entity}`, missing.map((f) => ({ field: f, reason: 'no column for this field (rename the header or send a mapping profile)' })));
  const columnOf = (field: string) => (field in mapping ? headers[mapping[field]] : field);

  const errors: RowError[] = [];
  let errorCount = 0;
  const addError = (e: RowError) => {
    errorCount++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  const result: UpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
  let rowCount = 0;

  const flush = async (tx: Db, batch: { line: number; row: RowInput }[]) => {
    if (batch.length === 0 || errorCount > 0) return; // after an error only validation continues
    const prepared = prepareBatch(entity, batch, options.today);
    try {
      const outcome = await prepared.run(tx, actor);
      result.inserted += outcome.inserted;
      result.updated += outcome.updated;
      result.unchanged += outcome.unchanged;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
      for (const issue of error.issues) {
        const line = prepared.lineOf(issue);
        addError({ line, column: columnOf(issue.field.replace(/^allocations\[\d+\]\./, '')), value: issue.value === undefined ? '' : String(issue.value), reason: issue.reason });
      }
    }
  };

  try {
    await db.transaction(async (tx) => {
      let batch: { line: number; row: RowInput }[] = [];
      // The database stores one batch while the next is read: one statement at a time on the
      // transaction, each batch waiting for the previous one.
      let storing: Promise<void> = Promise.resolve();
      const store = async (full: { line: number; row: RowInput }[]) => {
        await storing;
        storing = flush(tx, full);
        storing.catch(() => {}); // its failure is raised where it is awaited
      };
      // Rows sharing a reference are one payment: a batch never ends between two of them, and a
      // reference stored with an earlier batch cannot come back (its payment would be replaced).
      const paymentRef = (row: RowInput) => (entity === 'payments' ? (row.input as PaymentRowInput).reference : null);
      const storedPayments = new Map<string, number>();
      for await (const { line, cells } of rows) {
        rowCount++;
        // Parsing alone never waits on I/O: let the database's answers in now and then.
        if (rowCount % 1000 === 0) await new Promise(setImmediate);
        const { row, issues } = rowInput({ entity, cells, mapping, decimalComma, defaultCurrency, defaultProvider });
        for (const issue of issues) addError({ line, column: columnOf(issue.field), value: issue.value === undefined || issue.value === null ? '' : String(issue.value), reason: issue.reason });
        if (!row) continue;
        const reference = paymentRef(row);
        if (reference !== null && storedPayments.has(reference)) {
          addError({ line, column: columnOf('reference'), value: reference, reason: `the rows of one payment must follow one another: this reference was already read at line ${storedPayments.get(reference)}` });
          continue;
        }
        if (batch.length >= BATCH_ROWS && (reference === null || reference !== paymentRef(batch[batch.length - 1].row))) {
          for (const b of batch) {
            const stored = paymentRef(b.row);
            if (stored !== null && !storedPayments.has(stored)) storedPayments.set(stored, b.line);
          }
          await store(batch);
          batch = [];
          if (options.importId) reportProgress(options.importId, rowCount);
        }
        batch.push({ line, row });
      }
      await store(batch);
      await storing;
      if (errorCount > 0 || options.isDryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (error instanceof ParseLimitError) return fail({ entity, headers, rows: rowCount, error: { location: 'file', reason: error.reason } }, `${options.fileName ?? 'file'} cannot be read`, [{ field: 'file', reason: error.reason }]);
    if (error instanceof SpreadsheetError) addError({ line: Number(/\d+/.exec(error.location)?.[0] ?? 0), column: '', value: '', reason: error.reason });
    else if (!(error instanceof DryRunRollback)) throw error;
  }

  // Rows are checked while earlier batches are stored: report the errors in file order.
  errors.sort((a, b) => a.line - b.line);
  const report: SpreadsheetReport = {
    entity,
    headers,
    isDryRun: !!options.isDryRun,
    columns: { mapping: Object.fromEntries(Object.entries(mapping).map(([f, i]) => [f, headers[i]])), unmapped },
    rows: rowCount,
    result: errorCount > 0 ? { inserted: 0, updated: 0, unchanged: 0 } : result,
    errors,
    errorCount,
  };
  const importId = await record(errorCount > 0 ? 'failed' : 'succeeded', report);
  // Invoices and payments change behaviour and exposure, orders exposure: scores and limit
  // thresholds follow at once for the whole portfolio (one pass each).
  if (errorCount === 0 && !options.isDryRun) {
    if (entity === 'invoices' || entity === 'payments') await refreshRisk({ db, actor, today: options.today });
    else if (entity === 'orders') await sweepExposure({ db, actor, today: options.today });
  }
  return { importId, report };
}

/** Rows a CSV holds, counted from its line breaks (quoted line breaks make it an estimate); unknown for XLSX. */
export function estimateRows(bytes: Uint8Array): number | null {
  if (isXlsx(bytes)) return null;
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines++;
  return Math.max(0, lines - 1);
}

export type SpreadsheetImportOptions = Omit<Parameters<typeof importSpreadsheet>[0], 'importId' | 'db' | 'bytes'>;
export const SPREADSHEET_IMPORT_JOB = 'import_spreadsheet';

/**
 * Starts an import in the background and returns its id at once; follow it with
 * GET /api/v1/imports/{id}. The file and the options are stored and the import queued as a job in
 * the same transaction, so a restart resumes it (the import being all or nothing, it simply runs
 * again from the start).
 */
export async function startSpreadsheetImport(options: Omit<Parameters<typeof importSpreadsheet>[0], 'importId'>): Promise<string> {
  const { db, bytes, ...rest } = options;
  const sha = createHash('sha256').update(bytes).digest('hex');
  return db.transaction(async (tx) => {
    const importId = await openImport(tx, options.actor, { kind: 'spreadsheet', fileName: options.fileName, sha });
    await tx.query(`UPDATE imports SET report = jsonb_build_object('estimatedRows', $2::int) WHERE id = $1`, [importId, estimateRows(bytes)]);
    await tx.query('INSERT INTO import_uploads (import_id, organisation_id, bytes, options) VALUES ($1, $2, $3, $4::jsonb)', [importId, options.actor.organisationId, bytes, JSON.stringify(rest)]);
    await enqueueJobs(tx, [{ organisationId: options.actor.organisationId, kind: SPREADSHEET_IMPORT_JOB, payload: { importId }, dedupKey: `import:${importId}`, maxAttempts: 3 }]);
    return importId;
  });
}

/**
 * Runs a queued spreadsheet import (the job of `startSpreadsheetImport`). A refused file is an
 * outcome, not a failure: the job is done. Anything else fails the job, which is retried; after
 * its last attempt the import is closed as failed.
 */
export async function runQueuedSpreadsheetImport(options: { db: Db; organisationId: string; importId: string; isLastAttempt: boolean }) {
  const { db, organisationId, importId } = options;
  const [upload] = await db.query<{ bytes: Uint8Array; options: SpreadsheetImportOptions; status: string }>(
    `SELECT u.bytes, u.options, i.status FROM import_uploads u JOIN imports i ON i.id = u.import_id
     WHERE u.organisation_id = $1 AND u.import_id = $2`,
    [organisationId, importId],
  );
  if (!upload) return { skipped: 'no stored file (finished already)' };
  const removeUpload = () => db.query('DELETE FROM import_uploads WHERE organisation_id = $1 AND import_id = $2', [organisationId, importId]);
  if (upload.status !== 'running') {
    await removeUpload();
    return { skipped: `import already ${upload.status}` };
  }
  const settings = upload.options;
  startProgress(importId, { organisationId, fileName: settings.fileName ?? null, estimatedRows: estimateRows(upload.bytes) });
  try {
    const { report } = await importSpreadsheet({ ...settings, db, bytes: upload.bytes, importId });
    await removeUpload();
    return { rows: report.rows, errors: report.errorCount };
  } catch (error) {
    if (error instanceof AppError) {
      await removeUpload(); // refused, and recorded as such by the import itself
      return { refused: error.message };
    }
    if (options.isLastAttempt) {
      await closeImport(db, systemActor(organisationId), importId, { status: 'failed', report: { error: { reason: error instanceof Error ? error.message : String(error) } } });
      await removeUpload();
    }
    throw error;
  } finally {
    endProgress(importId);
  }
}

type Prepared = { run: (db: Db, actor: Actor) => Promise<UpsertResult>; lineOf: (issue: { index?: number; field: string }) => number };

/** The batch as upsert inputs, and how to find the spreadsheet line an upsert issue points to. */
function prepareBatch(entity: Entity, batch: { line: number; row: RowInput }[], today: string): Prepared {
  const lineAt = (issue: { index?: number }) => (issue.index !== undefined ? (batch[issue.index]?.line ?? 0) : 0);
  const items = batch.map((b) => b.row.input);
  switch (entity) {
    case 'customers':
      return { run: (db, actor) => upsertCustomers({ db, actor, items: items as never }), lineOf: lineAt };
    case 'invoices':
      return { run: (db, actor) => upsertInvoices({ db, actor, items: items as never }), lineOf: lineAt };
    case 'orders':
      return { run: (db, actor) => upsertOrders({ db, actor, items: items as never }), lineOf: lineAt };
    case 'ratings':
      return {
        run: async (db, actor) => {
          const { inserted, updated } = await importRatings({ db, actor, items: items as RatingRowInput[], today });
          return { inserted, updated, unchanged: 0 };
        },
        lineOf: lineAt,
      };
    case 'financials':
      return {
        run: async (db, actor) => {
          const { inserted, updated } = await importFinancialStatements({ db, actor, items: items as FinancialsRowInput[], today });
          return { inserted, updated, unchanged: 0 };
        },
        lineOf: lineAt,
      };
    case 'payments': {
      // Rows sharing a reference are one payment settling several invoices.
      const groups = new Map<string, { line: number; input: PaymentRowInput }[]>();
      for (const b of batch) {
        const p = b.row.input as PaymentRowInput;
        groups.set(p.reference, [...(groups.get(p.reference) ?? []), { line: b.line, input: p }]);
      }
      const grouped = [...groups.values()];
      const payments = grouped.map((group) => {
        const first = group[0].input;
        return {
          reference: first.reference,
          customerRef: first.customerRef,
          receivedDate: first.receivedDate,
          currency: first.currency,
          amount: addDecimals(...group.map((g) => g.input.amount)),
          method: first.method,
          allocations: group.filter((g) => g.input.invoiceNumber).map((g) => ({ invoiceNumber: g.input.invoiceNumber as string, amount: g.input.amount })),
        };
      });
      return {
        run: (db, actor) => upsertPayments({ db, actor, items: payments }),
        lineOf(issue) {
          const group = issue.index !== undefined ? grouped[issue.index] : undefined;
          if (!group) return 0;
          const k = /^allocations\[(\d+)\]/.exec(issue.field)?.[1];
          const withInvoices = group.filter((g) => g.input.invoiceNumber);
          return k !== undefined ? (withInvoices[Number(k)]?.line ?? group[0].line) : group[0].line;
        },
      };
    }
  }
}
