/**
 * `npm run bench`: loads 1 000 000 invoices of 20 000 customers into PostgreSQL through the
 * product's bulk path and computes the portfolio aged balance and DSO. Each figure is printed
 * with its ratio to a baseline measured in the same run on the same rows:
 *   load            vs COPY into a bare table          (target ≤ 2×)
 *   portfolio aging vs one bare SUM … GROUP BY         (target ≤ 1.5×)
 *   one customer's aging                               (target ≤ 5 ms)
 *   /api/health while hostile files are refused         (target ≤ 200 ms, bench/hostile-imports.ts)
 * Uses BENCH_DATABASE_URL, else a fresh database on the local server (postgres@127.0.0.1:5432).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { systemActor } from '../src/app/actor';
import { agedBalance, receivablesKpis } from '../src/app/analytics/receivables-report';
import { upsertCustomers } from '../src/app/ledger/upsert-customers';
import { upsertInvoices } from '../src/app/ledger/upsert-invoices';
import { createOrganisation } from '../src/app/organisations/create-organisation';
import { generatePortfolioChunks } from '../src/domain/demo/generate-portfolio';
import { formatAmount } from '../src/domain/money';
import type { InvoiceRecord } from '../src/domain/receivables/records';
import { openPostgres } from '../src/infra/db/open-postgres';
import { runMatchingBench } from './matching';
import { runRiskBench } from './risk';
import { spawnSync } from 'node:child_process';
import { migrate } from '../src/infra/db/migrate';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const TARGET_INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const AS_OF = '2026-06-30';
const BATCH = 10_000;

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, drop: async () => {} };
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const name = `encours_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (value: number, baseline: number, target: number) => `${(value / baseline).toFixed(2)}× (target ≤ ${target}×) ${value / baseline <= target ? 'OK' : 'MISSED'}`;

async function main() {
  const { url, drop } = await freshDatabase();
  const db = await openPostgres({ url, max: 4 });
  try {
    await migrate(db);
    // The CSV import runs first, in a fresh process: its peak memory must not include this one's data.
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/csv-import.ts', url, process.env.BENCH_CSV_ROWS ?? '1000000'], { stdio: 'inherit' });
    // /api/health while hostile files are refused, in its own process on the embedded database.
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/hostile-imports.ts'], { stdio: 'inherit' });
    const { organisation } = await createOrganisation({ db, name: 'Bench', admin: { email: `bench-${Date.now()}@bench.local`, name: 'Bench', password: 'bench-password-1' } });
    const actor = systemActor(organisation.id);

    // Generate the portfolio once, in memory, so both paths load exactly the same rows.
    const months = Math.max(1, Math.round((TARGET_INVOICES / CUSTOMERS / 2.1)));
    const customers: object[] = [];
    const invoices: InvoiceRecord[] = [];
    let t = performance.now();
    for (const chunk of generatePortfolioChunks({ customers: CUSTOMERS, months, seed: 7, asOf: AS_OF })) {
      customers.push(...chunk.customers);
      for (const i of chunk.invoices) {
        if (invoices.length < TARGET_INVOICES) invoices.push(i);
      }
    }
    console.log(`generated ${customers.length} customers and ${invoices.length} invoices in ${seconds(performance.now() - t)}`);

    // Baseline 1: COPY of the same invoice rows into a bare table without indexes or checks
    // (logged, like every table of the ledger).
    await db.exec(`CREATE TABLE IF NOT EXISTS bench_bare (number text, customer_ref text, kind text, issue_date date, due_date date,
                   currency text, total_excl_tax bigint, total_incl_tax bigint)`);
    const csvRows = function* () {
      for (let k = 0; k < invoices.length; k += BATCH) {
        yield `${invoices
          .slice(k, k + BATCH)
          .map((i) => `${i.number},${i.customerRef},${i.kind},${i.issueDate},${i.dueDate},${i.currency},${i.totalExclTax},${i.totalInclTax}`)
          .join('\n')}\n`;
      }
    };
    t = performance.now();
    await db.copyCsv('bench_bare', ['number', 'customer_ref', 'kind', 'issue_date', 'due_date', 'currency', 'total_excl_tax', 'total_incl_tax'], (async function* () { yield* csvRows(); })());
    const copyMs = performance.now() - t;
    console.log(`baseline COPY of ${invoices.length} rows: ${seconds(copyMs)}`);

    // The product's bulk path: the same validation and upsert as POST /api/v1/bulk/invoices.
    for (let k = 0; k < customers.length; k += BATCH) await upsertCustomers({ db, actor, items: customers.slice(k, k + BATCH) as never });

    // Second baseline: COPY of the same rows into a table with the invoices table's own indexes and
    // checks — what PostgreSQL itself needs to store them where the product keeps them.
    const customerIds = new Map((await db.query<{ external_ref: string; id: string }>('SELECT external_ref, id FROM customers WHERE organisation_id = $1', [organisation.id])).map((r) => [r.external_ref, r.id]));
    await db.exec('CREATE TABLE bench_indexed (LIKE invoices INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)');
    t = performance.now();
    await db.copyCsv(
      'bench_indexed',
      ['organisation_id', 'customer_id', 'number', 'kind', 'issue_date', 'due_date', 'currency', 'total_excl_tax', 'total_incl_tax', 'open_amount'],
      (async function* () {
        for (let k = 0; k < invoices.length; k += BATCH) {
          yield `${invoices
            .slice(k, k + BATCH)
            .map((i) => `${organisation.id},${customerIds.get(i.customerRef)},${i.number},${i.kind},${i.issueDate},${i.dueDate},${i.currency},${i.totalExclTax},${i.totalInclTax},${i.totalInclTax}`)
            .join('\n')}\n`;
        }
      })(),
    );
    const indexedCopyMs = performance.now() - t;
    console.log(`baseline COPY into a table with the invoices indexes and checks: ${seconds(indexedCopyMs)} (${(indexedCopyMs / copyMs).toFixed(1)}× the bare COPY)`);
    await db.exec('DROP TABLE bench_indexed');
    t = performance.now();
    for (let k = 0; k < invoices.length; k += BATCH) {
      await upsertInvoices({
        db,
        actor,
        items: invoices.slice(k, k + BATCH).map((i) => ({ ...i, totalExclTax: formatAmount(i.totalExclTax, i.currency), totalInclTax: formatAmount(i.totalInclTax, i.currency) })),
      });
    }
    const loadMs = performance.now() - t;
    console.log(`bulk upsert of ${invoices.length} invoices: ${seconds(loadMs)} (${Math.round(invoices.length / (loadMs / 1000))} rows/s) — ratio to bare COPY ${ratio(loadMs, copyMs, 2)}; ${(loadMs / indexedCopyMs).toFixed(2)}× the indexed COPY`);
    await db.exec('VACUUM ANALYZE invoices');
    await db.exec('VACUUM ANALYZE bench_bare');

    // Baseline 2: one bare aggregate over the same rows.
    const best = async (fn: () => Promise<unknown>, runs = 5) => {
      let min = Number.POSITIVE_INFINITY;
      for (let r = 0; r < runs; r++) {
        const s = performance.now();
        await fn();
        min = Math.min(min, performance.now() - s);
      }
      return min;
    };
    const bareMs = await best(() => db.query("SELECT currency, ($1::date - due_date) AS d, sum(total_incl_tax) FROM bench_bare GROUP BY 1, 2", [AS_OF]));
    const scope = { organisationId: organisation.id };
    const agingMs = await best(() => agedBalance({ db, scope, baseCurrency: 'EUR', asOf: AS_OF, today: AS_OF }));
    console.log(`bare SUM … GROUP BY: ${bareMs.toFixed(1)} ms; portfolio aging: ${agingMs.toFixed(1)} ms — ratio ${ratio(agingMs, bareMs, 1.5)}`);
    const dsoMs = await best(() => receivablesKpis({ db, scope, baseCurrency: 'EUR', asOf: AS_OF, today: AS_OF }), 2);
    console.log(`portfolio KPIs (DSO countback/simple, BPDSO, ADD, CEI, days to pay): ${dsoMs.toFixed(0)} ms — ratio ${(dsoMs / bareMs).toFixed(2)}× the bare aggregate`);

    const ids = await db.query<{ id: string }>('SELECT id FROM customers WHERE organisation_id = $1 ORDER BY id LIMIT 200', [organisation.id]);
    const timings: number[] = [];
    for (const { id } of ids) {
      const s = performance.now();
      await agedBalance({ db, scope: { organisationId: organisation.id, customerId: id }, baseCurrency: 'EUR', asOf: AS_OF, today: AS_OF });
      timings.push(performance.now() - s);
    }
    timings.sort((x, y) => x - y);
    const median = timings[Math.floor(timings.length / 2)];
    const p95 = timings[Math.floor(timings.length * 0.95)];
    console.log(`one customer's aging: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (target ≤ 5 ms) ${median <= 5 ? 'OK' : 'MISSED'}`);

    await runRiskBench(db, { customers: Number(process.env.BENCH_RISK_CUSTOMERS ?? 100_000), invoices: Number(process.env.BENCH_RISK_INVOICES ?? 5_000_000) });

  } finally {
    await db.close();
    await drop();
  }
}

await main();
runMatchingBench();
