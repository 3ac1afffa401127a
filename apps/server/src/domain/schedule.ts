export type JobKey = 'namespace-quota-sync' | 'project-quota-sync' | 'prometheus-sync';
export const JOB_KEYS: JobKey[] = ['namespace-quota-sync', 'project-quota-sync', 'prometheus-sync'];

/** A job's timing: the seed's "hour of day, every N hours", or a cron expression for anything else. */
export type Timing =
  | { kind: 'daily'; hour: number; minute: number; intervalHours: number }
  | { kind: 'cron'; expression: string };

/**
 * The cron expression of a timing. "Every N hours from hh:mm" needs N to divide 24 (the runs
 * then fall at the same local times each day) or be whole days; other intervals drift across days
 * and are refused with a hint to write a cron expression.
 */
export function cronOf(timing: Timing): string {
  if (timing.kind === 'cron') return timing.expression.trim();
  const { hour, minute, intervalHours } = timing;
  if (intervalHours < 24) {
    const hours: number[] = [];
    for (let h = hour % intervalHours; h < 24; h += intervalHours) hours.push(h);
    return `${minute} ${hours.join(',')} * * *`;
  }
  const days = intervalHours / 24;
  return days === 1 ? `${minute} ${hour} * * *` : `${minute} ${hour} */${days} * *`;
}

export function timingProblem(timing: Timing): string | null {
  if (timing.kind === 'cron') return timing.expression.trim() === '' ? 'the cron expression is empty' : null;
  const { hour, minute, intervalHours } = timing;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) return `hour ${hour} is not 0–23`;
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) return `minute ${minute} is not 0–59`;
  if (!Number.isInteger(intervalHours) || intervalHours < 1)
    return `interval ${intervalHours} h is not a whole number of hours`;
  if (intervalHours < 24 ? 24 % intervalHours !== 0 : intervalHours % 24 !== 0) {
    return `every ${intervalHours} h does not fall at the same times each day: use a divisor of 24 (1, 2, 3, 4, 6, 8, 12), whole days (24, 48, …), or a cron expression`;
  }
  return null;
}

/**
 * Days the Prometheus job syncs: the days after the last synced one up to yesterday, at most
 * `limit`; yesterday again when it is already synced (a manual run means "sync it now").
 */
export function daysToSync(
  lastSynced: string | null,
  yesterday: string,
  limit: number,
  addDays: (d: string, n: number) => string,
): string[] {
  const earliest = addDays(yesterday, -(limit - 1));
  let from = lastSynced === null ? yesterday : addDays(lastSynced, 1);
  if (from < earliest) from = earliest;
  if (from > yesterday) return [yesterday];
  const days: string[] = [];
  for (let d = from; d <= yesterday; d = addDays(d, 1)) days.push(d);
  return days;
}
