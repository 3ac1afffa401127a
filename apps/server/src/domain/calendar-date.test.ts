import { describe, expect, it } from 'vitest';
import { dateFromFileName, isCalendarDate } from './calendar-date';

describe('dateFromFileName', () => {
  it('takes the date from the seed file name', () => {
    expect(dateFromFileName('Day_report_2026-11-20.txt')).toBe('2026-11-20');
  });

  it('skips a first match that is not a calendar date and takes the next one', () => {
    expect(dateFromFileName('Day_report_2026-02-30_2026-03-01.txt')).toBe('2026-03-01');
  });

  it('finds nothing in names without a dashed date', () => {
    expect(dateFromFileName('Day_report_20261120.txt')).toBeNull();
    expect(dateFromFileName('report.txt')).toBeNull();
    expect(dateFromFileName('x12026-11-20.txt')).toBeNull();
  });
});

describe('isCalendarDate', () => {
  it('knows leap years', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });
});
