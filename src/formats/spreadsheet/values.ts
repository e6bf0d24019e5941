import Decimal from 'decimal.js';
import { isIsoDate } from '../../domain/calendar';
/** Cell values as people type them in French and English spreadsheets: amounts and dates. */

export const INVALID = Symbol('invalid');

/**
 * "1 234,56", "1.234,56", "1,234.56", "-12,5", "12,50 €", "(12.50)" → "1234.56" / "-12.50".
 * With both separators the last one is the decimal mark. With one, `decimalComma` (French
 * files) decides how "1,234" or "1.234" are read. INVALID when it is not an amount.
 */
/**
 * A percentage ("90", "92,5 %", or a spreadsheet's percent cell 0.9) → "90", "92.5". Values up to 1
 * are read as fractions: covers and shares below 1 % do not exist.
 */
export function parsePercentCell(raw: unknown, options: { decimalComma: boolean }): string | null | typeof INVALID {
  const hasSign = typeof raw === 'string' && raw.includes('%');
  const parsed = parseDecimalCell(typeof raw === 'string' ? raw.replace('%', '') : raw, options);
  if (parsed === null || parsed === INVALID) return parsed;
  const value = new Decimal(parsed);
  if (value.isNegative()) return INVALID;
  return (value.lte(1) && !hasSign ? value.times(100) : value).toDecimalPlaces(2).toString();
}

export function parseDecimalCell(raw: unknown, options: { decimalComma: boolean }): string | null | typeof INVALID {
  if (raw === null || raw === undefined || raw === '') return null;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return INVALID;
    // Spreadsheet numbers are binary floats: their shortest decimal form is what the user typed.
    return /e/i.test(String(raw)) ? INVALID : String(raw);
  }
  let text = String(raw).trim().replace(/[\s\u00a0\u202f]/g, '').replace(/[€$£]|EUR|USD|GBP|CHF/gi, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.endsWith('-')) {
    negative = true;
    text = text.slice(0, -1);
  }
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1);
  } else if (text.startsWith('+')) text = text.slice(1);
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  let decimalMark: ',' | '.' | null = null;
  if (lastComma >= 0 && lastDot >= 0) decimalMark = lastComma > lastDot ? ',' : '.';
  else if (lastComma >= 0) decimalMark = options.decimalComma || !/^\d{1,3}(,\d{3})+$/.test(text) ? ',' : null;
  else if (lastDot >= 0) decimalMark = !options.decimalComma || !/^\d{1,3}(\.\d{3})+$/.test(text) ? '.' : null;
  const grouping = decimalMark === ',' ? /\./g : /,/g;
  let normalized = text.replace(grouping, '');
  if (decimalMark === ',') normalized = normalized.replace(',', '.');
  if (decimalMark === null) normalized = normalized.replace(/[.,]/g, '');
  if (!/^\d+(\.\d+)?$/.test(normalized)) return INVALID;
  return negative ? `-${normalized}` : normalized;
}

/** dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, d/m/yy, yyyy-mm-dd, Excel dates → ISO; INVALID when unreadable. */
export function parseDateCell(raw: unknown): string | null | typeof INVALID {
  if (raw === null || raw === undefined || raw === '') return null;
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return INVALID;
    // Spreadsheet dates are calendar dates stored at UTC midnight.
    const iso = raw.toISOString().slice(0, 10);
    return isIsoDate(iso) ? iso : INVALID;
  }
  if (typeof raw === 'number') {
    // An Excel date serial (days since 1899-12-30) read without its cell format.
    if (!Number.isInteger(raw) || raw < 1 || raw > 2_958_465) return INVALID;
    const iso = new Date(Date.UTC(1899, 11, 30) + raw * 86_400_000).toISOString().slice(0, 10);
    return isIsoDate(iso) ? iso : INVALID;
  }
  const text = String(raw).trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
  let y: number;
  let mo: number;
  let d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
    if (!m) return INVALID;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y < 100) y += y < 70 ? 2000 : 1900;
  }
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : INVALID;
}

/** "Avoir", "credit note", "AV", "CN" → credit note; anything else (or empty) → invoice. */
export function parseKindCell(raw: unknown): 'invoice' | 'credit_note' {
  const text = String(raw ?? '').trim().toLowerCase();
  return /^(avoir|av|credit|credit note|credit_note|cn|note de credit)$/.test(text) ? 'credit_note' : 'invoice';
}

export function parseBooleanCell(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  return /^(oui|yes|y|o|true|vrai|1|x)$/i.test(String(raw ?? '').trim());
}
