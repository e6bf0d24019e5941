import type { Db } from '../../src/infra/db/db';

/** Rows per table of one organisation, across every table that carries `organisation_id`: to prove a dry run stores nothing. */
export async function orgRowCounts(db: Db, organisationId: string): Promise<Record<string, number>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT DISTINCT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.column_name = 'organisation_id' AND c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE organisation_id = $1`, [organisationId]);
    counts[table_name] = row.n;
  }
  return counts;
}
