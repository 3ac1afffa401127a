import { addDays } from './day-window';

export type JobKey = 'namespace-quota-sync' | 'project-quota-sync' | 'prometheus-sync';
export const JOB_KEYS: JobKey[] = ['namespace-quota-sync', 'project-quota-sync', 'prometheus-sync'];

/** A job's timing: the seed's "hour of day, every N hours", or a cron expression for anything else. */
export type Timing =
  | { kind: 'daily'; hour: number; minute: number; intervalHours: number }
  | { kind: 'cron'; expression: string };

/** The longest interval of a daily timing: cron's day-of-month steps restart each month, so "every 48 h" could not be kept. */
export const LONGEST_INTERVAL_HOURS = 24;

/**
 * The cron expression of a timing. "Every N hours from hh:mm" needs N to divide 24, so the runs
 * fall at the same local times each day; 24 is once a day.
 */
export function cronOf(timing: Timing): string {
  if (timing.kind === 'cron') return timing.expression.trim();
  const { hour, minute, intervalHours } = timing;
  if (intervalHours >= LONGEST_INTERVAL_HOURS) return `${minute} ${hour} * * *`;
  const hours: number[] = [];
  for (let h = hour % intervalHours; h < 24; h += intervalHours) hours.push(h);
  return `${minute} ${hours.join(',')} * * *`;
}

export function timingProblem(timing: Timing): string | null {
  if (timing.kind === 'cron') return timing.expression.trim() === '' ? 'the cron expression is empty' : null;
  const { hour, minute, intervalHours } = timing;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) return `hour ${hour} is not 0–23`;
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) return `minute ${minute} is not 0–59`;
  if (!Number.isInteger(intervalHours) || intervalHours < 1)
    return `interval ${intervalHours} h is not a whole number of hours`;
  if (intervalHours > LONGEST_INTERVAL_HOURS) {
    return `every ${intervalHours} h is longer than a day, which a daily time cannot repeat evenly: use a cron expression (for example "0 2 * * 1" runs on Mondays at 02:00)`;
  }
  if (24 % intervalHours !== 0) {
    return `every ${intervalHours} h does not fall at the same times each day: use a divisor of 24 (1, 2, 3, 4, 6, 8, 12), 24, or a cron expression`;
  }
  return null;
}

/**
 * The one hour of the day a timing runs at, as the seed's `*_hour` fields report it: a daily
 * timing's hour; a cron expression's hour when it names a single one ("30 4 * * 1-5" → 4); else null.
 */
export function fixedHourOf(timing: Timing): number | null {
  if (timing.kind === 'daily') return timing.hour;
  const fields = timing.expression.trim().split(/\s+/);
  // Five fields start with the minute; croner's six start with the second.
  const hourField = fields.length === 5 ? fields[1] : fields.length === 6 ? fields[2] : undefined;
  if (hourField === undefined || !/^\d{1,2}$/.test(hourField)) return null;
  const hour = Number(hourField);
  return hour <= 23 ? hour : null;
}

/** When a run that ended at `finishedAt` is tried again: the backoff, doubled for every further attempt; null after the last. */
export function retryAt(
  finishedAt: Date,
  attempt: number,
  policy: { retries: number; retryBackoffSeconds: number },
): string | null {
  if (attempt > policy.retries) return null;
  return new Date(
    finishedAt.getTime() + policy.retryBackoffSeconds * 1000 * 2 ** (attempt - 1),
  ).toISOString();
}

export interface CatchUpSource {
  id: number;
  /** The first day this source is expected to have: the day it was added (local date). */
  firstDay: string;
}

export interface SourceDay {
  date: string;
  sourceId: number;
}

/**
 * What the Prometheus job syncs: within the last `limit` days up to yesterday, each day some source
 * has no synced batch for — with just those sources — from the day each source was added; a
 * failed or partly failed day and a hole before a synced day are caught up alike. When nothing is
 * missing, yesterday with every source (a run means "sync it now").
 */
export function prometheusCatchUp(
  sources: CatchUpSource[],
  synced: SourceDay[],
  yesterday: string,
  limit: number,
): { date: string; sourceIds: number[] }[] {
  const earliest = addDays(yesterday, -(limit - 1));
  const have = new Set(synced.map((s) => `${s.date}\u0000${s.sourceId}`));
  const plan: { date: string; sourceIds: number[] }[] = [];
  for (let date = earliest; date <= yesterday; date = addDays(date, 1)) {
    // A source added today still syncs yesterday.
    const missing = sources
      .filter((s) => (s.firstDay < yesterday ? s.firstDay : yesterday) <= date)
      .filter((s) => !have.has(`${date}\u0000${s.id}`))
      .map((s) => s.id);
    if (missing.length > 0) plan.push({ date, sourceIds: missing });
  }
  return plan.length > 0 ? plan : [{ date: yesterday, sourceIds: sources.map((s) => s.id) }];
}
