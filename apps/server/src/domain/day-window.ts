import { isCalendarDate } from './calendar-date';

/** The offset of `zone` from UTC at an instant, in milliseconds (east positive). */
export function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar date begins in `zone` (its local midnight). */
export function startOfDay(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Two passes settle the offset even when midnight sits next to a daylight-saving change.
  let instant = wall - zoneOffsetMs(wall, zone);
  instant = wall - zoneOffsetMs(instant, zone);
  return instant;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The calendar date an instant falls on in `zone`. */
export function dateInZone(instant: number, zone: string): string {
  return new Date(instant + zoneOffsetMs(instant, zone)).toISOString().slice(0, 10);
}

export interface DayWindow {
  date: string;
  /** Start of the day (exclusive in PromQL ranges) and its end, where queries are evaluated; unix seconds. */
  startUnix: number;
  endUnix: number;
  /** 86,400 except on daylight-saving days (82,800 or 90,000). */
  seconds: number;
}

/** The 24 h (23 or 25 on daylight-saving days) of `date` in `zone`. */
export function dayWindow(date: string, zone: string): DayWindow {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date as YYYY-MM-DD`);
  const start = startOfDay(date, zone) / 1000;
  const end = startOfDay(addDays(date, 1), zone) / 1000;
  return { date, startUnix: start, endUnix: end, seconds: end - start };
}

/** Dates from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
