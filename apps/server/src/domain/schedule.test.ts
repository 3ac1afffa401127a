import { describe, expect, it } from 'vitest';
import { cronOf, daysToSync, timingProblem } from './schedule';

describe('cronOf', () => {
  it("turns the seed's hour and interval into a cron expression", () => {
    expect(cronOf({ kind: 'daily', hour: 2, minute: 0, intervalHours: 24 })).toBe('0 2 * * *');
    expect(cronOf({ kind: 'daily', hour: 3, minute: 15, intervalHours: 6 })).toBe('15 3,9,15,21 * * *');
    expect(cronOf({ kind: 'daily', hour: 14, minute: 0, intervalHours: 12 })).toBe('0 2,14 * * *');
    expect(cronOf({ kind: 'daily', hour: 1, minute: 30, intervalHours: 48 })).toBe('30 1 */2 * *');
    expect(cronOf({ kind: 'cron', expression: ' */15 * * * * ' })).toBe('*/15 * * * *');
  });
});

describe('timingProblem', () => {
  it('explains what it refuses', () => {
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 0, intervalHours: 24 })).toBeNull();
    expect(timingProblem({ kind: 'daily', hour: 24, minute: 0, intervalHours: 24 })).toBe(
      'hour 24 is not 0–23',
    );
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 60, intervalHours: 24 })).toBe(
      'minute 60 is not 0–59',
    );
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 0, intervalHours: 5 })).toBe(
      'every 5 h does not fall at the same times each day: use a divisor of 24 (1, 2, 3, 4, 6, 8, 12), whole days (24, 48, …), or a cron expression',
    );
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 0, intervalHours: 36 })).not.toBeNull();
    expect(timingProblem({ kind: 'cron', expression: '  ' })).toBe('the cron expression is empty');
  });
});

describe('daysToSync', () => {
  const addDays = (d: string, n: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  it('catches up the missed days up to the limit', () => {
    expect(daysToSync('2026-11-20', '2026-11-24', 7, addDays)).toEqual([
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
    expect(daysToSync('2026-11-01', '2026-11-24', 3, addDays)).toEqual([
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
  });
  it('syncs yesterday when nothing was synced yet, or when it already is', () => {
    expect(daysToSync(null, '2026-11-24', 7, addDays)).toEqual(['2026-11-24']);
    expect(daysToSync('2026-11-24', '2026-11-24', 7, addDays)).toEqual(['2026-11-24']);
  });
});
