/**
 * CSV import of 1 000 000 invoice rows (a French export: ";" separators, decimal comma,
 * dd/mm/yyyy) through the product's spreadsheet import, against COPY of the same file into a
 * bare table in the same run. Goals: ≤ 2× COPY, peak RSS ≤ 400 MB.
 */
import { performance } from 'node:perf_hooks';
import { importSpreadsheet } from '../src/app/imports/import-spreadsheet';
import { upsertCustomers } from '../src/app/ledger/upsert-customers';
import type { Actor } from '../src/app/actor';
import type { Db } from '../src/infra/db/db';

export async function runCsvImportBench(options: { db: Db; actor: Actor; rows?: number; customers?: number }) {
  const { db, actor } = options;
  const rows = options.rows ?? 1_000_000;
  const customers = options.customers ?? 20_000;
  for (let k = 0; k < customers; k += 5000) {
    await upsertCustomers({
      db,
      actor,
      items: Array.from({ length: Math.min(5000, customers - k) }, (_, i) => ({ externalRef: `CSV${k + i}`, legalName: `Client CSV ${k + i}`, country: 'FR' })),
    });
  }
  const lines = ['N° facture;Code client;Date facture;Date d\'échéance;Montant HT;Montant TTC'];
  for (let i = 0; i < rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const ht = 100 + (i % 9000);
    lines.push(`CSV-${i};CSV${i % customers};${day}/01/2026;${day}/03/2026;${ht},50;${Math.round(ht * 1.2)},60`);
  }
  const bytes = new Uint8Array(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
  lines.length = 0;
  console.log(`CSV of ${rows} invoice rows: ${(bytes.length / 1024 / 1024).toFixed(1)} MB`);

  await db.exec('CREATE TABLE IF NOT EXISTS bench_csv_bare (number text, customer text, issue text, due text, ht text, ttc text)');
  let t = performance.now();
  await db.copyCsv('bench_csv_bare', ['number', 'customer', 'issue', 'due', 'ht', 'ttc'], Buffer.from(bytes).toString('latin1'), { delimiter: ';', header: true });
  const copyMs = performance.now() - t;
  console.log(`baseline COPY of the same rows: ${(copyMs / 1000).toFixed(2)} s`);

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  t = performance.now();
  const { report } = await importSpreadsheet({ db, actor, bytes, fileName: 'bench.csv', entity: 'invoices', today: new Date().toISOString().slice(0, 10) });
  const importMs = performance.now() - t;
  clearInterval(sampler);
  if (report.errorCount > 0) throw new Error(`bench CSV refused: ${JSON.stringify(report.errors.slice(0, 3))}`);
  const ratio = importMs / copyMs;
  console.log(
    `CSV import: ${report.result.inserted} invoices in ${(importMs / 1000).toFixed(2)} s (${Math.round(rows / (importMs / 1000))} rows/s) — ratio to COPY ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? 'OK' : 'MISSED'}; peak RSS ${Math.round(peak / 1024 / 1024)} MB (target ≤ 400 MB) ${peak <= 400 * 1024 * 1024 ? 'OK' : 'MISSED'}`,
  );
}

/** Run on its own (a fresh process, so its peak memory is its own): `node --import tsx bench/csv-import.ts URL ROWS`. */
if (process.argv[1]?.endsWith('csv-import.ts')) {
  const { openPostgres } = await import('../src/infra/db/open-postgres');
  const { migrate } = await import('../src/infra/db/migrate');
  const { createOrganisation } = await import('../src/app/organisations/create-organisation');
  const { systemActor } = await import('../src/app/actor');
  const db = await openPostgres({ url: process.argv[2] });
  await migrate(db);
  const { organisation } = await createOrganisation({ db, name: 'Bench CSV', admin: { email: `bench-csv-${Date.now()}@bench.local`, name: 'Bench', password: 'bench-password-1' } });
  await runCsvImportBench({ db, actor: systemActor(organisation.id), rows: Number(process.argv[3] ?? 1_000_000) });
  await db.close();
}
