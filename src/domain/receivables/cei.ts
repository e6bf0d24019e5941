import Decimal from 'decimal.js';

/**
 * Collection Effectiveness Index, domain-rules.md §2.4, in percent with 2 decimals:
 * (begin AR + sales − end AR) / (begin AR + sales − end current AR) × 100.
 * `period` uses the sales of the whole period; `average` (CRF/Oracle) the monthly average sales.
 * Null when nothing was collectable.
 */
export function collectionEffectivenessIndex(options: {
  beginReceivables: number;
  sales: number;
  endReceivables: number;
  endCurrentReceivables: number;
  months: number;
  variant: 'period' | 'average';
}): number | null {
  const sales = options.variant === 'average' ? new Decimal(options.sales).div(options.months) : new Decimal(options.sales);
  const collectable = sales.plus(options.beginReceivables).minus(options.endCurrentReceivables);
  if (collectable.lte(0)) return null;
  const collected = sales.plus(options.beginReceivables).minus(options.endReceivables);
  return collected.div(collectable).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}
