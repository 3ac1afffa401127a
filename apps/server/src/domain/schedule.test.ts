import { describe, expect, it } from 'vitest';
import { cronOf, fixedHourOf, prometheusCatchUp, retryAt, timingProblem } from './schedule';

describe('cronOf', () => {
  it("turns the seed's hour and interval into a cron expression", () => {
    expect(cronOf({ kind: 'daily', hour: 2, minute: 0, intervalHours: 24 })).toBe('0 2 * * *');
    expect(cronOf({ kind: 'daily', hour: 3, minute: 15, intervalHours: 6 })).toBe('15 3,9,15,21 * * *');
    expect(cronOf({ kind: 'daily', hour: 14, minute: 0, intervalHours: 12 })).toBe('0 2,14 * * *');
    expect(cronOf({ kind: 'daily', hour: 0, minute: 5, intervalHours: 1 })).toBe(
      '5 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * *',
    );
    expect(cronOf({ kind: 'cron', expression: ' */15 * * * * ' })).toBe('*/15 * * * *');
  });
});

describe('timingProblem', () => {
  it('explains what it refuses', () => {
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 0, intervalHours: 24 })).toBeNull();
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 0, intervalHours: 8 })).toBeNull();
    expect(timingProblem({ kind: 'daily', hour: 24, minute: 0, intervalHours: 24 })).toBe(
      'hour 24 is not 0–23',
    );
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 60, intervalHours: 24 })).toBe(
      'minute 60 is not 0–59',
    );
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 0, intervalHours: 5 })).toBe(
      'every 5 h does not fall at the same times each day: use a divisor of 24 (1, 2, 3, 4, 6, 8, 12), 24, or a cron expression',
    );
    expect(timingProblem({ kind: 'cron', expression: '  ' })).toBe('the cron expression is empty');
  });

  it('refuses more than a day, which cron day-of-month steps would not keep (Jan 29, 31, Feb 1 for every 48 h)', () => {
    const longer = (hours: number) =>
      `every ${hours} h is longer than a day, which a daily time cannot repeat evenly: use a cron expression (for example "0 2 * * 1" runs on Mondays at 02:00)`;
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 0, intervalHours: 48 })).toBe(longer(48));
    expect(timingProblem({ kind: 'daily', hour: 2, minute: 0, intervalHours: 36 })).toBe(longer(36));
  });
});

describe('fixedHourOf', () => {
  it("reports a daily timing's hour, and a cron expression's when it names a single one", () => {
    expect(fixedHourOf({ kind: 'daily', hour: 3, minute: 30, intervalHours: 6 })).toBe(3);
    expect(fixedHourOf({ kind: 'cron', expression: '30 4 * * 1-5' })).toBe(4);
    expect(fixedHourOf({ kind: 'cron', expression: '0 0 23 * * *' })).toBe(23);
    expect(fixedHourOf({ kind: 'cron', expression: '30 */6 * * *' })).toBeNull();
    expect(fixedHourOf({ kind: 'cron', expression: '0 1,13 * * *' })).toBeNull();
    expect(fixedHourOf({ kind: 'cron', expression: '@daily' })).toBeNull();
  });
});

describe('retryAt', () => {
  it('waits the backoff, doubled for every further attempt, and stops after the last retry', () => {
    const policy = { retries: 2, retryBackoffSeconds: 300 };
    const ended = new Date('2026-11-20T08:00:00Z');
    expect(retryAt(ended, 1, policy)).toBe('2026-11-20T08:05:00.000Z');
    expect(retryAt(ended, 2, policy)).toBe('2026-11-20T08:10:00.000Z');
    expect(retryAt(ended, 3, policy)).toBeNull();
  });
});

describe('prometheusCatchUp', () => {
  const added = (id: number, firstDay = '2026-11-01') => ({ id, firstDay });
  it('syncs the days a source has no batch for within the limit: holes and partly failed days too', () => {
    // source 1 has the 22nd and 24th; source 2 only the 22nd: the 23rd lacks both, the 24th lacks 2
    const synced = [
      { date: '2026-11-22', sourceId: 1 },
      { date: '2026-11-22', sourceId: 2 },
      { date: '2026-11-24', sourceId: 1 },
    ];
    expect(prometheusCatchUp([added(1), added(2)], synced, '2026-11-24', 3)).toEqual([
      { date: '2026-11-23', sourceIds: [1, 2] },
      { date: '2026-11-24', sourceIds: [2] },
    ]);
    // a limit of 5 reaches back to the 20th
    expect(prometheusCatchUp([added(1)], synced, '2026-11-24', 5)).toEqual([
      { date: '2026-11-20', sourceIds: [1] },
      { date: '2026-11-21', sourceIds: [1] },
      { date: '2026-11-23', sourceIds: [1] },
    ]);
  });

  it('starts each source on the day it was added; one added today syncs yesterday', () => {
    expect(prometheusCatchUp([added(1, '2026-11-23'), added(2, '2026-11-25')], [], '2026-11-24', 7)).toEqual([
      { date: '2026-11-23', sourceIds: [1] },
      { date: '2026-11-24', sourceIds: [1, 2] },
    ]);
  });

  it('syncs yesterday with every source when nothing is missing', () => {
    const synced = [
      { date: '2026-11-23', sourceId: 1 },
      { date: '2026-11-24', sourceId: 1 },
    ];
    expect(prometheusCatchUp([added(1, '2026-11-23')], synced, '2026-11-24', 7)).toEqual([
      { date: '2026-11-24', sourceIds: [1] },
    ]);
  });
});
