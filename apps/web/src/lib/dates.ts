/** Calendar dates as the API speaks them (YYYY-MM-DD). */

/** The calendar date an instant falls on in `timeZone`. */
export function dateInZone(instant: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The last complete day in `timeZone`: what a Prometheus sync takes when given no date. */
export function lastCompleteDay(now: Date, timeZone: string): string {
  return addDays(dateInZone(now, timeZone), -1);
}
