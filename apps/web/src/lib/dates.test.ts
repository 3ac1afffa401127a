import { describe, expect, it } from 'vitest';
import { addDays, dateInZone, lastCompleteDay } from './dates';

describe('dates', () => {
  it('reads the calendar date in a time zone', () => {
    const instant = new Date('2026-11-20T17:30:00Z');
    expect(dateInZone(instant, 'Asia/Shanghai')).toBe('2026-11-21');
    expect(dateInZone(instant, 'UTC')).toBe('2026-11-20');
    expect(dateInZone(instant, 'America/New_York')).toBe('2026-11-20');
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('takes yesterday in the zone as the last complete day', () => {
    expect(lastCompleteDay(new Date('2026-11-20T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-20');
    expect(lastCompleteDay(new Date('2026-11-20T17:30:00Z'), 'UTC')).toBe('2026-11-19');
  });
});
