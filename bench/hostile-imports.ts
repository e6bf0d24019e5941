/**
 * `/api/health` latency while hostile files are being refused: lying XLSX zip bombs,
 * a Factur-X PDF with chained FlateDecode filters and a camt of 2 million character references,
 * sent at once over real HTTP to a server on the embedded database, while /api/health is asked
 * every 50 ms. The server runs in its own process, so the client's work (building and sending
 * the files) is not counted against it; it also reports its own event-loop delay.
 * Goal: every health answer within 200 ms. Run alone: `node --import tsx bench/hostile-imports.ts`.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { camtWithReferences, flateBombPdf, lyingXlsxBomb } from '../test/support/hostile-files';

const GOAL_MS = 200;
type Ready = { address: string; keys: string[] };

/** The server side: an app on a fresh embedded database with two organisations. */
async function serve() {
  const { systemActor } = await import('../src/app/actor');
  const { createApiKey } = await import('../src/app/auth/create-api-key');
  const { createOrganisation } = await import('../src/app/organisations/create-organisation');
  const { buildApp } = await import('../src/http/app');
  const { systemClock } = await import('../src/infra/clock');
  const { migrate } = await import('../src/infra/db/migrate');
  const { openPglite } = await import('../src/infra/db/open-pglite');
  const db = await openPglite({});
  await migrate(db);
  const app = await buildApp({ db, clock: systemClock() });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  // Two organisations: the per-organisation cap would refuse the third file of one at once.
  const keys: string[] = [];
  for (const name of ['Bench A', 'Bench B']) {
    const { organisation } = await createOrganisation({ db, name, admin: { email: `${name.replace(' ', '-')}-${Date.now()}@bench.local`, name, password: 'bench-password-1' } });
    keys.push((await createApiKey({ db, actor: systemActor(organisation.id), name: 'bench', role: 'credit_manager' })).secret);
  }
  if (process.env.BENCH_WARM !== 'off') {
    const { warmParsePool } = await import('../src/infra/parsing/parse-pool');
    warmParsePool();
    await new Promise((r) => setTimeout(r, 5000)); // the workers load their parsers
  }
  const delay = monitorEventLoopDelay({ resolution: 10 });
  process.on('message', async (message: string) => {
    if (message === 'measure') {
      delay.reset();
      delay.enable();
    } else if (message === 'stop') {
      delay.disable();
      process.send?.({ maxDelayMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6 });
      await app.close();
      await db.close();
      process.exit(0);
    }
  });
  process.send?.({ address, keys } satisfies Ready);
}

export async function runHostileImportsBench() {
  const server = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'] });
  const messages: unknown[] = [];
  let notify: (() => void) | null = null;
  server.on('message', (m) => {
    messages.push(m);
    notify?.();
  });
  const next = async <T>() => {
    while (messages.length === 0) await new Promise<void>((r) => (notify = r));
    return messages.shift() as T;
  };
  const { address, keys } = await next<Ready>();
  const camt = readFileSync(join(process.cwd(), '../shared/data/bank-statements/camt/genkgo-camt/camt054.v8.xml'), 'utf8');
  const files: { kind: string; name: string; bytes: Uint8Array; key: string }[] = [
    { kind: 'spreadsheets', name: 'bomb-1.xlsx', bytes: await lyingXlsxBomb(1200), key: keys[0] },
    { kind: 'einvoices', name: 'bomb.pdf', bytes: await flateBombPdf(3, 1500), key: keys[0] },
    { kind: 'spreadsheets', name: 'bomb-2.xlsx', bytes: await lyingXlsxBomb(1200), key: keys[1] },
    { kind: 'statements', name: 'refs.xml', bytes: camtWithReferences(camt, 2_000_000), key: keys[1] },
  ];
  const forms = files.map((f) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(f.bytes)]), f.name);
    return form;
  });

  let latencies: { at: number; ms: number }[] = [];
  let isRunning = true;
  let t0 = performance.now();
  const poll = async () => {
    while (isRunning) {
      const t = performance.now();
      const response = await fetch(`${address}/api/health`);
      await response.arrayBuffer();
      latencies.push({ at: Math.round(t - t0), ms: performance.now() - t });
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // Baseline: the same polling for 5 s with no import at all, on the same machine in the same run.
  const baselinePoll = poll();
  await new Promise((r) => setTimeout(r, 5000));
  isRunning = false;
  await baselinePoll;
  const baseline = latencies.map((l) => l.ms).sort((a, b) => a - b);
  latencies = [];
  isRunning = true;
  t0 = performance.now();
  server.send('measure');
  const polling = poll();
  const outcomes = await Promise.all(
    files.map(async (f, k) => {
      const response = await fetch(`${address}/api/v1/imports/${f.kind}`, { method: 'POST', body: forms[k], headers: { authorization: `Bearer ${f.key}` } });
      const body = (await response.json()) as { errors?: { reason: string }[] };
      return `${f.name} (${(f.bytes.length / 1024).toFixed(0)} KB): ${response.status} ${body.errors?.[0]?.reason ?? ''}`;
    }),
  );
  const totalMs = performance.now() - t0;
  isRunning = false;
  await polling;
  server.send('stop');
  const loop = await next<{ maxDelayMs: number; p99DelayMs: number }>();
  for (const o of outcomes) console.log(`  ${o}`);
  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
  const max = sorted[sorted.length - 1] ?? 0;
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  console.log(`  slowest health answers (ms after the start: ms): ${[...latencies].sort((a, b) => b.ms - a.ms).slice(0, 5).map((l) => `${l.at}: ${Math.round(l.ms)}`).join(', ')}`);
  console.log(`  baseline, no import: /api/health p95 ${baseline[Math.floor(baseline.length * 0.95)].toFixed(0)} ms, max ${baseline[baseline.length - 1].toFixed(0)} ms`);
  console.log(`  server event-loop delay: max ${loop.maxDelayMs.toFixed(0)} ms, p99 ${loop.p99DelayMs.toFixed(0)} ms`);
  console.log(
    `hostile imports: ${files.length} refused in ${(totalMs / 1000).toFixed(2)} s; /api/health ${latencies.length} answers, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms (goal ≤ ${GOAL_MS} ms) ${max <= GOAL_MS ? 'OK' : 'MISSED'}`,
  );
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv[1]?.endsWith('hostile-imports.ts')) {
  await runHostileImportsBench();
  process.exit(0);
}
