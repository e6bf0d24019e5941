import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { applyImportLimits, loadConfig } from '../config';
import { DATE_RANGE_REASON, isIsoDate } from '../domain/calendar';
import { formatAmount } from '../domain/money';
import { DEMO_RATES, generatePortfolioChunks } from '../domain/demo/generate-portfolio';
import { addMonths } from '../domain/calendar';
import { ROLES } from '../domain/receivables/records';
import { openDb } from '../infra/db/open-db';
import { migrate } from '../infra/db/migrate';
import { systemClock } from '../infra/clock';
import { startServer } from '../server';
import { ApiProblem, type ApiClient, connect } from './client';
import { toCsv } from './csv';
import { parseDocument, StatementParseError, UnrecognisedFormatError } from '../formats/parse-document';
import { isPdf } from '../formats/einvoice/facturx-pdf';
import { decodeText, looksLikeStatement } from '../formats/statements/parse-statement';
import type { StatementImportReport } from '../app/banking/import-statement';
import type { EInvoiceImportReport } from '../app/imports/import-einvoice';
import { EInvoiceError } from '../formats/einvoice/types';
import { ENTITIES } from '../formats/spreadsheet/columns';

const config = loadConfig();
applyImportLimits(config);
// Piping into `head` closes stdout early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};
const isoDate = (value: string) => {
  if (!isIsoDate(value)) throw new InvalidArgumentError(DATE_RANGE_REASON);
  return value;
};

async function withClient<T>(fn: (client: ApiClient) => Promise<T>): Promise<T> {
  const client = await connect(config);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

const program = new Command('encours').description('Encours — customer credit risk and collections').showHelpAfterError();

program
  .command('serve')
  .description('Serve the API and the web app (embedded database unless DATABASE_URL is set)')
  .option('-p, --port <port>', 'port (default PORT or 3000)', positiveInt)
  .action(async (opts) => {
    await startServer({ ...config, port: opts.port ?? config.port });
  });

program
  .command('migrate')
  .description('Apply database migrations')
  .action(async () => {
    const opened = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const applied = await migrate(opened.db);
    await opened.close();
    console.log(applied.length > 0 ? `Database is up to date (${applied.length} migration(s) applied).` : 'Database is up to date.');
  });

program
  .command('demo')
  .description('Load a deterministic demo portfolio through the bulk API')
  .option('--customers <n>', 'number of customers', positiveInt, 300)
  .option('--months <n>', 'months of history', positiveInt, 24)
  .option('--seed <n>', 'random seed', positiveInt, 42)
  .option('--as-of <date>', 'last day of the history (default today)', isoDate)
  .action(async (opts) => {
    const asOf = opts.asOf ?? systemClock(config.timeZone).today();
    await withClient(async (client) => {
      const totals = { customers: 0, invoices: 0, payments: 0, orders: 0 };
      const rateDate = addMonths(asOf, -opts.months - 1);
      await client.request('PUT', '/api/v1/exchange-rates', { items: Object.entries(DEMO_RATES).map(([currency, rate]) => ({ currency, rate, date: rateDate })) });
      let batch = { customers: [] as unknown[], invoices: [] as unknown[], payments: [] as unknown[], orders: [] as unknown[] };
      const flush = async () => {
        for (const entity of ['customers', 'invoices', 'payments', 'orders'] as const) {
          if (batch[entity].length === 0) continue;
          await client.request('POST', `/api/v1/bulk/${entity}`, { items: batch[entity] });
          totals[entity] += batch[entity].length;
        }
        batch = { customers: [], invoices: [], payments: [], orders: [] };
        process.stderr.write(`\r${totals.customers}/${opts.customers} customers, ${totals.invoices} invoices`);
      };
      for (const chunk of generatePortfolioChunks({ customers: opts.customers, months: opts.months, seed: opts.seed, asOf })) {
        batch.customers.push(...chunk.customers);
        batch.invoices.push(...chunk.invoices.map((i) => ({ ...i, totalExclTax: formatAmount(i.totalExclTax, i.currency), totalInclTax: formatAmount(i.totalInclTax, i.currency) })));
        batch.payments.push(
          ...chunk.payments.map((p) => ({
            ...p,
            amount: formatAmount(p.amount, p.currency),
            allocations: p.allocations.map((a) => ({ invoiceNumber: a.invoiceNumber, amount: formatAmount(a.amount, p.currency) })),
          })),
        );
        batch.orders.push(...chunk.orders.map((o) => ({ ...o, amountInclTax: formatAmount(o.amountInclTax, o.currency) })));
        if (batch.invoices.length >= 5000) await flush();
      }
      await flush();
      await client.request('POST', '/api/v1/scores/recompute', { asOf });
      process.stderr.write('\n');
      console.log(`Loaded ${totals.customers} customers, ${totals.invoices} invoices and credit notes, ${totals.payments} payments, ${totals.orders} orders.`);
    });
  });

const user = program.command('user').description('Manage users');
user
  .command('add')
  .description('Add a user to the organisation')
  .requiredOption('--email <email>', 'e-mail (login)')
  .requiredOption('--name <name>', 'display name')
  .addOption(new Option('--role <role>', 'role').choices(ROLES).default('viewer'))
  .requiredOption('--password <password>', 'initial password (at least 10 characters)')
  .option('--locale <locale>', 'fr or en')
  .action(async (opts) => {
    await withClient(async (client) => {
      const created = await client.request<{ id: string; email: string; role: string }>('POST', '/api/v1/users', {
        email: opts.email,
        name: opts.name,
        role: opts.role,
        password: opts.password,
        locale: opts.locale ?? null,
      });
      console.log(`User ${created.email} (${created.role}) created.`);
    });
  });

const EXPORTS = {
  customers: '/api/v1/customers',
  invoices: '/api/v1/invoices',
  payments: '/api/v1/payments',
  orders: '/api/v1/orders',
} as const;

program
  .command('export')
  .description('Export customers, invoices, payments or orders as CSV or JSON')
  .addArgument(new Argument('<entity>', 'what to export').choices(Object.keys(EXPORTS)))
  .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
  .option('-o, --out <file>', 'write to a file instead of standard output')
  .action(async (entity: keyof typeof EXPORTS, opts) => {
    await withClient(async (client) => {
      const rows: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: { items: Record<string, unknown>[]; nextCursor: string | null } = await client.request('GET', EXPORTS[entity] + query);
        rows.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const text = opts.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows);
      if (opts.out) {
        writeFileSync(opts.out, text);
        console.error(`${rows.length} ${entity} written to ${opts.out}`);
      } else process.stdout.write(text);
    });
  });

const report = program.command('report').description('Receivables reports');
const scopeOptions = (cmd: Command) =>
  cmd
    .option('--as-of <date>', 'reporting date (default today)', isoDate)
    .option('--customer <id>', 'one customer (id)')
    .option('--segment <segment>', 'one segment')
    .option('--json', 'machine-readable output');
const scopeQuery = (opts: { asOf?: string; customer?: string; segment?: string }) => {
  const q = new URLSearchParams();
  if (opts.asOf) q.set('asOf', opts.asOf);
  if (opts.customer) q.set('customerId', opts.customer);
  if (opts.segment) q.set('segment', opts.segment);
  return q.toString() ? `?${q}` : '';
};

scopeOptions(report.command('aging').description('Aged balance by due date'))
  .option('--buckets <bounds>', 'bucket bounds in days, e.g. 30,60,90,120')
  .action(async (opts) => {
    await withClient(async (client) => {
      const q = scopeQuery(opts) + (opts.buckets ? `${scopeQuery(opts) ? '&' : '?'}buckets=${encodeURIComponent(opts.buckets)}` : '');
      const aging = await client.request<{ asOf: string; currency: string; buckets: { key: string; fromDays: number | null; toDays: number | null; amount: string }[]; total: string; overdue: string; credits: string }>('GET', `/api/v1/analytics/aging${q}`);
      if (opts.json) return console.log(JSON.stringify(aging, null, 2));
      console.log(`Aged balance as of ${aging.asOf} (${aging.currency})`);
      for (const b of aging.buckets) console.log(`  ${bucketLabel(b).padEnd(14)} ${b.amount.padStart(18)}`);
      console.log(`  ${'Unapplied'.padEnd(14)} ${aging.credits.padStart(18)}`);
      console.log(`  ${'Total'.padEnd(14)} ${aging.total.padStart(18)}`);
      console.log(`  ${'Overdue'.padEnd(14)} ${aging.overdue.padStart(18)}`);
    });
  });

scopeOptions(report.command('dso').description('DSO (countback and simple), best possible DSO, ADD, CEI, days to pay')).action(async (opts) => {
  await withClient(async (client) => {
    const k = await client.request<{
      asOf: string; currency: string; outstanding: string; overdue: string;
      dso: { countback: number | null; simple: number | null; bestPossible: number | null; averageDaysDelinquent: number | null };
      cei: number | null; daysToPay: { average: number | null; weighted: number | null; weightedLate: number | null };
    }>('GET', `/api/v1/analytics/kpis${scopeQuery(opts)}`);
    if (opts.json) return console.log(JSON.stringify(k, null, 2));
    const show = (v: number | null, unit = ' days') => (v === null ? 'n/a' : `${v}${unit}`);
    console.log(`Receivables as of ${k.asOf} (${k.currency})`);
    console.log(`  Outstanding            ${k.outstanding}`);
    console.log(`  Overdue                ${k.overdue}`);
    console.log(`  DSO (countback)        ${show(k.dso.countback)}`);
    console.log(`  DSO (simple, quarter)  ${show(k.dso.simple)}`);
    console.log(`  Best possible DSO      ${show(k.dso.bestPossible)}`);
    console.log(`  Average days delinquent ${show(k.dso.averageDaysDelinquent)}`);
    console.log(`  CEI (quarter)          ${show(k.cei, ' %')}`);
    console.log(`  Weighted days to pay   ${show(k.daysToPay.weighted)}`);
    console.log(`  Weighted days late     ${show(k.daysToPay.weightedLate)}`);
  });
});

const company = program.command('company').description('Company data from the providers (Recherche d\'entreprises, BODACC)');
company
  .command('lookup')
  .description('Show what the providers return for a SIREN (nothing is stored; the calls are recorded)')
  .argument('<siren>', 'SIREN (9 digits)')
  .option('--json', 'machine-readable output')
  .action(async (siren: string, opts) => {
    await withClient(async (client) => {
      type Event = { kind: string; publishedOn: string; judgmentDate: string | null; judgmentNature: string | null; familyLabel: string | null; court: string | null; cancelled: boolean };
      const answer = await client.request<{
        siren: string;
        profile: { name: string; state: string; ceasedOn: string | null; legalFormCode: string | null; activityCode: string | null; createdOn: string | null; headcountBand: string | null; category: string | null; headOffice: { siret: string; address: string | null } | null; directors: { name: string; role: string | null }[]; finances: { year: string; revenue: string | null; netIncome: string | null }[] } | null;
        legalEvents: Event[];
        legalStatus: { isKnown: boolean; procedure: string | null; openedOn: string | null; underPlan: boolean; isClosed: boolean; closedOn: string | null };
        calls: { provider: string; status: string; durationMs: number; error: string | null }[];
      }>('GET', `/api/v1/companies/${encodeURIComponent(siren.replace(/\s/g, ''))}`);
      if (opts.json) return console.log(JSON.stringify(answer, null, 2));
      const p = answer.profile;
      if (!p) console.log(`SIREN ${answer.siren}: unknown to the company register`);
      else {
        console.log(`${p.name} — SIREN ${answer.siren} (${p.state === 'ceased' ? `CEASED${p.ceasedOn ? ` on ${p.ceasedOn}` : ''}` : 'active'})`);
        console.log(`  Legal form ${p.legalFormCode ?? '?'} · NAF ${p.activityCode ?? '?'} · created ${p.createdOn ?? '?'} · headcount band ${p.headcountBand ?? '?'}${p.category ? ` · ${p.category}` : ''}`);
        if (p.headOffice) console.log(`  Head office ${p.headOffice.siret}: ${p.headOffice.address ?? ''}`);
        for (const d of p.directors.slice(0, 5)) console.log(`  ${d.role ?? 'Director'}: ${d.name}`);
        for (const f of p.finances) console.log(`  ${f.year}: turnover ${f.revenue ?? '?'} EUR, net income ${f.netIncome ?? '?'} EUR`);
      }
      const s = answer.legalStatus;
      console.log(`Legal status: ${!s.isKnown ? 'unknown (no legal register answered)' : s.isClosed ? `closed on ${s.closedOn}` : s.procedure ? `${s.procedure} opened ${s.openedOn}${s.underPlan ? ' (under plan)' : ''}` : 'no procedure'}`);
      for (const e of answer.legalEvents) console.log(`  ${e.publishedOn}  ${e.kind.padEnd(28)} ${e.judgmentNature ?? e.familyLabel ?? ''}${e.cancelled ? ' (cancelled)' : ''}`);
      for (const c of answer.calls) console.log(`  [${c.provider}: ${c.status}, ${c.durationMs} ms${c.error ? ` — ${c.error}` : ''}]`);
    });
  });

program
  .command('parse')
  .description('Detect a file\'s format and print its normalised records, storing nothing')
  .argument('<file>', 'e-invoice (Factur-X/ZUGFeRD PDF, CII, UBL) or bank statement (camt.05x, CFONB 120, MT940/942, OFX)')
  .option('--json', 'machine-readable output')
  .action(async (file: string, opts) => {
    const document = await parseDocument(readFileSync(file), basename(file));
    if (document.type === 'statement') {
      const parsed = document.statements;
      if (opts.json) return console.log(JSON.stringify({ type: document.type, ...parsed }, null, 2));
      console.log(`${parsed.format}: ${parsed.statements.length} statement(s)`);
      for (const s of parsed.statements) {
        const check = s.balanceCheck ? (s.balanceCheck.isConsistent ? 'balances agree' : `BALANCE MISMATCH of ${s.balanceCheck.difference}`) : 'no balance check';
        console.log(`  ${s.account.iban ?? s.account.number ?? '?'} ${s.currency}: ${s.openingBalance ?? '?'} → ${s.closingBalance ?? '?'}, ${s.lines.length} line(s), ${check}`);
        for (const l of s.lines.slice(0, 20)) console.log(`    ${l.bookingDate} ${l.amount.padStart(14)} ${l.counterparty.name ?? ''} ${l.remittance.structured ?? l.remittance.unstructured ?? ''}`.slice(0, 150));
      }
      return;
    }
    const inv = document.invoice;
    if (opts.json) return console.log(JSON.stringify({ type: document.type, ...inv }, null, 2));
    console.log(`${inv.syntax} ${inv.container === 'pdf' ? '(Factur-X PDF) ' : ''}${inv.profile} — ${inv.kind} ${inv.number}`);
    console.log(`  issued ${inv.issueDate}, due ${inv.dueDate ?? 'n/a'}, ${inv.currency}`);
    console.log(`  seller ${inv.seller.name}${inv.seller.siren ? ` (SIREN ${inv.seller.siren})` : ''}`);
    console.log(`  buyer  ${inv.buyer.name}${inv.buyer.siren ? ` (SIREN ${inv.buyer.siren})` : ''}${inv.buyer.vatNumber ? ` VAT ${inv.buyer.vatNumber}` : ''}`);
    console.log(`  net ${inv.totals.net}, tax ${inv.totals.tax ?? 'n/a'}, gross ${inv.totals.gross}, due ${inv.totals.due}`);
  });

program
  .command('import')
  .description('Import a file: an e-invoice (the buyer becomes a customer) or a bank statement (credits are matched to invoices)')
  .argument('<file>', 'e-invoice (Factur-X/ZUGFeRD PDF, CII, UBL), bank statement (camt.05x, CFONB 120, MT940/942, OFX) or spreadsheet (CSV, XLSX)')
  .option('--json', 'machine-readable output')
  .addOption(new Option('--entity <entity>', 'what a spreadsheet holds (guessed from its headers otherwise)').choices(ENTITIES))
  .option('--dry-run', 'run the import and roll it back: show what would be stored, store nothing (any kind of file)')
  .action(async (file: string, opts) => {
    const bytes = readFileSync(file);
    if (/\.(csv|txt|xlsx)$/i.test(file) && !looksLikeStatement(decodeText(bytes))) {
      type SheetReport = { entity: string; rows: number; isDryRun: boolean; result: { inserted: number; updated: number; unchanged: number }; errorCount: number; errors: { line: number; column: string; value: string; reason: string }[] };
      await withClient(async (client) => {
        // A dry run answers directly: nothing is stored, not even an import to follow.
        const query = new URLSearchParams(opts.dryRun ? { dryRun: 'true' } : { async: 'true' });
        if (opts.entity) query.set('entity', opts.entity);
        if (opts.dryRun) {
          const { report: r } = await client.upload<{ importId: null; report: SheetReport }>(`/api/v1/imports/spreadsheets?${query}`, basename(file), bytes);
          if (opts.json) return console.log(JSON.stringify({ importId: null, report: r }, null, 2));
          console.log(`(dry run: nothing stored) ${r.entity}: ${r.rows} row(s) — ${r.result.inserted} new, ${r.result.updated} updated, ${r.result.unchanged} unchanged`);
          return;
        }
        const { importId } = await client.upload<{ importId: string }>(`/api/v1/imports/spreadsheets?${query}`, basename(file), bytes);
        type Followed = { status: string; progress: number; rowsDone: number | null; estimatedRows: number | null; report: SheetReport };
        let state: Followed;
        for (;;) {
          state = await client.request<Followed>('GET', `/api/v1/imports/${importId}`);
          if (state.status !== 'running') break;
          if (!opts.json) process.stderr.write(`\r${progressBar(state.rowsDone ?? 0, state.estimatedRows)}`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        if (!opts.json) process.stderr.write(`\r${progressBar(state.report.rows ?? 0, state.report.rows ?? null)}\n`);
        if (opts.json) return console.log(JSON.stringify({ importId, ...state }, null, 2));
        const r = state.report;
        if (state.status === 'failed') {
          console.error(`error: ${r.errorCount ?? 0} error(s); nothing was written`);
          for (const e of (r.errors ?? []).slice(0, 50)) console.error(`  line ${e.line}, ${e.column}: ${e.reason}${e.value ? ` [${e.value}]` : ''}`);
          process.exit(1);
        }
        console.log(`${r.isDryRun ? '(dry run) ' : ''}${r.entity}: ${r.rows} row(s) — ${r.result.inserted} new, ${r.result.updated} updated, ${r.result.unchanged} unchanged`);
      });
      return;
    }
    if (!isPdf(bytes) && looksLikeStatement(decodeText(bytes))) {
      await withClient(async (client) => {
        const result = await client.upload<{ importId: string | null; report: StatementImportReport }>(`/api/v1/imports/statements${opts.dryRun ? '?dryRun=true' : ''}`, basename(file), bytes);
        if (opts.json) return console.log(JSON.stringify(result, null, 2));
        const r = result.report;
        console.log(`${r.isDryRun ? '(dry run: nothing stored) ' : ''}${r.format}: ${r.lines.total} line(s), ${r.lines.new} new, ${r.lines.alreadyImported} already imported`);
        for (const s of r.statements) if (s.balanceCheck && !s.balanceCheck.isConsistent) console.log(`  warning: ${s.account} balances differ by ${s.balanceCheck.difference}`);
        console.log(`  credits matched: ${r.matching.applied} applied, ${r.matching.proposed} to review, ${r.matching.unmatched} unmatched`);
        for (const m of r.preview?.matches ?? []) {
          const settles = m.allocations.map((a) => `${a.invoiceNumber} ${a.amount}`).join(', ') || 'no invoice';
          console.log(`  line ${m.lineNo} ${m.bookingDate} ${m.amount} ${m.currency}: ${m.status === 'applied' ? 'would be applied' : 'would be proposed'} — ${m.customer?.name ?? 'unknown payer'}: ${settles}`);
        }
      });
      return;
    }
    await withClient(async (client) => {
      const result = await client.upload<{ importId: string | null; report: EInvoiceImportReport }>(
        `/api/v1/imports/einvoices${opts.dryRun ? '?dryRun=true' : ''}`,
        basename(file),
        bytes,
      );
      if (opts.json) return console.log(JSON.stringify(result, null, 2));
      const r = result.report;
      const would = r.isDryRun ? 'would be ' : '';
      const what = r.invoice.inserted ? `${would}created` : r.invoice.updated ? `${would}updated` : 'unchanged (already imported)';
      if (r.isDryRun) console.log('(dry run: nothing stored)');
      console.log(`${r.kind} ${r.number} ${what}; customer ${r.customer.externalRef}${r.customer.isNew ? ` (${would}new)` : ''}`);
      const rec = r.records;
      console.log(`  customer ${rec.customer.legalName}: ${rec.customer.action}; invoice ${rec.invoice.totalInclTax} ${rec.invoice.currency} due ${rec.invoice.dueDate}: ${rec.invoice.action}`);
      if (rec.prepayment) console.log(`  prepayment ${rec.prepayment.reference}: ${rec.prepayment.amount} (${rec.prepayment.settled} settled)`);
      for (const w of r.warnings) console.log(`  warning: ${w}`);
    });
  });

/** A one-line progress bar for the terminal: [#########.........] 45 % 450 000/1 000 000 rows. */
function progressBar(done: number, total: number | null): string {
  if (!total) return `${done} rows`;
  const share = Math.min(1, done / total);
  const width = 30;
  return `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${String(Math.floor(share * 100)).padStart(3)} % ${done}/${total} rows`;
}

function bucketLabel(b: { fromDays: number | null; toDays: number | null }): string {
  if (b.toDays === 0 || (b.fromDays === null && b.toDays !== null && b.toDays <= 0)) return 'Not due';
  if (b.toDays === null) return `> ${(b.fromDays ?? 1) - 1} days`;
  return `${b.fromDays}-${b.toDays} days`;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof EInvoiceError) {
    console.error(`error: rejected e-invoice — ${error.location}: ${error.reason}`);
  } else if (error instanceof StatementParseError) {
    console.error(`error: rejected bank statement — ${error.location}: ${error.reason}`);
  } else if (error instanceof UnrecognisedFormatError) {
    console.error(`error: ${error.message}`);
  } else if (error instanceof ApiProblem) {
    console.error(`error: ${error.message}`);
    for (const issue of (error.problem.errors ?? []).slice(0, 50)) {
      const where = issue.index !== undefined ? `record ${issue.index}${issue.ref ? ` (${issue.ref})` : ''}: ` : '';
      console.error(`  ${where}${issue.field}: ${issue.reason}${issue.value !== undefined ? ` [${JSON.stringify(issue.value)}]` : ''}`);
    }
  } else {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
