import type { JobKey, JobSchedule, JobScheduleUpdate } from '@kra/contracts';

/**
 * The intervals offered: divisors of 24 fall at the same times every day. Others can be typed; the
 * server refuses them with the reason.
 */
export const INTERVAL_CHOICES = [1, 2, 3, 4, 6, 8, 12, 24] as const;

/** The largest interval the server takes: a day. Rarer runs (every other day, weekly) are cron expressions. */
export const MAX_INTERVAL_HOURS = 24;

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

export interface JobFormValues {
  enabled: boolean;
  mode: JobSchedule['mode'];
  /** HH:mm, the first run of the day. */
  time: string;
  /** Hours between runs, as typed. */
  interval: string;
  cron: string;
  retries: number;
  backoffSeconds: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

export const clock = (hour: number, minute: number) => `${pad(hour)}:${pad(minute)}`;

/** "1:05" / "01:05" → { hour: 1, minute: 5 }; null when not a 24-hour time. */
export function parseTime(text: string): { hour: number; minute: number } | null {
  const match = TIME.exec(text.trim());
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

/** A whole number of hours the server could take (whether it falls evenly is the server's to say). */
export function parseInterval(text: string): number | null {
  const hours = Number(text.trim());
  return Number.isInteger(hours) && hours >= 1 && hours <= MAX_INTERVAL_HOURS ? hours : null;
}

/**
 * The times of day a daily schedule runs, as the server turns it into cron: every N hours counted
 * from hh:mm within the day (from its earliest time), or once a day for 24.
 */
export function dailyTimes(hour: number, minute: number, intervalHours: number): string[] {
  if (intervalHours >= 24) return [clock(hour, minute)];
  const times: string[] = [];
  for (let h = hour % intervalHours; h < 24; h += intervalHours) times.push(clock(h, minute));
  return times;
}

/** A job's schedule as the form edits it; a cron job's daily fields start from midnight, every day. */
export function jobFormValues(job: JobSchedule): JobFormValues {
  return {
    enabled: job.enabled,
    mode: job.mode,
    time: clock(job.hour, job.minute),
    interval: String(job.interval_hours),
    // Switching a daily job to cron starts from the expression it runs on.
    cron: job.cron ?? job.expression,
    retries: job.retries,
    backoffSeconds: job.retry_backoff_seconds,
  };
}

/** The update for one job: its timing in the chosen mode, whether it runs, and its retries. */
export function jobUpdate(job: JobKey, values: JobFormValues): JobScheduleUpdate {
  const common = {
    job,
    enabled: values.enabled,
    retries: values.retries,
    retry_backoff_seconds: values.backoffSeconds,
  };
  if (values.mode === 'cron') return { ...common, mode: 'cron', cron: values.cron.trim() };
  const time = parseTime(values.time);
  const interval = parseInterval(values.interval);
  if (!time || interval === null) throw new Error('the form validates time and interval before saving');
  return { ...common, mode: 'daily', hour: time.hour, minute: time.minute, interval_hours: interval };
}

/** The waits before each retry: the backoff, doubled for every further attempt. */
export function retryDelays(retries: number, backoffSeconds: number): number[] {
  return Array.from({ length: retries }, (_, i) => backoffSeconds * 2 ** i);
}

export type DurationUnit = 'hours' | 'minutes' | 'seconds';

/** A wait in the largest unit that divides it: 300 → 5 minutes, 7200 → 2 hours, 90 → 90 seconds. */
export function durationParts(seconds: number): { unit: DurationUnit; count: number } {
  if (seconds >= 3600 && seconds % 3600 === 0) return { unit: 'hours', count: seconds / 3600 };
  if (seconds >= 60 && seconds % 60 === 0) return { unit: 'minutes', count: seconds / 60 };
  return { unit: 'seconds', count: seconds };
}
