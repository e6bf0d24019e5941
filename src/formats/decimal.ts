/** Exact arithmetic on decimal strings ("-12.50"), with BigInt on a common scale: no floats. */

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

function toUnits(value: string, scale: number): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace(/^[+-]/, '').split('.');
  const units = BigInt(whole + fraction.padEnd(scale, '0'));
  return negative ? -units : units;
}

function scaleOf(values: string[]): number {
  return Math.max(2, ...values.map((v) => (v.split('.')[1] ?? '').length));
}

function fromUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

export function addDecimals(...values: (string | null)[]): string {
  const present = values.filter((v): v is string => v !== null);
  const scale = scaleOf(present);
  return fromUnits(present.reduce((sum, v) => sum + toUnits(v, scale), 0n), scale);
}

export function negateDecimal(value: string): string {
  return value.startsWith('-') ? value.slice(1) : value === '' ? value : `-${value.replace(/^\+/, '')}`;
}

/** Sign of a − b. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const scale = scaleOf([a, b]);
  const diff = toUnits(a, scale) - toUnits(b, scale);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

export function sameAmount(a: string, b: string): boolean {
  return compareDecimals(a, b) === 0;
}

/** "1234.5" → "1234.50": at least two decimals, never fewer than written. */
export function normalizeDecimal(value: string): string {
  const v = value.trim().replace(/^\+/, '');
  const [whole, fraction = ''] = v.split('.');
  const negative = whole.startsWith('-');
  const digits = whole.replace('-', '').replace(/^0+(?=\d)/, '');
  const text = `${digits}.${fraction.padEnd(2, '0')}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}
