/**
 * Calendar dates as ISO strings (`YYYY-MM-DD`): business dates have no time zone
 * (domain-rules.md conventions). Arithmetic goes through UTC midnight so it never
 * shifts by a daylight-saving hour.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The one range of dates Encours accepts, everywhere (API, CLI, imports): wide enough for any
 * real ledger, narrow enough that no arithmetic on it leaves the four-digit years.
 */
export const MIN_DATE: IsoDate = '1900-01-01';
export const MAX_DATE: IsoDate = '2199-12-31';
export const DATE_RANGE_REASON = `must be a calendar date YYYY-MM-DD between ${MIN_DATE} and ${MAX_DATE}`;

/** A calendar date written YYYY-MM-DD, within the accepted range. */
export function isIsoDate(value: string): boolean {
  return isCalendarDate(value) && value >= MIN_DATE && value <= MAX_DATE;
}

/** A real calendar date YYYY-MM-DD of any four-digit year (range not checked). */
export function isCalendarDate(value: string): boolean {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

// Proleptic Gregorian day numbers computed by hand (H. Hinnant's days_from_civil): `Date.UTC`
// maps years 0–99 to 1900–1999, so it cannot be trusted for every year.
function toEpochDay(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m || !isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  y -= mo <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function fromEpochDay(day: number): IsoDate {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) throw new RangeError(`date out of range: day ${day}`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function endOfMonth(date: IsoDate): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return `${date.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

export function startOfMonth(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01`;
}

/** Adds whole months, clamping the day to the target month's length (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  const month = (((m % 12) + 12) % 12) + 1;
  if (year < 0 || year > 9999) throw new RangeError(`date out of range: ${date} + ${months} months`);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/**
 * Month ends of the `count` months ending with the month of `asOf`, oldest first.
 * The last element is `asOf` itself when it is not a month end (a month-to-date point).
 */
export function monthEndsUpTo(asOf: IsoDate, count: number): IsoDate[] {
  const out: IsoDate[] = [];
  for (let i = count - 1; i >= 1; i--) out.push(endOfMonth(addMonths(startOfMonth(asOf), -i)));
  out.push(asOf);
  return out;
}

/** Today's date in a given IANA time zone (Europe/Paris by default), from an instant. */
export function dateInZone(instant: Date, timeZone = 'Europe/Paris'): IsoDate {
  return formatterFor(timeZone).format(instant);
}

// Building an Intl formatter costs far more than using one; hot paths ask for today on every request.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
