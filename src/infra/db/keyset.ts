/**
 * Cursor pagination on (sort value, id): stable under inserts, no OFFSET scans.
 * The cursor is opaque to clients (base64url JSON of the last row's sort value and id).
 */
import { AppError } from '../../app/app-error';
import { isCalendarDate } from '../../domain/calendar';

export type SortSpec = { column: string; type: 'text' | 'bigint' | 'date' | 'int'; descending: boolean };

export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor is client input: its value must fit the sort column's type before it reaches SQL. */
export function decodeCursor(cursor: string, type?: SortSpec['type']): [unknown, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string' && UUID.test(parsed[1]) && (type === undefined || fitsType(parsed[0], type))) {
      return parsed as [unknown, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'invalid cursor', [{ field: 'cursor', reason: 'not a cursor returned by this API' }]);
}

function fitsType(value: unknown, type: SortSpec['type']): boolean {
  if (value === null) return true;
  switch (type) {
    case 'text': return typeof value === 'string' && !value.includes('\u0000');
    case 'date': return typeof value === 'string' && isCalendarDate(value);
    default: return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && /^-?\d{1,18}$/.test(value));
  }
}

/**
 * Appends the keyset condition and ORDER BY/LIMIT for `sort` to a query over a relation
 * that exposes `sort.column` and `id`. Nulls sort as the type's lowest value.
 */
export function keysetClause(sort: SortSpec, cursor: string | undefined, limit: number, params: unknown[]): string {
  const key = `coalesce(${sort.column}, ${lowest(sort.type)})`;
  let where = '';
  if (cursor) {
    const [value, id] = decodeCursor(cursor, sort.type);
    params.push(value ?? null, id);
    const op = sort.descending ? '<' : '>';
    where = `WHERE (${key}, id) ${op} (coalesce($${params.length - 1}::${sort.type}, ${lowest(sort.type)}), $${params.length}::uuid)`;
  }
  params.push(limit + 1);
  const dir = sort.descending ? 'DESC' : 'ASC';
  return `${where} ORDER BY ${key} ${dir}, id ${dir} LIMIT $${params.length}`;
}

function lowest(type: SortSpec['type']): string {
  switch (type) {
    case 'text': return "''";
    case 'date': return "'-infinity'::date";
    default: return '(-9223372036854775807)::bigint';
  }
}

/** Splits the extra row fetched by keysetClause into the next cursor. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, sortValue: (row: T) => unknown) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(sortValue(last), last.id) : null };
}
