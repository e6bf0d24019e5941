import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyOptions, type Db, PG_TYPES, parseInt8, type Row } from './db';

pg.types.setTypeParser(PG_TYPES.INT8, parseInt8);
pg.types.setTypeParser(PG_TYPES.NUMERIC, (v: string) => v);
pg.types.setTypeParser(PG_TYPES.DATE, (v: string) => v);

/** Opens a connection pool on a PostgreSQL server (≥ 15). */
const defaultOnError = (error: Error) => console.error(`PostgreSQL connection lost (a new one will be opened): ${error.message}`);

export async function openPostgres(options: { url: string; max?: number; onError?: (error: Error) => void }): Promise<Db> {
  // No JIT compilation: the product's statements are short or scan-bound, and compiling one took
  // longer than running it (a third of the daily risk recompute on 5 000 000 invoices).
  const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10, options: '-c jit=off' });
  // An idle client whose connection the server drops (restart, failover, pg_terminate_backend)
  // emits 'error' on the pool; without a listener that error would end the process. The pool has
  // already discarded the client: log it, and the next query opens a fresh connection.
  const onError = options.onError ?? defaultOnError;
  pool.on('error', onError);
  // A checked-out client whose connection drops between two queries emits 'error' on itself.
  pool.on('connect', (client) => client.on('error', onError));
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  return wrapPool(pool);
}

function wrapPool(pool: pg.Pool): Db {
  return {
    dialect: 'postgres',
    async query<T extends Row>(text: string, params?: unknown[], options?: { name?: string }) {
      return (await pool.query<T>(options?.name ? { name: options.name, text, values: params } : { text, values: params })).rows;
    },
    async exec(text) {
      await pool.query(text);
    },
    async transaction(fn) {
      const client = await pool.connect();
      // A client whose ROLLBACK fails has lost its connection: destroy it, never reuse it.
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(wrapClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async copyCsv(table, columns, csv, options) {
      const client = await pool.connect();
      try {
        await copyWith(client, table, columns, csv, options);
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function wrapClient(client: pg.PoolClient): Db {
  const db: Db = {
    dialect: 'postgres',
    async query<T extends Row>(text: string, params?: unknown[], options?: { name?: string }) {
      return (await client.query<T>(options?.name ? { name: options.name, text, values: params } : { text, values: params })).rows;
    },
    async exec(text) {
      await client.query(text);
    },
    transaction: (fn) => fn(db),
    copyCsv: (table, columns, csv, options) => copyWith(client, table, columns, csv, options),
    async close() {},
  };
  return db;
}

async function copyWith(client: pg.PoolClient, table: string, columns: string[], csv: string | AsyncIterable<string>, options?: { delimiter?: string; header?: boolean }) {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH ${copyOptions(options)}`));
  const source = typeof csv === 'string' ? Readable.from([csv]) : Readable.from(csv);
  await pipeline(source, stream);
}
