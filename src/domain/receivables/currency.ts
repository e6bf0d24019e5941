import Decimal from 'decimal.js';
import { minorUnitDigits } from '../money';

/**
 * Converts minor units of `from` into minor units of `to` with `rate` (a decimal string: units of
 * `to` for one unit of `from`), rounding half away from zero to the target's minor unit.
 */
export function convertMinor(options: { amount: number; from: string; to: string; rate: string }): number {
  if (options.from === options.to) return options.amount;
  const scale = minorUnitDigits(options.to) - minorUnitDigits(options.from);
  const converted = new Decimal(options.amount).times(options.rate).times(new Decimal(10).pow(scale));
  return converted.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}
