import { describe, expect, it } from 'vitest';
import { dateInZone, datesBetween, dayWindow } from './day-window';

const unix = (iso: string) => Date.parse(iso) / 1000;

describe('dayWindow', () => {
  it('is the 24 h of the date in the zone', () => {
    // Shanghai is UTC+8 all year: 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z
    expect(dayWindow('2026-11-20', 'Asia/Shanghai')).toEqual({
      date: '2026-11-20',
      startUnix: unix('2026-11-19T16:00:00Z'),
      endUnix: unix('2026-11-20T16:00:00Z'),
      seconds: 86400,
    });
    expect(dayWindow('2026-11-20', 'UTC').startUnix).toBe(unix('2026-11-20T00:00:00Z'));
  });

  it('is 23 h on the spring-forward day and 25 h on the fall-back day', () => {
    // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET
    expect(dayWindow('2026-03-29', 'Europe/Berlin')).toMatchObject({
      startUnix: unix('2026-03-28T23:00:00Z'),
      endUnix: unix('2026-03-29T22:00:00Z'),
      seconds: 82800,
    });
    expect(dayWindow('2026-10-25', 'Europe/Berlin')).toMatchObject({
      startUnix: unix('2026-10-24T22:00:00Z'),
      endUnix: unix('2026-10-25T23:00:00Z'),
      seconds: 90000,
    });
    // America/Sao_Paulo has no DST any more; America/Havana's midnight stays valid
    expect(dayWindow('2026-11-01', 'America/New_York')).toMatchObject({
      startUnix: unix('2026-11-01T04:00:00Z'),
      seconds: 90000,
    });
  });

  it('refuses what is not a date', () => {
    expect(() => dayWindow('2026-02-30', 'UTC')).toThrow('"2026-02-30" is not a date as YYYY-MM-DD');
  });
});

describe('dates', () => {
  it('knows the date of an instant in a zone', () => {
    expect(dateInZone(Date.parse('2026-11-20T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-21');
    expect(dateInZone(Date.parse('2026-11-20T17:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-20');
  });

  it('lists a range, month ends included', () => {
    expect(datesBetween('2026-11-29', '2026-12-02')).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(datesBetween('2026-12-02', '2026-12-01')).toEqual([]);
  });
});
