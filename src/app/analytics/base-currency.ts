import { convertMinor } from '../../domain/receivables/currency';
import type { Db } from '../../infra/db/db';
import { ratesAt } from '../../infra/db/repos/analytics-repo';

/**
 * Converts per-currency aggregates into the organisation's currency with the rates stored
 * for the reporting date. Amounts in a currency without a rate are kept aside, never guessed.
 */
export type Converter = {
  toBase(amount: number, currency: string): number | null;
  missing: Set<string>;
};

export async function converterAt(db: Db, options: { organisationId: string; baseCurrency: string; currencies: Iterable<string>; asOf: string }): Promise<Converter> {
  const foreign = [...new Set(options.currencies)].filter((c) => c !== options.baseCurrency);
  const rates = foreign.length > 0 ? await ratesAt(db, options.organisationId, foreign, options.asOf) : new Map<string, string>();
  const missing = new Set<string>();
  return {
    missing,
    toBase(amount, currency) {
      if (currency === options.baseCurrency) return amount;
      const rate = rates.get(currency);
      if (!rate) {
        missing.add(currency);
        return null;
      }
      return convertMinor({ amount, from: currency, to: options.baseCurrency, rate });
    },
  };
}

/** Sums converted amounts, skipping (and recording) those without a rate. */
export function sumInBase(converter: Converter, rows: { amount: number; currency: string }[]): number {
  let total = 0;
  for (const row of rows) total += converter.toBase(row.amount, row.currency) ?? 0;
  return total;
}
