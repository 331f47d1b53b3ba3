/**
 * Calendar-date arithmetic on ISO dates (`YYYY-MM-DD`), in UTC days so no time zone or daylight-saving change can
 * shift a due date, an ageing bucket or a dunning level by a day.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Days since 1970-01-01 of an ISO calendar date. Refuses anything that is not a real `YYYY-MM-DD` date
 * (`2026-02-30` included) rather than count from a wrong day.
 */
export function epochDay(date: string, what = 'date'): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`${what} must be an ISO date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const time = Date.UTC(year, month - 1, day);
  if (new Date(time).toISOString().slice(0, 10) !== date) throw new RangeError(`${what} ${date} is not a calendar date`);
  return time / DAY_MS;
}

/** `date` moved by `days` (negative: back). */
export function addDays(date: string, days: number): string {
  return new Date((epochDay(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return epochDay(to, 'to') - epochDay(from, 'from');
}

/** Whole seconds since the epoch (signature windows, DynamoDB TTL attributes). */
export const epochSeconds = (instant: Date): number => Number(BigInt(instant.getTime()) / 1000n);

const ISO_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Calendar days of an ISO month (`YYYY-MM`): `2026-02` → 28, `2028-02` → 29. */
export function daysInMonth(month: string): number {
  const match = ISO_MONTH.exec(month);
  if (!match) throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate();
}

/** The Monday that starts the ISO 8601 week of `date` (1970-01-01, epoch day 0, was a Thursday). */
export function isoWeekStart(date: string): string {
  const day = epochDay(date);
  return addDays(date, -(((day + 3) % 7) + 7) % 7);
}
