/**
 * Money as integer minor units (cents for EUR, yen for JPY, fils for KWD…), never binary floats.
 * Conversions to and from decimal strings are exact string operations.
 */

/** ISO 4217 codes known to the runtime's ICU data, with their minor-unit digits. */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}

const digitsCache = new Map<string, number>();
export function minorUnitDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

export type MoneyParseResult = { ok: true; minor: number } | { ok: false; reason: string };

/** Largest amount we accept, in minor units: it must stay exact in a JS number and in a bigint column. */
export const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/**
 * Parses a decimal amount ("1234.56", "-12.5", "1 234,56" is NOT accepted here: normalise first)
 * into minor units of `currency`. Refuses more decimals than the currency has and overflows.
 */
export function parseAmount(input: string | number, currency: string): MoneyParseResult {
  const text = typeof input === 'number' ? numberToPlainString(input) : input.trim();
  const m = /^([+-])?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, reason: `"${text}" is not a decimal amount` };
  const digits = minorUnitDigits(currency);
  const fraction = m[3] ?? '';
  if (fraction.replace(/0+$/, '').length > digits) {
    return { ok: false, reason: `"${text}" has more than ${digits} decimals for ${currency}` };
  }
  const whole = BigInt(m[2] + fraction.padEnd(digits, '0').slice(0, digits));
  if (whole > BigInt(MAX_MINOR)) return { ok: false, reason: `"${text}" is too large` };
  const minor = Number(whole);
  return { ok: true, minor: m[1] === '-' ? -minor : minor };
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // toString gives the shortest round-tripping decimal; exponents only beyond 1e21 or below 1e-6.
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(20).replace(/\.?0+$/, '') : s;
}

/** Minor units → decimal string with exactly the currency's digits ("1234.50"). */
export function formatAmount(minor: number, currency: string): string {
  assertSafeMinor(minor);
  const digits = minorUnitDigits(currency);
  const negative = minor < 0;
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

export function assertSafeMinor(minor: number): void {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${minor} is not an exact integer of minor units`);
}

/** Sum of minor-unit amounts that throws instead of losing precision. */
export function sumMinor(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    total += v;
    assertSafeMinor(total);
  }
  return total;
}
