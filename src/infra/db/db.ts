/**
 * One small database port over PGlite (embedded) and node-postgres (server), so that
 * repositories run the same SQL on both. Rows come back with the same JS types:
 * int8 → number (checked exact), numeric → string, date → "YYYY-MM-DD".
 */
export type Row = Record<string, unknown>;

export type Db = {
  readonly dialect: 'pglite' | 'postgres';
  /**
   * `options.name` makes it a named prepared statement on PostgreSQL (planned once per
   * connection): for hot paths such as order checks. PGlite ignores it.
   */
  query<T extends Row = Row>(text: string, params?: unknown[], options?: { name?: string }): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs `fn` in one transaction; nested calls reuse the outer transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Bulk load rows into a table with COPY … FROM STDIN (CSV). */
  copyCsv(table: string, columns: string[], csv: string | AsyncIterable<string>, options?: { delimiter?: string; header?: boolean }): Promise<void>;
  close(): Promise<void>;
};

export const PG_TYPES = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

/** The WITH clause of a CSV COPY. */
export function copyOptions(options: { delimiter?: string; header?: boolean } = {}): string {
  const delimiter = options.delimiter ?? ',';
  if (!/^[,;\t|]$/.test(delimiter)) throw new RangeError(`unsupported COPY delimiter ${JSON.stringify(delimiter)}`);
  return `(FORMAT csv, DELIMITER '${delimiter === '\t' ? '\t' : delimiter}'${options.header ? ', HEADER true' : ''})`;
}

export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${value} is beyond exact JS range`);
  return n;
}
