/** Display formatters: same input, same text (the browser's time zone is read only when none is given). */

const EMPTY = '—';

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(min: number, max: number): Intl.NumberFormat {
  const key = `${min}:${max}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });
    cache.set(key, format);
  }
  return format;
}

const isNumber = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** CPU cores with up to 3 decimals: 2 → "2", 0.12345 → "0.123", 1500 → "1,500". */
export function formatCores(cores: number | null | undefined): string {
  return isNumber(cores) ? numberFormat(0, 3).format(cores) : EMPTY;
}

/** GiB with exactly 2 decimals: 1 → "1.00". */
export function formatGiB(gib: number | null | undefined): string {
  return isNumber(gib) ? numberFormat(2, 2).format(gib) : EMPTY;
}

/** A rate already in percent, never capped: 130 → "130.00%". */
export function formatPercent(percent: number | null | undefined): string {
  return isNumber(percent) ? `${numberFormat(2, 2).format(percent)}%` : EMPTY;
}

export function formatCount(count: number | null | undefined): string {
  return isNumber(count) ? numberFormat(0, 0).format(count) : EMPTY;
}

/** A duration in milliseconds: 640 → "640 ms", 2412 → "2.4 s", 75000 → "75 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${seconds < 10 ? numberFormat(1, 1).format(seconds) : numberFormat(0, 0).format(seconds)} s`;
}

/** File sizes in binary units: 52428800 → "50.0 MiB". */
export function formatFileSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

type DatePart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/** The calendar and clock parts of a valid date in `timeZone` (default: the browser's). */
function dateParts(date: Date, timeZone: string | undefined): Record<DatePart, string> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: DatePart) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** An ISO timestamp as "YYYY-MM-DD HH:mm:ss" in `timeZone` (default: the browser's). Unparseable input is returned as is. */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return EMPTY;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = dateParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** An ISO timestamp as "YYYY-MM-DD HH:mm" in `timeZone`, for times set to the minute (schedules). */
export function formatDateMinute(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return EMPTY;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = dateParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** An ISO timestamp as "MM-DD HH:mm", for narrow columns that show the full time on hover. */
export function formatShortDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return EMPTY;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = dateParts(date, timeZone);
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The first YYYY-MM-DD in a daily-report file name, as the server reads it. */
export function dateFromFileName(fileName: string): string | undefined {
  return /(\d{4}-\d{2}-\d{2})/.exec(fileName)?.[1];
}
