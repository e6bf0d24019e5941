import { dateInZone } from '../domain/calendar';

/** Time comes in through this port so that tests can fix it. */
export type Clock = { now(): Date; today(): string };

export function systemClock(timeZone = 'Europe/Paris'): Clock {
  return { now: () => new Date(), today: () => dateInZone(new Date(), timeZone) };
}

export function fixedClock(isoInstant: string, timeZone = 'Europe/Paris'): Clock {
  const instant = new Date(isoInstant);
  return { now: () => new Date(instant), today: () => dateInZone(instant, timeZone) };
}
