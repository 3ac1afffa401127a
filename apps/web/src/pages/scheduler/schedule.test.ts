import type { JobSchedule } from '@kra/contracts';
import { describe, expect, it } from 'vitest';
import {
  dailyTimes,
  durationParts,
  jobFormValues,
  jobUpdate,
  parseInterval,
  parseTime,
  retryDelays,
} from './schedule';

const job: JobSchedule = {
  job: 'namespace-quota-sync',
  enabled: true,
  mode: 'daily',
  hour: 2,
  minute: 0,
  interval_hours: 24,
  cron: null,
  expression: '0 2 * * *',
  retries: 2,
  retry_backoff_seconds: 300,
  next_runs: [],
  last_run: null,
  last_success_at: null,
  running_run_id: null,
};

describe('dailyTimes', () => {
  it('counts every N hours within the day, from its earliest time', () => {
    expect(dailyTimes(1, 0, 6)).toEqual(['01:00', '07:00', '13:00', '19:00']);
    expect(dailyTimes(13, 30, 6)).toEqual(['01:30', '07:30', '13:30', '19:30']);
    expect(dailyTimes(0, 5, 8)).toEqual(['00:05', '08:05', '16:05']);
  });
  it('runs every 24 h once a day, at the time', () => {
    expect(dailyTimes(2, 0, 24)).toEqual(['02:00']);
    expect(dailyTimes(3, 15, 24)).toEqual(['03:15']);
  });
});

describe('parseTime and parseInterval', () => {
  it('reads 24-hour times', () => {
    expect(parseTime('01:00')).toEqual({ hour: 1, minute: 0 });
    expect(parseTime(' 7:05 ')).toEqual({ hour: 7, minute: 5 });
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('1:5')).toBeNull();
  });
  it('leaves whether an interval falls evenly to the server', () => {
    expect(parseInterval('5')).toBe(5);
    expect(parseInterval('24')).toBe(24);
    // more than a day is a cron expression's to say
    expect(parseInterval('48')).toBeNull();
    expect(parseInterval('1.5')).toBeNull();
    expect(parseInterval('')).toBeNull();
  });
});

describe('the job form', () => {
  it('edits a daily job and sends its timing', () => {
    const values = jobFormValues(job);
    expect(values).toEqual({
      enabled: true,
      mode: 'daily',
      time: '02:00',
      interval: '24',
      cron: '0 2 * * *',
      retries: 2,
      backoffSeconds: 300,
    });
    expect(jobUpdate('namespace-quota-sync', { ...values, time: '01:00', interval: '6' })).toEqual({
      job: 'namespace-quota-sync',
      enabled: true,
      mode: 'daily',
      hour: 1,
      minute: 0,
      interval_hours: 6,
      retries: 2,
      retry_backoff_seconds: 300,
    });
  });
  it('sends a cron expression without the daily fields', () => {
    const values = jobFormValues({ ...job, mode: 'cron', cron: '30 */6 * * *', hour: 0 });
    expect(jobUpdate('prometheus-sync', { ...values, cron: ' 30 1 * * 1-5 ' })).toEqual({
      job: 'prometheus-sync',
      enabled: true,
      mode: 'cron',
      cron: '30 1 * * 1-5',
      retries: 2,
      retry_backoff_seconds: 300,
    });
  });
});

describe('retries', () => {
  it('doubles the wait for each further attempt', () => {
    expect(retryDelays(2, 300)).toEqual([300, 600]);
    expect(retryDelays(0, 300)).toEqual([]);
  });
  it('names a wait in its largest whole unit', () => {
    expect(durationParts(300)).toEqual({ unit: 'minutes', count: 5 });
    expect(durationParts(7200)).toEqual({ unit: 'hours', count: 2 });
    expect(durationParts(90)).toEqual({ unit: 'seconds', count: 90 });
  });
});
