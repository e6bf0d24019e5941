/**
 * Only the order-check scenario of the risk bench (`node --import tsx bench/order-checks.ts`):
 * the same generated portfolio (`BENCH_RISK_CUSTOMERS` / `BENCH_RISK_INVOICES`, default 100 000 /
 * 5 000 000), every customer with a limit, then the order-check API under load with
 * `BENCH_CONCURRENCY` connections, without the recompute runs. On a fresh database of the local
 * server, or BENCH_DATABASE_URL.
 */
import pg from 'pg';
import { openPostgres } from '../src/infra/db/open-postgres';
import { migrate } from '../src/infra/db/migrate';
import { generateRiskData, giveEveryCustomerALimit, orderCheckBench } from './risk';

const url = process.env.BENCH_DATABASE_URL;
const name = `encours_bench_checks_${Date.now()}`;
const admin = (sql: string) => {
  const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  return c.connect().then(() => c.query(sql)).finally(() => c.end());
};
if (!url) await admin(`CREATE DATABASE ${name}`);
const db = await openPostgres({ url: url ?? `postgres://postgres@127.0.0.1:5432/${name}`, max: 4 });
try {
  await migrate(db);
  const organisation = await generateRiskData(db, Number(process.env.BENCH_RISK_CUSTOMERS ?? 100_000), Number(process.env.BENCH_RISK_INVOICES ?? 5_000_000));
  await giveEveryCustomerALimit(db, organisation.id);
  await orderCheckBench(db, organisation);
} finally {
  await db.close();
  if (!url) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
