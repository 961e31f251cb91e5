/**
 * Dates and times, the one place they are computed: calendar days as `YYYY-MM-DD`, "today"
 * in Munich (where the postings' days are counted), calendar-month arithmetic. Pure and
 * dependency-free, so the Worker, the build and the browser script share it.
 */

/** The time zone a posting's days are counted in: the office in Munich. */
export const MUNICH_TIME_ZONE = 'Europe/Berlin';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The UTC calendar day of an instant, `YYYY-MM-DD` (a content date is UTC midnight of its day). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// en-CA formats as YYYY-MM-DD; one formatter per isolate, it is not cheap to create.
let munichDays: Intl.DateTimeFormat | undefined;

/** The calendar day in Munich at an instant, `YYYY-MM-DD`. */
export function todayInMunich(now: Date): string {
  munichDays ??= new Intl.DateTimeFormat('en-CA', { timeZone: MUNICH_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  return munichDays.format(now);
}

let munichClock: Intl.DateTimeFormat | undefined;

/** An instant as Munich's wall-clock time, `YYYY-MM-DD HH:mm`: what spreadsheets in any language read as a date and time. */
export function munichDateTime(instant: Date): string {
  munichClock ??= new Intl.DateTimeFormat('en-CA', { timeZone: MUNICH_TIME_ZONE, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
  return `${todayInMunich(instant)} ${munichClock.format(instant)}`;
}

/**
 * The instant a Munich calendar day (`YYYY-MM-DD`) ends: midnight in Munich after it. Munich is
 * 1 h (CET) or 2 h (CEST) ahead of UTC; the answer is the candidate at which the Munich day
 * has just turned.
 */
export function endOfMunichDay(day: string): Date {
  const nextDayUtc = Date.parse(`${day}T00:00:00Z`) + DAY_MS;
  for (const offset of [2 * HOUR_MS, HOUR_MS]) {
    const candidate = new Date(nextDayUtc - offset);
    if (todayInMunich(candidate) > day && todayInMunich(new Date(candidate.getTime() - 1)) === day) return candidate;
  }
  return new Date(nextDayUtc);
}

/** Whether a string is `YYYY-MM-DD` naming a real calendar day (no 2027-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The instant `seconds` after `date` (before it when negative). */
export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

/**
 * `date` plus `months` calendar months in UTC, keeping the time of day. A day that the target
 * month lacks becomes its last day (31 August + 6 months = 28 February), as § 188(3) BGB
 * counts periods; JavaScript's own overflow would give 3 March.
 */
export function addCalendarMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result;
}

/** The first instant of the UTC calendar month that `date` falls in. */
export function startOfUtcMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}
