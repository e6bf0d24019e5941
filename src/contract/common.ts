import { z } from 'zod';
import { DATE_RANGE_REASON, isIsoDate, MAX_DATE, MIN_DATE } from '../domain/calendar';

/** Decimal amount in the record's currency, as a string ("1234.56") or a JSON number. */
export const Amount = z
  .union([z.string(), z.number()])
  .describe('Decimal amount in the currency of the record, e.g. "1234.56"');
export const AmountOut = z.string().describe('Decimal amount, e.g. "1234.56"');
/** A date Encours sends: derived dates (a period start before 1900-01-01…) may leave the input range. */
export const DateOut = z.string().describe('Calendar date YYYY-MM-DD');
/**
 * A date inside a batch of records: its range is checked with the record's other fields, so that
 * one answer lists every wrong field of every record.
 */
export const DateText = z.string().describe(`Calendar date YYYY-MM-DD, from ${MIN_DATE} to ${MAX_DATE}`);
/** A date Encours receives: within the one accepted range. */
export const IsoDate = z.string().refine(isIsoDate, DATE_RANGE_REASON).describe(`Calendar date YYYY-MM-DD, from ${MIN_DATE} to ${MAX_DATE}`);
export const Uuid = z.uuid();

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    importId: z.string().optional().describe('The import that recorded this refusal, when there is one'),
    errors: z
      .array(
        z.object({
          index: z.number().optional(),
          ref: z.string().optional(),
          field: z.string(),
          reason: z.string(),
          value: z.unknown().optional(),
        }),
      )
      .optional(),
  })
  .describe('RFC 9457 problem details');

export const BulkResult = z.object({
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
});
