import { PGlite, type Transaction, types } from '@electric-sql/pglite';
import { copyOptions, type Db, PG_TYPES, parseInt8, type Row } from './db';

const parsers = {
  [PG_TYPES.INT8]: parseInt8,
  [PG_TYPES.NUMERIC]: (v: string) => v,
  [PG_TYPES.DATE]: (v: string) => v,
};

/** Opens PGlite in `dataDir` (or in memory when undefined). */
export async function openPglite(options: { dataDir?: string }): Promise<Db> {
  const pg = await PGlite.create({ dataDir: options.dataDir, parsers });
  return wrap(pg, pg);
}

function wrap(pg: PGlite, conn: PGlite | Transaction): Db {
  const db: Db = {
    dialect: 'pglite',
    async query<T extends Row>(text: string, params?: unknown[]) {
      const result = await conn.query<T>(text, params ?? []);
      return result.rows;
    },
    async exec(text) {
      await conn.exec(text);
    },
    async transaction(fn) {
      if (conn !== pg) return fn(db);
      return pg.transaction(async (tx) => fn(wrap(pg, tx)));
    },
    async copyCsv(table, columns, csv, options) {
      let text = '';
      if (typeof csv === 'string') text = csv;
      else for await (const chunk of csv) text += chunk;
      await conn.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH ${copyOptions(options)}`, [], {
        blob: new Blob([text]),
      });
    },
    async close() {
      if (conn === pg) await pg.close();
    },
  };
  return db;
}

export { types };
