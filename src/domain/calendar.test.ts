import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, daysInMonth, endOfMonth, isCalendarDate, isIsoDate, MAX_DATE, MIN_DATE } from './calendar';

describe('calendar dates', () => {
  it('accepts one range of dates, 1900-01-01 to 2199-12-31, and only real calendar dates', () => {
    for (const ok of ['1900-01-01', '2000-02-29', '2024-02-29', '2199-12-31', '2026-12-03']) expect(isIsoDate(ok)).toBe(true);
    for (const bad of ['0001-01-01', '0000-01-01', '1899-12-31', '2200-01-01', '9999-12-31', '1900-02-29', '2100-02-29', '2026-02-30', '2026-13-01', '2026-1-01', '20260101', '']) {
      expect(isIsoDate(bad), bad).toBe(false);
    }
    expect(isCalendarDate('0001-01-01')).toBe(true);
    expect(isCalendarDate('0000-02-29')).toBe(true); // year 0 is a leap year in the proleptic calendar
  });

  it('counts days right in every year, including years 0–99 that Date.UTC maps to 1900–1999', () => {
    expect(daysBetween('0001-01-01', '0002-01-01')).toBe(365);
    expect(daysBetween('0099-12-31', '0100-01-01')).toBe(1);
    expect(addDays('0001-01-01', -1)).toBe('0000-12-31');
    expect(addDays('0004-02-28', 1)).toBe('0004-02-29');
    expect(daysBetween('1900-01-01', '2000-01-01')).toBe(36_524);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(endOfMonth('2100-02-10')).toBe('2100-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('0001-03-31', -1)).toBe('0001-02-28');
    expect(addMonths('0001-01-15', -1)).toBe('0000-12-15');
    expect(() => addMonths('0000-01-15', -1)).toThrow(RangeError);
  });

  it('agrees with the JavaScript date arithmetic over the whole accepted range', () => {
    const day = 86_400_000;
    const min = Date.UTC(1900, 0, 1) / day;
    const max = Date.UTC(2199, 11, 31) / day;
    fc.assert(
      fc.property(fc.integer({ min, max }), fc.integer({ min: -40_000, max: 40_000 }), (epochDay, delta) => {
        const date = new Date(epochDay * day).toISOString().slice(0, 10);
        expect(isIsoDate(date)).toBe(true);
        expect(date >= MIN_DATE && date <= MAX_DATE).toBe(true);
        const expected = new Date((epochDay + delta) * day).toISOString().slice(0, 10);
        expect(addDays(date, delta)).toBe(expected);
        expect(daysBetween(date, expected)).toBe(delta);
      }),
      { numRuns: 2000 },
    );
  });
});
