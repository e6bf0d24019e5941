/**
 * `/api/health` latency while hostile files are being refused (issue #11): lying XLSX zip bombs,
 * a Factur-X PDF with chained FlateDecode filters, a camt of 2 million character references and
 * an honest but heavy XLSX that exhausts its worker's heap, all sent at once over real HTTP to a
 * server on the embedded database, while /api/health is asked every 50 ms.
 * Goal: every health answer within 200 ms. Run alone: `node --import tsx bench/hostile-imports.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemActor } from '../src/app/actor';
import { createApiKey } from '../src/app/auth/create-api-key';
import { createOrganisation } from '../src/app/organisations/create-organisation';
import { buildApp } from '../src/http/app';
import { systemClock } from '../src/infra/clock';
import { migrate } from '../src/infra/db/migrate';
import { openPglite } from '../src/infra/db/open-pglite';
import { camtWithReferences, flateBombPdf, heavyXlsx, lyingXlsxBomb } from '../test/support/hostile-files';

const GOAL_MS = 200;

export async function runHostileImportsBench() {
  const db = await openPglite({});
  await migrate(db);
  const app = await buildApp({ db, clock: systemClock() });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    // Two organisations: the per-organisation cap would refuse the third file of one at once.
    const keys: string[] = [];
    for (const name of ['Bench A', 'Bench B']) {
      const { organisation } = await createOrganisation({ db, name, admin: { email: `${name.replace(' ', '-')}-${Date.now()}@bench.local`, name, password: 'bench-password-1' } });
      keys.push((await createApiKey({ db, actor: systemActor(organisation.id), name: 'bench', role: 'credit_manager' })).secret);
    }
    const camt = readFileSync(join(process.cwd(), '../shared/data/bank-statements/camt/genkgo-camt/camt054.v8.xml'), 'utf8');
    const files: { kind: string; name: string; bytes: Uint8Array; key: string }[] = [
      { kind: 'spreadsheets', name: 'bomb-1.xlsx', bytes: await lyingXlsxBomb(1200), key: keys[0] },
      { kind: 'einvoices', name: 'bomb.pdf', bytes: await flateBombPdf(3, 1500), key: keys[0] },
      { kind: 'spreadsheets', name: 'bomb-2.xlsx', bytes: await lyingXlsxBomb(1200), key: keys[1] },
      { kind: 'statements', name: 'refs.xml', bytes: camtWithReferences(camt, 2_000_000), key: keys[1] },
    ];
    // Let the parsing workers start (once per process) before measuring.
    await fetch(`${address}/api/health`);

    const latencies: number[] = [];
    let isRunning = true;
    const poll = (async () => {
      while (isRunning) {
        const t = performance.now();
        const response = await fetch(`${address}/api/health`);
        await response.arrayBuffer();
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const t = performance.now();
    const outcomes = await Promise.all(
      files.map(async (f) => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(f.bytes)]), f.name);
        const response = await fetch(`${address}/api/v1/imports/${f.kind}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${f.key}` } });
        const body = (await response.json()) as { errors?: { reason: string }[] };
        return `${f.name} (${(f.bytes.length / 1024).toFixed(0)} KB): ${response.status} ${body.errors?.[0]?.reason ?? ''}`;
      }),
    );
    const totalMs = performance.now() - t;
    isRunning = false;
    await poll;
    for (const o of outcomes) console.log(`  ${o}`);
    const sorted = [...latencies].sort((a, b) => a - b);
    const max = sorted[sorted.length - 1] ?? 0;
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    console.log(
      `hostile imports: ${files.length} refused in ${(totalMs / 1000).toFixed(2)} s; /api/health ${latencies.length} answers, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms (goal ≤ ${GOAL_MS} ms) ${max <= GOAL_MS ? 'OK' : 'MISSED'}`,
    );
  } finally {
    await app.close();
    await db.close();
  }
}

if (process.argv[1]?.endsWith('hostile-imports.ts')) {
  await runHostileImportsBench();
  process.exit(0);
}
