/**
 * Locale formatting of API values. Amounts arrive as exact decimal strings; Intl formats the
 * string itself, so no float rounding happens on the way to the screen.
 */
import i18n from './i18n';

const intlLocale = () => (i18n.language === 'en' ? 'en-GB' : 'fr-FR');

export function formatMoney(amount: string | null | undefined, currency: string, options: { compact?: boolean } = {}): string {
  if (amount === null || amount === undefined) return '—';
  const format = new Intl.NumberFormat(intlLocale(), {
    style: 'currency',
    currency,
    ...(options.compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}),
  });
  // Intl.NumberFormat.format accepts decimal strings exactly (ES2023); the cast is for older type definitions.
  return format.format(amount as unknown as number);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(intlLocale(), { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** An instant (ISO timestamp) as the user's local time of day, with the day when it is not today. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(intlLocale(), sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' }).format(date);
}

export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

export function isNegative(amount: string) {
  return amount.startsWith('-');
}

export function isPositive(amount: string) {
  return !isNegative(amount) && /[1-9]/.test(amount);
}

/** Today's date in the browser's calendar, YYYY-MM-DD. */
export function todayIso(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}
