import { AppError, type FieldIssue } from '../app-error';
import type { Converted } from './to-records';

const MAX_REPORTED_ISSUES = 1000;

/**
 * Converts and validates a whole batch, and refuses it with every issue (record index,
 * natural key, field, reason) when any record is wrong: nothing of a bad batch is written.
 */
export function validateBatch<I, R>(options: {
  items: I[];
  convert: (item: I) => Converted<R>;
  keyOf: (record: R) => string;
  entity: string;
}): R[] {
  const issues: FieldIssue[] = [];
  const records: R[] = [];
  const firstIndexOfKey = new Map<string, number>();
  options.items.forEach((item, index) => {
    const { record, issues: recordIssues } = options.convert(item);
    const ref = options.keyOf(record);
    for (const issue of recordIssues) issues.push({ index, ref, ...issue });
    const previous = firstIndexOfKey.get(ref);
    if (previous !== undefined) {
      issues.push({ index, ref, field: 'key', reason: `duplicate of record ${previous} in the same batch` });
    } else firstIndexOfKey.set(ref, index);
    records.push(record);
  });
  throwIfIssues(issues, options.entity, options.items.length);
  return records;
}

export function throwIfIssues(issues: FieldIssue[], entity: string, total: number): void {
  if (issues.length === 0) return;
  const records = new Set(issues.map((i) => i.index)).size;
  throw new AppError(
    'validation_failed',
    `${records} of ${total} ${entity} record(s) are invalid; nothing was written`,
    issues.slice(0, MAX_REPORTED_ISSUES),
  );
}
