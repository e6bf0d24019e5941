import { z } from 'zod';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { AppError, notFound } from '../../app/app-error';
import { importEInvoice } from '../../app/imports/import-einvoice';
import { acquireImportSlot } from '../../app/imports/import-slots';
import { importSpreadsheet, SPREADSHEET_IMPORT_JOB, startSpreadsheetImport } from '../../app/imports/import-spreadsheet';
import { runDueJobs } from '../../jobs/worker';
import { jobStateOf } from '../../domain/jobs/job-state';
import { percentOf, progressOf } from '../../app/imports/import-progress';
import { Problem, Uuid } from '../../contract/common';
import { ENTITIES, type Entity, entityFields } from '../../formats/spreadsheet/columns';
import { safeCellText } from '../../formats/csv/safe-cell';
import type { FastifyRequest } from 'fastify';
import { importStatement, type MatchingSettings } from '../../app/banking/import-statement';
import { releaseHeldOrders } from '../../app/credit/release-held-orders';
import { recomputeScores } from '../../app/scoring/recompute-scores';
import { refreshRisk } from '../../app/scoring/refresh-risk';
import { findCustomerIdsByRef } from '../../infra/db/repos/customers-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

export const MAX_UPLOAD_BYTES = 30 * 1024 * 1024;

const ImportOut = z.object({
  id: Uuid,
  kind: z.string(),
  fileName: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed']),
  progress: z.number(),
  rowsDone: z.number().nullable().describe('Rows processed so far, while running'),
  estimatedRows: z.number().nullable(),
  report: z.unknown(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  state: z.enum(['queued', 'running', 'stalled', 'retrying', 'succeeded', 'failed']).describe('stalled: the process running it stopped, another takes it again at resumesAt; retrying: waiting for its next attempt after an error'),
  resumesAt: z.string().nullable().describe('When a stalled or retrying background import is taken again'),
  attempts: z.number().nullable().describe('Attempts of a background import so far'),
});

type ImportRow = {
  id: string; kind: string; file_name: string | null; status: 'running' | 'succeeded' | 'failed'; progress: number; report: unknown; created_at: Date; finished_at: Date | null;
  job_status: string | null; job_locked_until: Date | null; job_run_at: Date | null; job_attempts: number | null; job_max_attempts: number | null;
};
/** An import with the state of the background job that runs it, when it has one and is not finished. */
const SELECT_IMPORTS = `
  SELECT i.id, i.kind, i.file_name, i.status, i.progress, i.report, i.created_at, i.finished_at,
         j.status AS job_status, j.locked_until AS job_locked_until, j.run_at AS job_run_at, j.attempts AS job_attempts, j.max_attempts AS job_max_attempts
  FROM imports i
  LEFT JOIN LATERAL (
    SELECT status, locked_until, run_at, attempts, max_attempts FROM jobs
    WHERE organisation_id = i.organisation_id AND kind = '${SPREADSHEET_IMPORT_JOB}' AND payload->>'importId' = i.id::text
    ORDER BY created_at DESC LIMIT 1
  ) j ON i.status = 'running'`;

function stateOf(r: ImportRow, now: Date, workerIntervalMs: number) {
  if (r.status !== 'running') return { state: r.status, resumesAt: null };
  if (!r.job_status) return { state: 'running' as const, resumesAt: null };
  const job = jobStateOf({ status: r.job_status, lockedUntil: r.job_locked_until && new Date(r.job_locked_until), runAt: r.job_run_at && new Date(r.job_run_at), attempts: r.job_attempts ?? 0, maxAttempts: r.job_max_attempts ?? 1 }, now, workerIntervalMs);
  return { state: job.state, resumesAt: job.resumesAt?.toISOString() ?? null };
}

const importOut = (r: ImportRow, now: Date, workerIntervalMs: number) => {
  const live = r.status === 'running' ? progressOf(r.id) : undefined;
  return {
    ...stateOf(r, now, workerIntervalMs),
    attempts: r.job_attempts ?? null,
    id: r.id, kind: r.kind, fileName: r.file_name, status: r.status,
    progress: live ? (percentOf(live) ?? r.progress) : r.progress,
    rowsDone: live?.rows ?? null,
    // Queued and not started yet: the estimate stored with it.
    estimatedRows: live?.estimatedRows ?? (r.status === 'running' ? ((r.report as { estimatedRows?: number | null })?.estimatedRows ?? null) : null),
    report: r.report,
    createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null,
  };
};

async function uploadedFile(request: FastifyRequest) {
  if (!request.isMultipart()) throw new AppError('validation_failed', 'send the file as multipart/form-data', [{ field: 'file', reason: 'multipart/form-data expected' }]);
  const file = await request.file({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
  if (!file) throw new AppError('validation_failed', 'no file', [{ field: 'file', reason: 'is required' }]);
  const bytes = await file.toBuffer();
  if (file.file.truncated) throw new AppError('validation_failed', 'file too large', [{ field: 'file', reason: `larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` }]);
  if (/[\u0000-\u001f\u007f]/.test(file.filename)) throw new AppError('validation_failed', 'invalid file name', [{ field: 'file', reason: 'the file name contains control characters' }]);
  return { bytes, fileName: file.filename.slice(0, 255) };
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MappingProfile = z.record(z.string().min(1).max(60), z.string().min(1).max(200));

/** A mapping profile sent with a file: a flat JSON object {"field": "Header in the file"}. */
function parseMappingProfile(text: string): Record<string, string> {
  const refuse = (reason: string) => new AppError('validation_failed', 'invalid mapping profile', [{ field: 'profile', reason }]);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw refuse('must be a JSON object {"field": "header"}');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw refuse('must be a JSON object {"field": "header"}, not an array or a single value');
  const reserved = Object.keys(raw).find((key) => FORBIDDEN_KEYS.has(key));
  if (reserved) throw refuse(`"${reserved}" is not a field`);
  const parsed = MappingProfile.safeParse(raw);
  if (!parsed.success) throw refuse('every field must name a header as text (up to 200 characters)');
  return parsed.data;
}

async function matchingSettings(api: Api, organisationId: string): Promise<Partial<MatchingSettings>> {
  const org = await getOrganisation(api.ctx.db, organisationId);
  return ((org?.settings as { matching?: Partial<MatchingSettings> } | undefined)?.matching) ?? {};
}

const DryRunQuery = z.object({ dryRun: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('Preview: run the import and roll it back; nothing is stored, not even the import record') });
const DryRunOut = z.object({ importId: z.null(), isDryRun: z.literal(true), report: z.unknown() });

export function importRoutes(api: Api) {
  const workerIntervalMs = api.ctx.workerIntervalMs ?? 30_000;
  const { db } = api.ctx;

  api.post(
    '/api/v1/imports/statements',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags: ['imports'],
        summary: 'Import a bank statement (camt.052/053/054, CFONB 120, MT940/MT942, OFX) as multipart field "file"; new credits are matched to invoices; dryRun=true to preview (200, nothing stored)',
        consumes: ['multipart/form-data'],
        querystring: DryRunQuery,
        response: { 200: DryRunOut, 201: z.object({ importId: Uuid, report: z.unknown() }), 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const release = await acquireImportSlot(db, actor.organisationId);
      let result: Awaited<ReturnType<typeof importStatement>>;
      try {
        const { bytes, fileName } = await uploadedFile(request);
        result = await importStatement({ db, actor, bytes, fileName, settings: await matchingSettings(api, actor.organisationId), isDryRun: request.query.dryRun });
      } finally {
        release();
      }
      if (result.importId === null) return reply.status(200).send({ importId: null, isDryRun: true as const, report: result.report });
      // Payments applied from the statement change the payers' behaviour and may make room for orders on hold.
      if (result.paidCustomerIds.length > 0) {
        await recomputeScores({ db, actor, asOf: api.ctx.clock.today(), customerIds: result.paidCustomerIds });
        await releaseHeldOrders({ db, actor, today: api.ctx.clock.today(), customerIds: result.paidCustomerIds });
      }
      return reply.status(201).send({ importId: result.importId, report: result.report });
    },
  );

  api.post(
    '/api/v1/imports/einvoices',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['imports'],
        summary: 'Import one e-invoice (Factur-X/ZUGFeRD PDF, CII or UBL XML) sent as multipart/form-data field "file"; dryRun=true to preview (200, nothing stored)',
        consumes: ['multipart/form-data'],
        querystring: DryRunQuery,
        response: { 200: DryRunOut, 201: z.object({ importId: Uuid, report: z.unknown() }), 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const release = await acquireImportSlot(db, actor.organisationId);
      let result: Awaited<ReturnType<typeof importEInvoice>>;
      try {
        const { bytes, fileName } = await uploadedFile(request);
        result = await importEInvoice({ db, actor, bytes, fileName, isDryRun: request.query.dryRun });
      } finally {
        release();
      }
      // A preview stores nothing and so changes no score.
      if (result.importId === null) return reply.status(200).send({ importId: null, isDryRun: true as const, report: result.report });
      // The buyer's score and limit thresholds follow its new invoice.
      const ref = (result.report as { customer?: { externalRef?: string } }).customer?.externalRef;
      if (ref) await refreshRisk({ db, actor, today: api.ctx.clock.today(), customerIds: [...(await findCustomerIdsByRef(db, actor.organisationId, [ref])).values()] });
      return reply.status(201).send({ importId: result.importId, report: result.report });
    },
  );

  api.post(
    '/api/v1/imports/spreadsheets',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['imports'],
        summary: 'Import a CSV or XLSX of customers, invoices, payments, orders, bureau/insurer ratings or annual accounts (multipart field "file"); all or nothing, dryRun=true to preview',
        consumes: ['multipart/form-data'],
        querystring: z.object({
          entity: z.enum(ENTITIES as [Entity, ...Entity[]]).optional().describe('What the file holds (guessed from its headers when absent)'),
          dryRun: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
          profile: z.string().max(5000).optional().describe('JSON mapping profile {"field": "Header in the file"}'),
          profileName: z.string().max(100).optional().describe('Name of a saved mapping profile (PUT /api/v1/mapping-profiles/{name})'),
          async: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('Answer 202 at once and run in the background; follow GET /api/v1/imports/{id}. Ignored for a dry run, which stores nothing to follow'),
        }),
        response: { 200: z.object({ importId: Uuid.nullable(), report: z.unknown() }), 202: z.object({ importId: Uuid, status: z.literal('running') }), 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const { bytes, fileName } = await uploadedFile(request);
      let profile: Record<string, string> | undefined;
      let entity = request.query.entity;
      if (request.query.profileName) {
        const [saved] = await db.query<{ entity: typeof entity; mapping: Record<string, string> }>(
          'SELECT entity, mapping FROM mapping_profiles WHERE organisation_id = $1 AND name = $2',
          [actorOf(request).organisationId, request.query.profileName],
        );
        if (!saved) throw new AppError('validation_failed', 'unknown mapping profile', [{ field: 'profileName', reason: 'no saved profile with this name', value: request.query.profileName }]);
        profile = saved.mapping;
        entity = entity ?? saved.entity;
      }
      if (request.query.profile) {
        profile = parseMappingProfile(request.query.profile);
      }
      const actor = actorOf(request);
      // Background imports count as running until they finish: the place is only checked here.
      const release = await acquireImportSlot(db, actor.organisationId);
      // A dry run answers at once with its report: in the background it would need a stored import to follow.
      if (request.query.async && !request.query.dryRun) {
        let importId: string;
        try {
          importId = await startSpreadsheetImport({ db, actor, bytes, fileName, entity, isDryRun: request.query.dryRun, profile, today: api.ctx.clock.today() });
        } finally {
          release();
        }
        // Queued durably; start it now in this process rather than at the worker's next tick.
        void runDueJobs({ db, clock: api.ctx.clock }, { organisationId: actor.organisationId, kinds: [SPREADSHEET_IMPORT_JOB] }).catch((error) => request.log.error(error));
        return reply.status(202).send({ importId, status: 'running' as const });
      }
      let outcome: Awaited<ReturnType<typeof importSpreadsheet>>;
      try {
        outcome = await importSpreadsheet({ db, actor, bytes, fileName, entity, isDryRun: request.query.dryRun, profile, today: api.ctx.clock.today() });
      } finally {
        release();
      }
      const { importId, report } = outcome;
      if (report.errorCount > 0) {
        return reply.status(400).type('application/problem+json').send({
          type: 'https://encours.dev/problems/validation_failed',
          title: 'Invalid request',
          status: 400,
          detail: importId
            ? `${report.errorCount} error(s) in ${fileName}; nothing was written (full list: /api/v1/imports/${importId}/errors.csv)`
            : `${report.errorCount} error(s) in ${fileName}; nothing was written (dry run)`,
          ...(importId ? { importId } : {}),
          errors: report.errors.slice(0, 100).map((e) => ({ field: `line ${e.line}, ${e.column}`, reason: e.reason, value: e.value })),
        });
      }
      return reply.status(200).send({ importId, report });
    },
  );

  api.get(
    '/api/v1/imports/spreadsheet-fields',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['imports'],
        summary: 'The fields each kind of spreadsheet may map, required ones marked (ratings and financials need a customer code or a SIREN)',
        response: { 200: z.object({ entities: z.array(z.object({ entity: z.enum(ENTITIES as [Entity, ...Entity[]]), fields: z.array(z.object({ name: z.string(), required: z.boolean() })) })) }) },
      },
    },
    async () => ({ entities: ENTITIES.map((entity) => ({ entity, fields: entityFields(entity) })) }),
  );

  const Profile = z.object({ entity: z.enum(ENTITIES as [Entity, ...Entity[]]), mapping: MappingProfile.refine((m) => !Object.keys(m).some((key) => FORBIDDEN_KEYS.has(key)), 'a field may not be named __proto__, constructor or prototype') });
  api.put(
    '/api/v1/mapping-profiles/:name',
    {
      config: { permission: 'ledger:write' },
      schema: { tags: ['imports'], summary: 'Save a column mapping for a source: {"entity": "invoices", "mapping": {"number": "Num pièce"}}', params: z.object({ name: z.string().min(1).max(100) }), body: Profile, response: { 200: Profile.extend({ name: z.string() }), 400: Problem } },
    },
    async (request) => {
      const actor = actorOf(request);
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO mapping_profiles (organisation_id, name, entity, mapping) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (organisation_id, name) DO UPDATE SET entity = EXCLUDED.entity, mapping = EXCLUDED.mapping, updated_at = now()`,
          [actor.organisationId, request.params.name, request.body.entity, JSON.stringify(request.body.mapping)],
        );
        await recordAudit(tx, actor, { action: 'upsert', entity: 'mapping_profile', entityId: null, after: { name: request.params.name, ...request.body } });
      });
      return { name: request.params.name, ...request.body };
    },
  );

  api.get(
    '/api/v1/mapping-profiles',
    { config: { permission: 'ledger:read' }, schema: { tags: ['imports'], summary: 'Saved column mappings', response: { 200: z.object({ items: z.array(Profile.extend({ name: z.string() })) }) } } },
    async (request) => ({
      items: await db.query<{ name: string; entity: 'customers'; mapping: Record<string, string> }>(
        'SELECT name, entity, mapping FROM mapping_profiles WHERE organisation_id = $1 ORDER BY name',
        [actorOf(request).organisationId],
      ),
    }),
  );

  api.get(
    '/api/v1/imports/:id/errors.csv',
    { config: { permission: 'ledger:read' }, schema: { tags: ['imports'], summary: 'The row errors of an import as CSV (line, column, value, reason)', params: z.object({ id: Uuid }) } },
    async (request, reply) => {
      const [row] = await db.query<{ report: { errors?: { line: number; column: string; value: string; reason: string }[] }; file_name: string | null }>(
        'SELECT report, file_name FROM imports WHERE organisation_id = $1 AND id = $2',
        [actorOf(request).organisationId, request.params.id],
      );
      if (!row) throw notFound('import');
      // Lines are numbers; values and reasons quote what the file held, so they are neutralised.
      const cell = (v: unknown) => `"${safeCellText(v).replace(/"/g, '""')}"`;
      const lines = ['line;column;value;reason', ...(row.report.errors ?? []).map((e) => [e.line, e.column, e.value, e.reason].map(cell).join(';'))];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="errors-${request.params.id}.csv"`)
        .send(`\uFEFF${lines.join('\r\n')}\r\n`);
    },
  );

  api.get(
    '/api/v1/imports',
    {
      config: { permission: 'ledger:read' },
      schema: { tags: ['imports'], summary: 'Recent imports with their reports', response: { 200: z.object({ items: z.array(ImportOut) }) } },
    },
    async (request) => {
      const rows = await db.query<ImportRow>(`${SELECT_IMPORTS} WHERE i.organisation_id = $1 ORDER BY i.created_at DESC, i.id LIMIT 100`, [actorOf(request).organisationId]);
      return { items: rows.map((r) => importOut(r, api.ctx.clock.now(), workerIntervalMs)) };
    },
  );

  api.get(
    '/api/v1/imports/:id',
    {
      config: { permission: 'ledger:read' },
      schema: { tags: ['imports'], summary: 'One import: status, progress and report', params: z.object({ id: Uuid }), response: { 200: ImportOut, 404: Problem } },
    },
    async (request) => {
      // While an import runs here, answer from memory: the embedded database is busy with it.
      const live = progressOf(request.params.id);
      if (live && live.organisationId === actorOf(request).organisationId) {
        return {
          id: request.params.id, kind: 'spreadsheet', fileName: live.fileName, status: 'running' as const, progress: percentOf(live) ?? 0,
          rowsDone: live.rows, estimatedRows: live.estimatedRows, report: {}, createdAt: live.startedAt.toISOString(), finishedAt: null,
          state: 'running' as const, resumesAt: null, attempts: null,
        };
      }
      const [row] = await db.query<ImportRow>(`${SELECT_IMPORTS} WHERE i.organisation_id = $1 AND i.id = $2`, [actorOf(request).organisationId, request.params.id]);
      if (!row) throw notFound('import');
      return importOut(row, api.ctx.clock.now(), workerIntervalMs);
    },
  );
}
